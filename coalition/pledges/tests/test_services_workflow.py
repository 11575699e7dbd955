import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.pledges.models import Action, Pledge, PledgeTransition, Status
from coalition.pledges.services import (
    pledge_create,
    pledge_publish,
    pledge_reject,
    pledge_request_changes,
    pledge_submit,
    pledge_transition,
    pledge_withdraw,
)
from coalition.pledges.workflow import PLEDGE_WORKFLOW


@pytest.fixture
def draft(pledger_a, pledge_data):
    return pledge_create(actor=pledger_a, data=pledge_data)


@pytest.fixture
def submitted(draft, pledger_a):
    return pledge_submit(actor=pledger_a, pledge=draft)


def test_a_submitted_pledge_can_be_published_by_a_reviewer(submitted, reviewer):
    pledge = pledge_publish(actor=reviewer, pledge=submitted)

    assert pledge.status == Status.PUBLISHED
    assert pledge.published_at is not None
    decision = PledgeTransition.objects.get(pledge=pledge, action=Action.PUBLISH)
    assert (decision.from_status, decision.to_status, decision.actor) == (Status.SUBMITTED, Status.PUBLISHED, reviewer)


def test_the_full_cycle_with_changes_requested_ends_published(submitted, pledger_a, reviewer):
    pledge_transition(actor=reviewer, pledge=submitted, action=Action.START_REVIEW)
    pledge_request_changes(actor=reviewer, pledge=submitted, comment="Add a quantified target for 2026.")
    pledge_submit(actor=pledger_a, pledge=submitted)
    pledge = pledge_publish(actor=reviewer, pledge=submitted)

    assert pledge.status == Status.PUBLISHED
    assert [t.action for t in pledge.transitions.order_by("at", "id")] == [
        "submit", "start_review", "request_changes", "submit", "publish",
    ]


def test_an_illegal_transition_is_refused_and_nothing_changes(draft, reviewer):
    versions_before = Pledge.history.filter(id=draft.pk).count()

    with pytest.raises(ValidationError) as error:
        pledge_publish(actor=reviewer, pledge=draft)

    assert "action" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.published_at is None
    assert not PledgeTransition.objects.exists()
    assert Pledge.history.filter(id=draft.pk).count() == versions_before


@pytest.mark.parametrize("action", [Action.SUBMIT, Action.PUBLISH, Action.REJECT, Action.START_REVIEW])
def test_nothing_leaves_the_withdrawn_state(draft, pledger_a, administrator, action):
    pledge_withdraw(actor=pledger_a, pledge=draft)

    with pytest.raises(ValidationError) as error:  # an administrator holds every role: the state refuses
        pledge_transition(actor=administrator, pledge=draft, action=action, comment="why")

    assert "withdrawn" in error.value.message_dict["action"][0]

    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN


def test_rejecting_needs_a_reason(submitted, reviewer):
    with pytest.raises(ValidationError) as error:
        pledge_reject(actor=reviewer, pledge=submitted, comment="  ")

    assert "comment" in error.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_pledge_without_a_framework_node_cannot_be_submitted(pledger_a, pledge_data):
    pledge_data["framework_nodes"] = []
    pledge = pledge_create(actor=pledger_a, data=pledge_data)

    with pytest.raises(ValidationError) as error:
        pledge_submit(actor=pledger_a, pledge=pledge)

    assert "framework_nodes" in error.value.message_dict


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "pledger_b", "member_state_focal"])
def test_only_reviewers_publish(submitted, persona, request):
    with pytest.raises(PermissionDenied):
        pledge_publish(actor=request.getfixturevalue(persona), pledge=submitted)

    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["anonymous", "pledger_b", "member_state_focal", "reviewer"])
def test_only_the_entitys_focal_points_submit_or_withdraw(draft, persona, request):
    actor = request.getfixturevalue(persona)
    for action in (pledge_submit, pledge_withdraw):
        with pytest.raises(PermissionDenied):
            action(actor=actor, pledge=draft)

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_reviewer_cannot_withdraw_a_published_pledge_of_an_entity(published, reviewer):
    with pytest.raises(PermissionDenied):
        pledge_withdraw(actor=reviewer, pledge=published)

    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_the_actions_offered_are_those_the_person_may_take(pledge_data, published, pledger_a, reviewer):
    draft = pledge_create(actor=pledger_a, data=pledge_data)
    submitted = pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data=pledge_data))

    assert [a.value for a in PLEDGE_WORKFLOW.choices_for(draft, pledger_a)] == ["submit", "withdraw"]
    assert PLEDGE_WORKFLOW.choices_for(draft, reviewer) == []
    assert [a.value for a in PLEDGE_WORKFLOW.choices_for(submitted, reviewer)] == [
        "start_review", "publish", "request_changes", "reject"]
    assert [a.value for a in PLEDGE_WORKFLOW.choices_for(published, pledger_a)] == ["withdraw"]
    assert PLEDGE_WORKFLOW.choices_for(published, reviewer) == []


def test_the_transition_table_reaches_every_state_from_draft():
    reachable, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        state = frontier.pop()
        for transition in PLEDGE_WORKFLOW.transitions.values():
            target = transition.target
            if state in transition.sources and target not in reachable:
                reachable.add(target)
                frontier.append(target)

    assert reachable == set(Status.values)
