"""Revisions of published pledges: each transition, who may take it, and what the pledge keeps."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.pledges.content import pledge_data, revision_data_load
from coalition.pledges.models import Pledge, RevisionStatus, RevisionTransition, Status
from coalition.pledges.services import (
    pledge_create,
    revision_publish,
    revision_reject,
    revision_request_changes,
    revision_start,
    revision_submit,
    revision_update,
    revision_withdraw,
)


@pytest.fixture
def revision(pledger_a, published):
    return revision_start(actor=pledger_a, pledge=published, reason="The budget grew.")


def _edit(actor, revision, **changes):
    data = revision_data_load(revision.data)
    return revision_update(actor=actor, revision=revision, data={**data, **changes})


@pytest.fixture
def submitted(pledger_a, revision):
    _edit(pledger_a, revision, title="Connect 800 rural schools")
    return revision_submit(actor=pledger_a, revision=revision)


def test_starting_a_revision_copies_the_published_content(pledger_a, published):
    revision = revision_start(actor=pledger_a, pledge=published, reason="More schools")

    assert revision.number == 1 and revision.status == RevisionStatus.DRAFT
    assert revision_data_load(revision.data)["title"] == published.title
    assert revision_data_load(revision.data)["targets"][0]["target_value"] == 500


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal", "reviewer"])
def test_only_focal_points_of_the_lead_entity_start_a_revision(published, persona, request):
    with pytest.raises(PermissionDenied):
        revision_start(actor=request.getfixturevalue(persona), pledge=published, reason="Because")


def test_an_administrator_may_start_a_revision(administrator, published):
    assert revision_start(actor=administrator, pledge=published, reason="Correction").number == 1


def test_a_revision_needs_a_reason(pledger_a, published):
    with pytest.raises(ValidationError) as error:
        revision_start(actor=pledger_a, pledge=published, reason="  ")
    assert "reason" in error.value.message_dict


def test_an_unpublished_pledge_is_not_revised(pledger_a, pledge_data):
    draft = pledge_create(actor=pledger_a, data=pledge_data)
    with pytest.raises(ValidationError) as error:
        revision_start(actor=pledger_a, pledge=draft, reason="x")
    assert "status" in error.value.message_dict


def test_a_pledge_has_one_open_revision_at_a_time(pledger_a, published, revision):
    with pytest.raises(ValidationError) as error:
        revision_start(actor=pledger_a, pledge=published, reason="Another")
    assert list(error.value.message_dict) == ["status"]


def test_editing_a_revision_leaves_the_published_pledge_unchanged(pledger_a, published, revision):
    versions = published.history.count()

    revision = _edit(pledger_a, revision, title="Connect 800 rural schools")

    published.refresh_from_db()
    assert published.title == "Connect 500 rural schools"
    assert published.history.count() == versions
    assert revision_data_load(revision.data)["title"] == "Connect 800 rural schools"


def test_invalid_revision_content_is_refused_on_its_field(pledger_a, revision):
    with pytest.raises(ValidationError) as error:
        _edit(pledger_a, revision, framework_nodes=[])
    assert "framework_nodes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _edit(pledger_a, revision, value_year=1800)
    assert "value_year" in error.value.message_dict


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal", "reviewer"])
def test_only_the_pledger_edits_submits_and_withdraws_a_revision(revision, persona, request):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        _edit(actor, revision, title="Hijacked")
    with pytest.raises(PermissionDenied):
        revision_submit(actor=actor, revision=revision)
    with pytest.raises(PermissionDenied):
        revision_withdraw(actor=actor, revision=revision)


def test_a_revision_that_changes_nothing_is_not_submitted(pledger_a, revision):
    with pytest.raises(ValidationError) as error:
        revision_submit(actor=pledger_a, revision=revision)
    assert "action" in error.value.message_dict


def test_a_submitted_revision_is_no_longer_edited(pledger_a, submitted):
    assert submitted.status == RevisionStatus.SUBMITTED and submitted.submitted_at is not None
    with pytest.raises(ValidationError) as error:
        _edit(pledger_a, submitted, title="Too late")
    assert "status" in error.value.message_dict


@pytest.mark.parametrize("persona", ["pledger_a", "pledger_b", "member_state_focal"])
def test_only_reviewers_decide_on_a_revision(submitted, persona, request):
    actor = request.getfixturevalue(persona)
    for decide in (revision_publish, revision_request_changes, revision_reject):
        with pytest.raises(PermissionDenied):
            decide(actor=actor, revision=submitted, comment="no")


def test_publishing_applies_the_change_in_one_version_and_keeps_the_publication_date(reviewer, published, submitted):
    published.refresh_from_db()
    published_at, versions = published.published_at, published.history.count()

    revision = revision_publish(actor=reviewer, revision=submitted)

    pledge = Pledge.objects.get(pk=published.pk)
    assert revision.status == RevisionStatus.PUBLISHED
    assert revision.decided_by == reviewer and revision.decided_at is not None
    assert pledge.title == "Connect 800 rural schools"
    assert pledge.status == Status.PUBLISHED and pledge.published_at == published_at
    assert pledge.history.count() == versions + 1
    assert pledge.history.first().history_change_reason == "revision 1 published"


def test_the_published_pledge_is_unchanged_until_the_revision_is_published(pledger_a, published, submitted):
    published.refresh_from_db()
    assert pledge_data(published)["title"] == "Connect 500 rural schools"


@pytest.mark.parametrize("decide", [revision_request_changes, revision_reject])
def test_returning_or_rejecting_needs_a_comment(reviewer, submitted, decide):
    with pytest.raises(ValidationError) as error:
        decide(actor=reviewer, revision=submitted, comment=" ")
    assert "comment" in error.value.message_dict


def test_a_revision_returned_for_changes_is_edited_and_submitted_again(pledger_a, reviewer, published, submitted):
    revision = revision_request_changes(actor=reviewer, revision=submitted, comment="Say where the schools are.")
    assert revision.status == RevisionStatus.CHANGES_REQUESTED and revision.reviewer_comment

    _edit(pledger_a, revision, description="Fibre for 800 rural schools in the north, with teacher training.")
    revision = revision_submit(actor=pledger_a, revision=revision)

    assert revision.status == RevisionStatus.SUBMITTED
    published.refresh_from_db()
    assert published.title == "Connect 500 rural schools"


def test_a_rejected_revision_leaves_the_pledge_as_published_and_frees_it_for_another(pledger_a, reviewer, published, submitted):
    revision_reject(actor=reviewer, revision=submitted, comment="Not a change of this pledge.")

    published.refresh_from_db()
    assert published.title == "Connect 500 rural schools"
    assert revision_start(actor=pledger_a, pledge=published, reason="Second try").number == 2


def test_the_pledger_withdraws_a_revision(pledger_a, submitted):
    revision = revision_withdraw(actor=pledger_a, revision=submitted)
    assert revision.status == RevisionStatus.WITHDRAWN


def test_a_decided_revision_cannot_be_decided_again(pledger_a, reviewer, submitted):
    revision_publish(actor=reviewer, revision=submitted)
    with pytest.raises(ValidationError) as error:
        revision_reject(actor=reviewer, revision=submitted, comment="Changed my mind")
    assert "action" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        revision_withdraw(actor=pledger_a, revision=submitted)
    assert list(error.value.message_dict) == ["action"]


def test_every_transition_is_recorded_with_who_and_when(pledger_a, reviewer, submitted):
    revision_publish(actor=reviewer, revision=submitted)

    moves = list(RevisionTransition.objects.filter(revision=submitted).values_list("action", "to_status", "actor"))
    assert moves == [("submit", "submitted", pledger_a.pk), ("publish", "published", reviewer.pk)]
    assert submitted.history.count() >= 4
