"""The leads of a pillar's working group and the secretariat keep an action's status and its
deliverables' progress up to date; everyone else is refused, and a refused or invalid update
writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.actionplan.models import Deliverable
from coalition.actionplan.services import plans as services
from coalition.actionplan.tests import plan_builders as build


@pytest.fixture
def world(db, reviewer, pledger_a, pledger_b):
    plan = build.plan(build.make_apis())
    p1, p2 = build.pillar(plan, "P1"), build.pillar(plan, "P2")
    action = build.action(p1, "1.1")
    d1 = build.deliverable(action, "D1", progress=10)
    d2 = build.deliverable(action, "D2", progress=0, status="planned")
    services.working_group_lead_appoint(actor=reviewer, pillar=p1, user=pledger_a)
    services.working_group_lead_appoint(actor=reviewer, pillar=p2, user=pledger_b)
    return action, d1, d2


def _update(actor, action, d1, **changes):
    values = {"progress": 40, "status": "in_progress", "delivered_on": None, **changes}
    return services.action_progress_update(actor=actor, action=action, status="ongoing",
                                           deliverables={d1.pk: values}, today=datetime.date(2025, 6, 1))


def test_the_lead_of_the_actions_pillar_updates_its_progress(world, pledger_a):
    action, d1, d2 = world

    _update(pledger_a, action, d1)

    d1.refresh_from_db()
    action.refresh_from_db()
    assert (action.status, d1.progress) == ("ongoing", 40)
    assert d1.history.order_by("-history_id").first().history_user == pledger_a
    assert d2.history.count() == 1  # left out, left alone


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_the_secretariat_may_too(world, request, persona):
    action, d1, _d2 = world

    _update(request.getfixturevalue(persona), action, d1)

    d1.refresh_from_db()
    assert d1.progress == 40


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal", "anonymous"])
def test_others_are_refused_and_nothing_changes(world, request, persona):
    action, d1, _d2 = world

    with pytest.raises(PermissionDenied, match="Only the leads of the"):
        _update(request.getfixturevalue(persona), action, d1)

    d1.refresh_from_db()
    assert d1.progress == 10


def test_invalid_values_are_refused_by_field_and_nothing_is_written(world, pledger_a):
    action, d1, d2 = world

    with pytest.raises(ValidationError) as refused:
        services.action_progress_update(actor=pledger_a, action=action, status="finished", deliverables={
            d1.pk: {"progress": 30, "status": "delivered"},
            d2.pk: {"progress": 50, "status": "in_progress", "delivered_on": datetime.date(2030, 1, 1)},
        }, today=datetime.date(2025, 6, 1))

    errors = refused.value.message_dict
    assert set(errors) == {"status", f"deliverable-{d1.pk}-progress", f"deliverable-{d2.pk}-delivered_on"}
    assert Deliverable.history.count() == 2


def test_a_delivery_date_in_the_future_is_refused(world, pledger_a):
    action, d1, _d2 = world

    with pytest.raises(ValidationError) as refused:
        _update(pledger_a, action, d1, status="delivered", progress=100, delivered_on=datetime.date(2025, 6, 2))

    assert refused.value.message_dict[f"deliverable-{d1.pk}-delivered_on"] == ["The delivery date is in the future."]


def test_a_deliverable_of_another_action_is_refused(world, pledger_a):
    action, _d1, _d2 = world
    other = build.deliverable(build.action(action.pillar, "1.2"), "D1", progress=0)

    with pytest.raises(ValidationError) as refused:
        _update(pledger_a, action, other)

    assert "deliverables" in refused.value.message_dict


def test_an_unchanged_update_writes_no_version(world, pledger_a):
    action, d1, _d2 = world
    _update(pledger_a, action, d1)
    counts = (action.history.count(), d1.history.count())

    _update(pledger_a, action, d1)

    assert (action.history.count(), d1.history.count()) == counts


def test_only_reviewers_appoint_and_remove_working_group_leads(world, reviewer, pledger_a, pledger_b,
                                                               member_state_focal):
    action, _d1, _d2 = world
    with pytest.raises(PermissionDenied):
        services.working_group_lead_appoint(actor=pledger_a, pillar=action.pillar, user=member_state_focal)
    with pytest.raises(ValidationError, match="already leads"):
        services.working_group_lead_appoint(actor=reviewer, pillar=action.pillar, user=pledger_a)
    lead = action.pillar.leads.get(user=pledger_a)
    assert lead.appointed_by == reviewer
    with pytest.raises(PermissionDenied):
        services.working_group_lead_remove(actor=pledger_b, lead=lead)

    services.working_group_lead_remove(actor=reviewer, lead=lead)

    with pytest.raises(PermissionDenied):
        _update(pledger_a, action, _d1)
