"""Loading the next plan (`previous:`) with actions that carry earlier ones on (`continues:`)
writes only the new plan: the first keeps its records and history untouched, the continuation
is recorded, and an action a later plan continues is never removed from under it."""

import pytest

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan
from coalition.actionplan.services.plans import plan_file_load
from coalition.actionplan.tests.plan_builders import DATA, make_apis
from coalition.common.actors import SYSTEM
from coalition.reference.models import ImportRun


@pytest.fixture
def first(db, entity_a, entity_b, countries):
    make_apis()
    plan_file_load(actor=SYSTEM, path=DATA / "plan-2022.yaml")
    return Plan.objects.get(slug="test-2022-2026")


def _history_of(plan: Plan) -> list:
    rows = []
    for model in (Plan, Pillar, Action):
        field = "id" if model is Plan else "plan_id"
        rows += list(model.history.filter(**{field: plan.pk}).values_list("history_id", "history_date", "valid_to"))
    rows += list(Deliverable.history.filter(action_id__in=plan.actions.values("pk"))
                 .values_list("history_id", "history_date", "valid_to"))
    return sorted(rows)


def test_the_next_plan_loads_beside_the_first_which_stays_as_it_was(first):
    before = _history_of(first)

    run = plan_file_load(actor=SYSTEM, path=DATA / "plan-2027.yaml")

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    second = Plan.objects.get(slug="test-2027-2030")
    assert second.previous == first
    assert _history_of(first) == before
    assert first.actions.count() == 4


def test_the_continuations_are_recorded_both_ways(first):
    plan_file_load(actor=SYSTEM, path=DATA / "plan-2027.yaml")

    carried = Action.objects.get(plan__slug="test-2027-2030", code="1.1")
    assert carried.continues == Action.objects.get(plan=first, code="1.1")
    assert list(Action.objects.get(plan=first, code="2.1").continuations.values_list("plan__slug", "code")) == [
        ("test-2027-2030", "2.1")]
    assert Action.objects.get(plan__slug="test-2027-2030", code="1.2").continues is None


def test_a_continued_action_cannot_be_removed_from_the_first_plan(first, tmp_path):
    plan_file_load(actor=SYSTEM, path=DATA / "plan-2027.yaml")
    text = (DATA / "plan-2022.yaml").read_text(encoding="utf-8")
    start = text.index("  - code: P2")
    path = tmp_path / "plan-2022.yaml"
    path.write_text(text[:start], encoding="utf-8")

    run = plan_file_load(actor=SYSTEM, path=path)

    assert run.status == ImportRun.Status.FAILED
    assert run.errors == [{"row": None, "column": "actions", "message": (
        "Action 2.1 is no longer in the file, but it cannot be removed: actions of a later plan continuing it (1). "
        "Keep it in the file (its status may be discontinued)")}]
    assert first.actions.filter(code="2.1").exists()
    assert first.pillars.filter(code="P2").exists()


def test_continuing_an_action_the_previous_plan_does_not_have_is_refused(first, tmp_path):
    text = (DATA / "plan-2027.yaml").read_text(encoding="utf-8").replace('continues: "2.1"', 'continues: "9.9"')
    path = tmp_path / "plan-2027.yaml"
    path.write_text(text, encoding="utf-8")

    run = plan_file_load(actor=SYSTEM, path=path)

    assert [(e["column"], e["message"]) for e in run.errors] == [
        ("pillars[1].actions[0].continues", "test-2022-2026 has no action '9.9'")]


def test_a_previous_plan_not_loaded_yet_is_refused(db, countries):
    make_apis()

    run = plan_file_load(actor=SYSTEM, path=DATA / "plan-2027.yaml")

    assert run.errors[0] == {"row": 5, "column": "previous",
                             "message": "No plan 'test-2022-2026' is loaded: load the previous plan first"}
    assert len(run.errors) == 1


def test_two_plans_cannot_follow_each_other_in_a_circle(first, tmp_path):
    plan_file_load(actor=SYSTEM, path=DATA / "plan-2027.yaml")
    text = (DATA / "plan-2022.yaml").read_text(encoding="utf-8").replace(
        "initiative: ap-is\n", "initiative: ap-is\nprevious: test-2027-2030\n", 1)
    path = tmp_path / "plan-2022.yaml"
    path.write_text(text, encoding="utf-8")

    run = plan_file_load(actor=SYSTEM, path=path)

    assert [e["message"] for e in run.errors] == [
        "test-2027-2030 already follows test-2022-2026: plans cannot follow each other in a circle"]
