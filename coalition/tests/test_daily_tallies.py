"""Stored tallies equal counting again (issue 14): for random days of a demo registry, what the
pages read from `explore.daily` is exactly what `tallies_count` gives for that day now — after
publications, withdrawals, edits, a backdated version and a change of group membership made
since the days were stored, on SQLite and PostgreSQL."""

import datetime
import random

import pytest
from django.db import transaction
from django.utils import timezone

from coalition.common.asof import as_of_date, as_of_now
from coalition.common.signals import registry_changed
from coalition.demo.generate import demo_generate
from coalition.entities.models import Entity
from coalition.explore import daily
from coalition.explore.models import TalliedDay
from coalition.explore.tallies import Scope, for_pages, tallies_count
from coalition.pledges.models import Pledge, Status
from coalition.pledges.services import pledge_withdraw
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership, Initiative
from coalition.reference.testing import load_reference_fixture
from coalition.tests import builders
from coalition.tests.builders import publish

SEED = 14


@pytest.fixture
def demo(db):
    load_reference_fixture()
    demo_generate(pledges=150, seed=SEED)
    return daily.first_day()


@pytest.fixture
def people(demo):
    """A focal point of a demo entity, a reviewer and the fields of a pledge they can publish."""
    entity = Entity.objects.filter(is_demo=True).order_by("pk").first()
    initiative = Initiative.objects.get(slug="p2c")
    data = {
        **builders.pledge_fields(initiative, entity, {"KEN": Country.objects.get(iso3="KEN")}),
        "framework_nodes": list(initiative.nodes.filter(parent__isnull=False).order_by("pk")[:1]),
        "value_currency": "USD", "value_year": 2024,
    }
    return builders.make_focal_point(entity, "tallies@example.org"), builders.make_reviewer(), data


def random_days(first: datetime.date, count: int, rng: random.Random) -> list[datetime.date]:
    span = (timezone.localdate() - first).days
    return sorted({first + datetime.timedelta(days=rng.randrange(span)) for _ in range(count)})


def assert_stored_equal_counted(days):
    for day in days:
        as_of = as_of_date(day)
        read = daily.tallies_for(as_of)
        assert TalliedDay.objects.filter(day=day, place="").exists(), day
        assert read.counts == for_pages(tallies_count(as_of)).counts, day


def test_stored_days_equal_counting_again_after_every_kind_of_change(demo, people):
    pledger, reviewer, data = people
    rng = random.Random(SEED)
    days = random_days(demo, 8, rng)
    mine = publish(pledger, reviewer, {**data, "title": "Withdrawn after the days were stored"})
    for day in days:  # stored as pages store them
        daily.tallies_for(as_of_date(day))
    week = timezone.localdate() - datetime.timedelta(days=6)
    assert daily.days_count(week, timezone.localdate())[0] == 7  # and as `coalition tallies` does
    assert daily.days_count(week, timezone.localdate())[0] == 0
    assert TalliedDay.objects.filter(place="").count() == len(set(days) | {week + datetime.timedelta(n) for n in range(7)})
    assert sum(daily.tallies_for(as_of_date(day)).get("all").pledges for day in days) > 0

    # Changes made today: a publication, a withdrawal, an entity's type.
    publish(pledger, reviewer, {**data, "title": "Published after the days were stored"})
    pledge_withdraw(actor=pledger, pledge=mine)
    entity = Entity.objects.filter(led_pledges__status=Status.PUBLISHED).order_by("pk").first()
    entity.entity_type = "academia" if entity.entity_type != "academia" else "government"
    entity.save()
    checked = [*random_days(demo, 6, rng), *days, timezone.localdate()]
    assert_stored_equal_counted(checked)
    # A version backdated into the past (an import of an older record), and a country that left
    # the LDCs on a past day.
    backdated = days[len(days) // 2]
    moved = Entity.objects.filter(led_pledges__status=Status.PUBLISHED).exclude(pk=entity.pk).order_by("-pk").first()
    moved.entity_type = "ifi" if moved.entity_type != "ifi" else "civil_society"
    moved._history_date = timezone.make_aware(datetime.datetime.combine(backdated, datetime.time(12)))
    moved.save()
    assert_stored_equal_counted(checked)
    ldc = CountryGroup.objects.get(code="LDC")
    membership = CountryGroupMembership.objects.filter(group=ldc, valid_to__isnull=True).order_by("pk").first()
    membership.valid_to = days[1]
    membership.save()

    assert_stored_equal_counted(checked)


def test_a_version_written_today_forgets_today_only(demo, people):
    pledger, reviewer, data = people
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    daily.days_count(yesterday - datetime.timedelta(days=3), timezone.localdate())
    before = set(TalliedDay.objects.values_list("day", flat=True))

    publish(pledger, reviewer, {**data, "title": "Forgets today"})

    assert set(TalliedDay.objects.values_list("day", flat=True)) == before - {timezone.localdate()}
    assert daily.tallies_for(as_of_now()).get("all").pledges == Pledge.objects.filter(status=Status.PUBLISHED).count()


def test_a_bulk_load_forgets_the_days_it_names(demo):
    daily.days_count(timezone.localdate() - datetime.timedelta(days=5), timezone.localdate())
    registry_changed.send(sender=None, since=timezone.localdate() - datetime.timedelta(days=2))
    assert TalliedDay.objects.count() == 3
    registry_changed.send(sender=None, since=None)
    assert not TalliedDay.objects.exists()


def test_a_place_is_stored_apart_and_forgotten_with_its_day(demo):
    country = CountryGroupMembership.objects.filter(group__code="LDC").first().country
    as_of = as_of_now()
    read = daily.tallies_for(as_of, Scope(country=country))
    assert TalliedDay.objects.filter(place=f"country:{country.iso3}").exists()
    assert read.counts == for_pages(tallies_count(as_of, scope=Scope(country=country))).counts
    assert read.get("all").pledges == daily.tallies_for(as_of).get("country", country.iso3).pledges


def test_a_count_overtaken_by_a_write_is_not_stored(demo, people, monkeypatch):
    pledger, reviewer, data = people
    real = daily.tallies_count

    def count_while_someone_publishes(as_of, scope=None):
        counted = real(as_of, scope=scope)
        publish(pledger, reviewer, {**data, "title": "Published while counting"})
        return counted

    monkeypatch.setattr(daily, "tallies_count", count_while_someone_publishes)
    daily.tallies_for(as_of_now())
    assert not TalliedDay.objects.filter(day=timezone.localdate()).exists()


def test_each_write_queues_one_recount_of_today_when_it_commits(demo, people, django_capture_on_commit_callbacks):
    pledger, reviewer, data = people
    transaction.get_connection().run_on_commit.clear()  # the fixtures' loads queued a recount already
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(pledger, reviewer, {**data, "title": "Queues a recount"})
    assert len([c for c in callbacks if c is daily._refresh_enqueue]) == 1
    today = TalliedDay.objects.get(day=timezone.localdate(), place="")  # the immediate backend ran it
    assert daily.tallies_for(as_of_now()).get("all").pledges == Pledge.objects.filter(status=Status.PUBLISHED).count()
    assert today.counted_at <= timezone.now()


def test_a_day_counted_from_the_day_before_equals_counting_it_whole(demo, monkeypatch):
    """Consecutive days are counted incrementally (the stored day before, plus what the pledges
    changed in between add and take away); each equals a whole count, organisations included."""
    scopes = []
    real = daily.tallies_count
    monkeypatch.setattr(daily, "tallies_count", lambda as_of, scope=None: scopes.append(scope) or real(as_of, scope=scope))
    busiest = Pledge.objects.filter(status=Status.PUBLISHED).order_by("published_at").values_list(
        "published_at", flat=True)[Pledge.objects.filter(status=Status.PUBLISHED).count() // 2]
    first = timezone.localdate(busiest) - datetime.timedelta(days=45)
    daily.days_count(first, first + datetime.timedelta(days=90))
    assert scopes[0] is None and scopes.count(None) == 1 and len(scopes) > 1  # the first day whole, then by difference
    changed_days = 0
    for day in (first + datetime.timedelta(days=n) for n in range(1, 91)):
        stored = daily.tallies_for(as_of_date(day))
        assert stored.counts == for_pages(real(as_of_date(day))).counts, day
        changed_days += stored.counts != daily.tallies_for(as_of_date(day - datetime.timedelta(days=1))).counts
    assert changed_days >= 2
