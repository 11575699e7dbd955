"""National measures: recorded by the country's focal points, moderated by the secretariat."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coalition.actionplan.models import NationalMeasure, ReviewStatus
from coalition.actionplan.services.measures import measure_create, measure_move, measure_update
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.common.versions import EditConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure_data(countries, actions):
    return {"country": countries["KEN"], "kind": "policy", "title": "Digital Kenya strategy adopted",
            "description": "Connect every county headquarters by 2027.", "adopted_on": datetime.date(2024, 5, 1),
            "url": "https://example.org/strategy", "actions": [actions["1.1"]], "framework_nodes": []}


def test_a_focal_point_records_a_measure_of_their_country(country_focal, measure_data, actions):
    measure = measure_create(actor=country_focal, data=measure_data)
    assert measure.status == ReviewStatus.DRAFT and measure.created_by == country_focal
    assert list(measure.actions.all()) == [actions["1.1"]]
    assert [row.action_id for row in measure.history.get().actions.all()] == [actions["1.1"].pk]


def test_a_focal_point_of_one_country_cannot_record_for_another(focal_npl, measure_data):
    with pytest.raises(PermissionDenied):
        measure_create(actor=focal_npl, data=measure_data)
    assert not NationalMeasure.objects.exists()


def test_a_pledger_cannot_record_a_measure(pledger_a, measure_data):
    with pytest.raises(PermissionDenied):
        measure_create(actor=pledger_a, data=measure_data)


def test_a_reviewer_records_for_any_country(reviewer, measure_data, countries):
    assert measure_create(actor=reviewer, data={**measure_data, "country": countries["VUT"]}).country == countries["VUT"]


@pytest.mark.parametrize(("change", "field"), [
    ({"title": " "}, "title"),
    ({"kind": "treaty"}, "kind"),
    ({"country": None}, "country"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"adopted_on": timezone.localdate() + datetime.timedelta(days=1)}, "adopted_on"),
])
def test_bad_fields_are_refused_by_name(country_focal, measure_data, change, field):
    with pytest.raises(ValidationError) as refused:
        measure_create(actor=country_focal, data={**measure_data, **change})
    assert field in refused.value.message_dict


def test_submitting_needs_a_description(country_focal, measure_data):
    measure = measure_create(actor=country_focal, data={**measure_data, "description": ""})
    with pytest.raises(ValidationError) as refused:
        measure_move(actor=country_focal, measure=measure, action="submit")
    assert "description" in refused.value.message_dict


def test_the_review_publishes_or_returns_with_a_comment(country_focal, reviewer, measure_data):
    measure = measure_create(actor=country_focal, data=measure_data)
    measure_move(actor=country_focal, measure=measure, action="submit")
    with pytest.raises(PermissionDenied):
        measure_move(actor=country_focal, measure=measure, action="publish")
    with pytest.raises(ValidationError):
        measure_move(actor=reviewer, measure=measure, action="reject")
    measure_move(actor=reviewer, measure=measure, action="request_changes", comment="Add the link to the gazette.")
    measure_update(actor=country_focal, measure=measure, data={**measure_data, "url": "https://example.org/gazette"})
    measure_move(actor=country_focal, measure=measure, action="submit")
    measure = measure_move(actor=reviewer, measure=measure, action="publish")
    assert measure.status == ReviewStatus.PUBLISHED and measure.published_at is not None


def test_a_focal_point_cannot_move_a_measure_to_a_country_they_do_not_act_for(country_focal, measure_data, countries):
    measure = measure_create(actor=country_focal, data=measure_data)
    with pytest.raises(PermissionDenied):
        measure_update(actor=country_focal, measure=measure, data={**measure_data, "country": countries["NPL"]})
    assert NationalMeasure.objects.get().country == countries["KEN"]


def test_another_countrys_focal_point_cannot_edit(country_focal, focal_npl, measure_data):
    measure = measure_create(actor=country_focal, data=measure_data)
    with pytest.raises(PermissionDenied):
        measure_update(actor=focal_npl, measure=measure, data={**measure_data, "title": "Hijacked"})


def test_a_stale_edit_is_refused(country_focal, reviewer, measure_data):
    measure = measure_create(actor=country_focal, data=measure_data)
    measure_update(actor=reviewer, measure=measure, data={**measure_data, "title": "Corrected"}, seen_version=1)
    with pytest.raises(EditConflict):
        measure_update(actor=country_focal, measure=measure, data={**measure_data, "title": "Mine"}, seen_version=1)
