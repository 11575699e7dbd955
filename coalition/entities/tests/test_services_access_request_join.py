import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.entities.models import AccessRequest, FocalPoint
from coalition.entities.services import access_request_approve, access_request_decline, access_request_join_entity


@pytest.fixture
def join_a(newcomer, entity_a, pledger_a):
    return access_request_join_entity(actor=newcomer, entity=entity_a, message="I run the ministry's data unit.")


def test_asking_to_join_tells_the_entitys_focal_points(join_a, mailoutbox):
    assert join_a.status == AccessRequest.Status.PENDING
    assert [m.to for m in mailoutbox] == [["focal.a@example.org"]]
    assert "Amina Otieno" in mailoutbox[0].body


@pytest.mark.parametrize("decider", ["pledger_a", "reviewer", "administrator"])
def test_the_entitys_focal_point_a_reviewer_or_an_administrator_approves_and_a_focal_point_is_created(
    join_a, decider, request, newcomer, entity_a, mailoutbox
):
    actor = request.getfixturevalue(decider)

    decided = access_request_approve(actor=actor, access_request=join_a)

    assert decided.status == AccessRequest.Status.APPROVED
    assert decided.decided_by == actor and decided.decided_at is not None
    focal_point = FocalPoint.objects.get(entity=entity_a, user=newcomer)
    assert focal_point.email == newcomer.email and focal_point.name == "Amina Otieno"
    assert focal_point.history.first().history_user == actor
    assert mailoutbox[-1].to == [newcomer.email] and "Approved" in mailoutbox[-1].subject


@pytest.mark.parametrize("wrong", ["anonymous", "pledger_b", "country_focal", "newcomer"])
def test_the_wrong_people_cannot_approve_or_decline_and_nothing_changes(join_a, wrong, request, entity_a, mailoutbox):
    actor = request.getfixturevalue(wrong)
    mailoutbox.clear()

    with pytest.raises(PermissionDenied):
        access_request_approve(actor=actor, access_request=join_a)
    with pytest.raises(PermissionDenied):
        access_request_decline(actor=actor, access_request=join_a, reason="No.")

    join_a.refresh_from_db()
    assert join_a.status == AccessRequest.Status.PENDING and join_a.decided_by is None
    assert FocalPoint.objects.filter(entity=entity_a).count() == 1
    assert mailoutbox == []


def test_declining_needs_a_reason_which_reaches_the_requester(join_a, pledger_a, newcomer, mailoutbox):
    with pytest.raises(ValidationError) as error:
        access_request_decline(actor=pledger_a, access_request=join_a, reason="  ")
    assert "reason" in error.value.message_dict

    access_request_decline(actor=pledger_a, access_request=join_a, reason="We do not know you.")

    join_a.refresh_from_db()
    assert join_a.status == AccessRequest.Status.DECLINED and join_a.reason == "We do not know you."
    assert not FocalPoint.objects.filter(user=newcomer).exists()
    assert "We do not know you." in mailoutbox[-1].body


def test_a_decided_request_cannot_be_decided_again(join_a, reviewer, pledger_a):
    access_request_approve(actor=reviewer, access_request=join_a)

    with pytest.raises(ValidationError) as error:
        access_request_decline(actor=pledger_a, access_request=join_a, reason="Too late")

    assert "status" in error.value.message_dict


def test_asking_twice_or_for_an_entity_you_already_act_for_is_refused_on_the_entity_field(
    join_a, newcomer, pledger_a, entity_a
):
    with pytest.raises(ValidationError) as twice:
        access_request_join_entity(actor=newcomer, entity=entity_a)
    with pytest.raises(ValidationError) as already:
        access_request_join_entity(actor=pledger_a, entity=entity_a)

    assert "entity" in twice.value.message_dict and "entity" in already.value.message_dict
    assert AccessRequest.objects.count() == 1


def test_anonymous_visitors_cannot_ask(anonymous, entity_a):
    with pytest.raises(PermissionDenied):
        access_request_join_entity(actor=anonymous, entity=entity_a)
