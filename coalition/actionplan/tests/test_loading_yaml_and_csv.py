"""A plan's file loads whole, in YAML or in CSV, into the plan, its pillars, actions and
deliverables, with every link resolved; both formats say the same."""

import datetime
from decimal import Decimal

import pytest

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan
from coalition.actionplan.services.plans import plan_file_load
from coalition.actionplan.tests.plan_builders import DATA, make_apis
from coalition.common.actors import SYSTEM
from coalition.reference.models import ImportRun


@pytest.fixture
def apis(db):
    return make_apis()


def _structure(plan: Plan) -> dict:
    """The loaded plan as plain values, to compare two loads."""
    return {
        "plan": {name: getattr(plan, name) for name in ("slug", "name_en", "name_fr", "short_name", "start_year",
                                                         "end_year", "endorsed_by", "endorsed_on",
                                                         "endorsement_document", "endorsement_url")},
        "pillars": [(p.code, p.name_en, p.working_group_en, p.framework_node.code, p.weight, p.order)
                    for p in plan.pillars.order_by("order")],
        "actions": [(a.code, a.pillar.code, a.title_en, a.title_fr, a.description_en, a.lead and a.lead.name,
                     sorted(e.name for e in a.partners.all()), sorted(c.iso3 for c in a.countries.all()),
                     a.start_date, a.end_date, a.status, a.weight, a.order, a.illustrative)
                    for a in plan.actions.order_by("pillar__order", "order")],
        "deliverables": [(d.action.code, d.code, d.title_en, d.due_date, d.weight, d.progress, d.status,
                          d.delivered_on, d.order)
                         for d in Deliverable.objects.filter(action__plan=plan).order_by("action__code", "order")],
    }


@pytest.mark.parametrize("name", ["plan-2022.yaml", "plan-2022.csv"])
def test_the_file_loads_the_whole_plan(apis, entity_a, entity_b, countries, name):
    run = plan_file_load(actor=SYSTEM, path=DATA / name)

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert (run.kind, run.rows_read, run.created, run.deleted) == ("action_plan", 12, 12, 0)
    plan = Plan.objects.get(slug="test-2022-2026")
    assert plan.initiative == apis
    assert plan.endorsed_on == datetime.date(2022, 9, 1)
    assert [p.framework_node.code for p in plan.pillars.order_by("order")] == ["P1", "P3"]
    mapping = Action.objects.get(plan=plan, code="1.1")
    assert mapping.lead == entity_a
    assert list(mapping.partners.all()) == [entity_b]
    assert sorted(c.iso3 for c in mapping.countries.all()) == ["BTN", "NPL"]
    assert (mapping.weight, mapping.status, mapping.illustrative) == (Decimal(3), "ongoing", True)
    assert Action.objects.get(plan=plan, code="1.2").illustrative is False
    assert list(Deliverable.objects.filter(action=mapping).values_list("code", "progress", "status")) == [
        ("D1", 100, "delivered"), ("D2", 40, "in_progress")]
    assert Pillar.objects.get(plan=plan, code="P1").working_group_en == "Connectivity for All"


def test_yaml_and_csv_say_the_same(apis, entity_a, entity_b, countries):
    plan_file_load(actor=SYSTEM, path=DATA / "plan-2022.yaml")
    from_yaml = _structure(Plan.objects.get())
    Plan.objects.all().delete()

    run = plan_file_load(actor=SYSTEM, path=DATA / "plan-2022.csv")

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert _structure(Plan.objects.get()) == from_yaml


def test_each_record_gets_its_first_version_signed_by_the_file(apis, entity_a, entity_b, countries):
    plan_file_load(actor=SYSTEM, path=DATA / "plan-2022.yaml")

    plan = Plan.objects.get()
    versions = plan.history.all()
    assert [(v.history_type, v.history_user, v.history_change_reason) for v in versions] == [
        ("+", None, "loaded from plan-2022.yaml")]
    assert Action.history.filter(plan_id=plan.pk).count() == 4
    mapping = Action.history.get(code="1.1")
    assert sorted(row.country.iso3 for row in mapping.countries.all()) == ["BTN", "NPL"]
