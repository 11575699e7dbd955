"""Every version of a pledge, partner or entity knows when it stopped holding (`valid_to`), so the
registry at a moment is a range condition: the versions written through the ORM close the one
they replace, a version backdated between two others takes its place in the chain, and the
bulk rebuild after a load gives the same intervals."""

import datetime

import pytest

from coalition.actionplan.models import (
    Action,
    Activity,
    Deliverable,
    Meeting,
    NationalMeasure,
    Participation,
    Pillar,
    Plan,
)
from coalition.common.intervals import current_at, interval_models, intervals_rebuild
from coalition.demo.generate import demo_generate
from coalition.entities.models import Entity
from coalition.knowledge.models import GoodPractice
from coalition.pledges.models import Campaign, Pledge, PledgePartner
from coalition.reference.testing import load_reference_fixture
from coalition.reporting.models import ProgressReport

UTC = datetime.UTC


def at(day, hour=12):
    return datetime.datetime(2024, 1, day, hour, tzinfo=UTC)


def save_at(obj, moment):
    obj._history_date = moment
    obj.save()
    del obj._history_date


def chain(obj):
    """(start, end) of each version of `obj`, in order."""
    return list(type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id").values_list("history_date", "valid_to"))


@pytest.fixture
def entity(countries):
    entity = Entity(name="Intervals test NGO", entity_type="civil_society", home_country=countries["KEN"])
    save_at(entity, at(1))
    return entity


def test_the_interval_models_are_the_ones_the_registry_reads_as_of_a_date():
    assert {model.instance_type for model in interval_models()} == {
        Pledge, PledgePartner, Entity, ProgressReport, Campaign,
        Plan, Pillar, Action, Deliverable, Activity, Participation, NationalMeasure, Meeting, GoodPractice,
    }


@pytest.mark.django_db
def test_each_new_version_closes_the_one_it_replaces(entity):
    entity.name = "Renamed"
    save_at(entity, at(5))
    entity.name = "Renamed again"
    save_at(entity, at(9))
    assert chain(entity) == [(at(1), at(5)), (at(5), at(9)), (at(9), None)]


@pytest.mark.django_db
def test_a_version_backdated_between_two_others_takes_its_place_in_the_chain(entity):
    entity.name = "Later"
    save_at(entity, at(9))
    entity.name = "Imported, dated in between"
    save_at(entity, at(5))
    assert chain(entity) == [(at(1), at(5)), (at(5), at(9)), (at(9), None)]
    names = {day: Entity.history.filter(current_at(at(day, 18)), id=entity.pk).get().name for day in (2, 6, 10)}
    assert names == {2: "Intervals test NGO", 6: "Imported, dated in between", 10: "Later"}


@pytest.mark.django_db
def test_of_two_versions_written_at_the_same_instant_the_later_row_holds(entity):
    entity.name = "First at noon"
    save_at(entity, at(5))
    entity.name = "Second at noon"
    save_at(entity, at(5))
    assert chain(entity)[1:] == [(at(5), at(5)), (at(5), None)]
    assert Entity.history.filter(current_at(at(5)), id=entity.pk).get().name == "Second at noon"


@pytest.mark.django_db
def test_a_deleted_objects_last_version_is_current_and_says_deleted(entity):
    entity._history_date = at(7)
    pk = entity.pk
    entity.delete()
    current = Entity.history.filter(current_at(at(8)), id=pk).get()
    assert current.history_type == "-"
    assert Entity.history.filter(current_at(at(3)), id=pk).get().history_type == "+"


@pytest.mark.django_db
def test_the_bulk_rebuild_gives_the_intervals_the_writes_gave(entity):
    for day in (3, 4, 8):
        entity.name = f"Name of day {day}"
        save_at(entity, at(day))
    expected = chain(entity)
    Entity.history.update(valid_to=None)
    Entity.history.filter(history_date=at(3)).update(valid_to=at(28))  # a wrong end is corrected too
    intervals_rebuild(Entity.history.model)
    assert chain(entity) == expected


@pytest.mark.django_db
def test_the_demo_generator_writes_the_intervals_a_rebuild_gives():
    load_reference_fixture()
    demo_generate(pledges=300, seed=5)
    for model in interval_models():
        written = dict(model.objects.values_list("history_id", "valid_to"))
        if model.instance_type in (Pledge, ProgressReport):  # written through several steps each
            assert sum(end is not None for end in written.values()) > len(written) / 2, model
        intervals_rebuild(model)
        assert dict(model.objects.values_list("history_id", "valid_to")) == written, model
