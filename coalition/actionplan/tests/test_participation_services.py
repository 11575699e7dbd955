"""Recording a country's participation in an activity: who, in which activities, what counts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.actionplan.models import Participation, ReviewStatus
from coalition.actionplan.services.activities import (
    activity_move,
    participation_move,
    participation_record,
    participation_update,
)
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.actionplan.tests.activity_fixtures import publish_participation, record_activity
from coalition.common.versions import EditConflict

pytestmark = pytest.mark.django_db


def test_a_focal_point_records_a_draft_for_their_country(published_activity, country_focal, countries):
    participation = participation_record(actor=country_focal, activity=published_activity,
                                         data={"country": countries["KEN"], "women": 3, "men": 2, "other": 0})
    assert participation.status == ReviewStatus.DRAFT and participation.total == 5
    assert participation.created_by == country_focal
    assert participation.history.get().history_change_reason == "created"


def test_a_focal_point_of_one_country_cannot_record_for_another(published_activity, country_focal, countries):
    with pytest.raises(PermissionDenied):
        participation_record(actor=country_focal, activity=published_activity,
                             data={"country": countries["NPL"], "women": 1})
    assert not Participation.objects.exists()


def test_a_pledger_cannot_record_participation(published_activity, pledger_a, countries):
    with pytest.raises(PermissionDenied):
        participation_record(actor=pledger_a, activity=published_activity, data={"country": countries["KEN"], "men": 1})


def test_a_reviewer_records_for_any_country(published_activity, reviewer, countries):
    participation_record(actor=reviewer, activity=published_activity, data={"country": countries["VUT"], "other": 4})
    assert Participation.objects.get().country == countries["VUT"]


def test_participation_is_recorded_in_a_published_activity_only(reviewer, activity_data, country_focal, countries):
    draft = record_activity(reviewer, reviewer, activity_data, publish=False)
    with pytest.raises(ValidationError) as refused:
        participation_record(actor=country_focal, activity=draft, data={"country": countries["KEN"], "women": 1})
    assert "activity" in refused.value.message_dict


@pytest.mark.parametrize(("counts", "field"), [
    ({"women": 0, "men": 0, "other": 0}, "women"),
    ({"women": -1, "men": 3}, "women"),
    ({"men": "three"}, "men"),
    ({"other": 2.5}, "other"),
    ({"women": 10_000_000}, "women"),
])
def test_counts_are_whole_numbers_not_negative_and_not_all_zero(published_activity, country_focal, countries,
                                                               counts, field):
    with pytest.raises(ValidationError) as refused:
        participation_record(actor=country_focal, activity=published_activity,
                             data={"country": countries["KEN"], **counts})
    assert field in refused.value.message_dict


def test_one_live_record_per_activity_and_country_is_a_clear_error(published_activity, country_focal, reviewer,
                                                                   countries):
    participation_record(actor=country_focal, activity=published_activity, data={"country": countries["KEN"], "men": 1})
    with pytest.raises(ValidationError) as refused:
        participation_record(actor=reviewer, activity=published_activity, data={"country": countries["KEN"], "men": 2})
    assert "already recorded" in refused.value.message_dict["country"][0]
    assert Participation.objects.count() == 1


def test_a_withdrawn_participation_makes_room_for_a_new_one(published_activity, country_focal, countries):
    first = participation_record(actor=country_focal, activity=published_activity,
                                 data={"country": countries["KEN"], "men": 1})
    participation_move(actor=country_focal, participation=first, action="withdraw")
    second = participation_record(actor=country_focal, activity=published_activity,
                                  data={"country": countries["KEN"], "men": 2})
    assert second.pk != first.pk and Participation.objects.count() == 2


def test_a_rejected_participation_makes_room_too(published_activity, country_focal, reviewer, countries):
    first = participation_record(actor=country_focal, activity=published_activity,
                                 data={"country": countries["KEN"], "men": 1})
    participation_move(actor=country_focal, participation=first, action="submit")
    participation_move(actor=reviewer, participation=first, action="reject", comment="Duplicate of another event.")
    participation_record(actor=country_focal, activity=published_activity, data={"country": countries["KEN"], "men": 2})
    assert Participation.objects.filter(status=ReviewStatus.DRAFT).count() == 1


def test_the_focal_point_edits_a_draft_and_a_stale_form_is_refused(published_activity, country_focal, reviewer,
                                                                   countries):
    participation = participation_record(actor=country_focal, activity=published_activity,
                                         data={"country": countries["KEN"], "men": 1})
    participation_update(actor=reviewer, participation=participation, data={"men": 2, "women": 1}, seen_version=1)
    with pytest.raises(EditConflict):
        participation_update(actor=country_focal, participation=participation, data={"men": 5}, seen_version=1)
    participation.refresh_from_db()
    assert (participation.women, participation.men, participation.version) == (1, 2, 2)


def test_another_countrys_focal_point_cannot_edit(published_activity, country_focal, focal_npl, countries):
    participation = participation_record(actor=country_focal, activity=published_activity,
                                         data={"country": countries["KEN"], "men": 1})
    with pytest.raises(PermissionDenied):
        participation_update(actor=focal_npl, participation=participation, data={"men": 9})


def test_submit_and_publish_date_the_participation(published_activity, country_focal, reviewer, countries):
    participation = publish_participation(country_focal, reviewer, published_activity, countries["KEN"],
                                          women=2)
    assert participation.status == ReviewStatus.PUBLISHED
    assert participation.submitted_at and participation.published_at


def test_a_focal_point_cannot_publish_their_own_participation(published_activity, country_focal, countries):
    participation = participation_record(actor=country_focal, activity=published_activity,
                                         data={"country": countries["KEN"], "men": 1})
    participation_move(actor=country_focal, participation=participation, action="submit")
    with pytest.raises(PermissionDenied):
        participation_move(actor=country_focal, participation=participation, action="publish")


def test_a_participation_in_a_withdrawn_activity_cannot_be_submitted(published_activity, country_focal, reviewer,
                                                                     countries):
    participation = participation_record(actor=country_focal, activity=published_activity,
                                         data={"country": countries["KEN"], "men": 1})
    activity_move(actor=reviewer, activity=published_activity, action="withdraw")
    with pytest.raises(ValidationError) as refused:
        participation_move(actor=country_focal, participation=participation, action="submit")
    assert "activity" in refused.value.message_dict
