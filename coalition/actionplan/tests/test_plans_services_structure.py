"""The secretariat edits plans, pillars, actions and deliverables through the services: each
checks who acts, validates by field, writes a version only when something changed, and never
deletes what another record refers to."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan
from coalition.actionplan.services import plans as services
from coalition.actionplan.tests.plan_builders import make_apis


@pytest.fixture
def apis(db):
    return make_apis()


PLAN = {"slug": "ap-is-2022-2026", "name_en": "AP-IS Action Plan 2022–2026", "short_name": "AP-IS 2022–2026",
        "start_year": "2022", "end_year": "2026"}


@pytest.fixture
def plan(apis, reviewer):
    return services.plan_create(actor=reviewer, data={**PLAN, "initiative": apis})


@pytest.fixture
def pillar(plan, reviewer, apis):
    return services.pillar_create(actor=reviewer, plan=plan, data={
        "code": "P1", "name_en": "Connectivity for all", "working_group_en": "Connectivity for All",
        "framework_node": apis.nodes.get(code="P1")})


@pytest.fixture
def action(plan, pillar, reviewer):
    return services.action_create(actor=reviewer, plan=plan, data={"code": "1.1", "title_en": "Map", "pillar": pillar})


def _refused(call, field):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict[field][0]


def test_a_reviewer_creates_a_plan_with_its_first_version(plan, reviewer):
    assert (plan.start_year, plan.end_year) == (2022, 2026)
    assert [(v.history_type, v.history_user) for v in plan.history.all()] == [("+", reviewer)]


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "member_state_focal"])
def test_others_may_not_change_a_plan(request, apis, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied, match="Only the secretariat's reviewers"):
        services.plan_create(actor=actor, data={**PLAN, "initiative": apis})

    assert not Plan.objects.exists()


def test_an_administrator_may(apis, administrator):
    assert services.plan_create(actor=administrator, data={**PLAN, "initiative": apis}).pk


def test_a_plan_without_initiative_or_with_years_out_of_order_is_refused(reviewer):
    assert _refused(lambda: services.plan_create(actor=reviewer, data={**PLAN, "initiative": None}),
                    "initiative") == "Choose the initiative the plan belongs to."
    assert _refused(lambda: services.plan_create(actor=reviewer, data={**PLAN, "end_year": "2020"}),
                    "end_year") == "The last year comes before the first year."


def test_saving_the_same_values_writes_no_version(plan, reviewer, apis):
    services.plan_update(actor=reviewer, plan=plan, data={**PLAN, "initiative": apis})

    assert plan.history.count() == 1


def test_a_plan_cannot_follow_itself(plan, reviewer, apis):
    message = _refused(lambda: services.plan_update(actor=reviewer, plan=plan,
                                                    data={**PLAN, "initiative": apis, "previous": plan}), "previous")
    assert message == "A plan cannot follow itself, or a plan that follows it."


def test_a_pillar_takes_a_framework_node_of_its_plans_initiative_only(plan, reviewer, initiative):
    other = initiative.nodes.first()

    message = _refused(lambda: services.pillar_create(actor=reviewer, plan=plan, data={
        "code": "P9", "name_en": "Elsewhere", "framework_node": other}), "framework_node")

    assert message == "Choose a framework node of the plan's initiative."


def test_pillar_codes_are_unique_in_a_plan(pillar, plan, reviewer):
    assert _refused(lambda: services.pillar_create(actor=reviewer, plan=plan, data={
        "code": "P1", "name_en": "Again"}), "code") == "The plan has another pillar P1."


def test_an_action_edit_with_links_is_one_version(action, reviewer, pillar, entity_a, entity_b, countries):
    services.action_update(actor=reviewer, action=action, data={
        "code": "1.1", "title_en": "Map", "pillar": pillar, "lead": entity_a, "partners": [entity_b],
        "countries": [countries["NPL"], countries["BTN"]], "status": "ongoing", "weight": "2.5"})

    action.refresh_from_db()
    assert (action.lead, action.status, action.weight) == (entity_a, "ongoing", Decimal("2.5"))
    assert action.history.count() == 2
    latest = action.history.order_by("-history_id").first()
    assert (latest.history_user, sorted(r.country.iso3 for r in latest.countries.all())) == (reviewer, ["BTN", "NPL"])


def test_an_action_continues_an_action_of_the_previous_plan_only(action, plan, reviewer, apis):
    later = services.plan_create(actor=reviewer, data={**PLAN, "slug": "next", "start_year": "2027",
                                                        "end_year": "2030", "initiative": apis, "previous": plan})
    pillar = services.pillar_create(actor=reviewer, plan=later, data={"code": "P1", "name_en": "Connectivity"})
    carried = services.action_create(actor=reviewer, plan=later, data={
        "code": "1.1", "title_en": "Map again", "pillar": pillar, "continues": action})
    assert carried.continues == action

    message = _refused(lambda: services.action_create(actor=reviewer, plan=later, data={
        "code": "1.2", "title_en": "Itself", "pillar": pillar, "continues": carried}), "continues")
    assert message == "An action continues an action of the previous plan only."


def test_a_continued_action_cannot_be_deleted(action, plan, reviewer, apis):
    later = services.plan_create(actor=reviewer, data={**PLAN, "slug": "next", "start_year": "2027",
                                                        "end_year": "2030", "initiative": apis, "previous": plan})
    pillar = services.pillar_create(actor=reviewer, plan=later, data={"code": "P1", "name_en": "Connectivity"})
    services.action_create(actor=reviewer, plan=later, data={"code": "1.1", "title_en": "Again", "pillar": pillar,
                                                             "continues": action})

    message = _refused(lambda: services.action_delete(actor=reviewer, action=action), "code")

    assert message == ("Action 1.1 cannot be deleted: actions of a later plan continuing it (1). Mark it discontinued "
                       "instead.")


def test_deleting_an_action_deletes_its_deliverables_keeping_their_history(action, reviewer):
    services.deliverable_create(actor=reviewer, action=action, data={"code": "D1", "title_en": "Study"})

    services.action_delete(actor=reviewer, action=action)

    assert not Action.objects.exists() and not Deliverable.objects.exists()
    assert Deliverable.history.filter(history_type="-", history_user=reviewer).count() == 1


def test_a_pillar_with_actions_or_leads_cannot_be_deleted(pillar, action, reviewer, pledger_a):
    assert "actions (1)" in _refused(lambda: services.pillar_delete(actor=reviewer, pillar=pillar), "code")

    services.action_delete(actor=reviewer, action=action)
    services.working_group_lead_appoint(actor=reviewer, pillar=pillar, user=pledger_a)
    assert "working-group leads appointed to it (1)" in _refused(
        lambda: services.pillar_delete(actor=reviewer, pillar=pillar), "code")


def test_deliverable_rules_are_checked(action, reviewer):
    assert _refused(lambda: services.deliverable_create(actor=reviewer, action=action, data={
        "code": "D1", "title_en": "Study", "status": "delivered", "progress": "60"}), "progress").startswith(
        "A delivered deliverable is 100 % done")
    assert _refused(lambda: services.deliverable_create(actor=reviewer, action=action, data={
        "code": "D1", "title_en": "Study", "delivered_on": datetime.date(2024, 1, 1)}), "delivered_on").startswith(
        "Only a delivered deliverable has a delivery date")
    delivered = services.deliverable_create(actor=reviewer, action=action, data={
        "code": "D1", "title_en": "Study", "status": "Delivered", "delivered_on": "2024-01-01"})
    assert (delivered.status, delivered.progress) == ("delivered", 100)
    assert _refused(lambda: services.deliverable_create(actor=reviewer, action=action, data={
        "code": "D1", "title_en": "Again"}), "code") == "The action has another deliverable D1."


def test_a_title_too_long_is_refused_saying_how_long(action, reviewer):
    message = _refused(lambda: services.deliverable_create(actor=reviewer, action=action, data={
        "code": "D1", "title_en": "t" * 500}), "title_en")

    assert message == "Keep the title (english) to 400 characters at most; it has 500."


def test_a_pillar_may_be_deleted_once_empty(pillar, reviewer):
    services.pillar_delete(actor=reviewer, pillar=pillar)

    assert not Pillar.objects.exists()
    assert Pillar.history.filter(history_type="-").count() == 1
