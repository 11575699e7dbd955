"""A file with mistakes is refused whole: every error is reported at once with its line and its
field (the YAML path, or the CSV column), and nothing is written but the failed ImportRun."""

import pytest

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan
from coalition.actionplan.services.plans import plan_file_load
from coalition.actionplan.tests.plan_builders import DATA, make_apis
from coalition.common.actors import SYSTEM
from coalition.reference.models import ImportRun


@pytest.fixture
def apis(db):
    return make_apis()


def _errors(run) -> set[tuple]:
    return {(error["row"], error["column"]) for error in run.errors}


def _message(run, row, column) -> str:
    return next(error["message"] for error in run.errors if (error["row"], error["column"]) == (row, column))


def test_yaml_errors_name_their_line_and_path(apis, countries):
    run = plan_file_load(actor=SYSTEM, path=DATA / "plan-errors.yaml")

    assert run.status == ImportRun.Status.FAILED
    assert _errors(run) >= {
        (7, "end_year"), (8, "endorsed_on"), (9, "titel"),
        (13, "pillars[0].framework_node"), (14, "pillars[0].weight"),
        (18, "pillars[0].actions[0].countries"), (19, "pillars[0].actions[0].lead"),
        (20, "pillars[0].actions[0].status"), (22, "pillars[0].actions[0].end"),
        (23, "pillars[0].actions[0].continues"),
        (25, "pillars[0].actions[0].deliverables[0].progress"),
        (26, "pillars[0].actions[0].deliverables[1].progress"),
        (27, "pillars[0].actions[0].deliverables[2].code"),
        (28, "pillars[0].actions[1].code"),
        (30, "pillars[0].actions[2].code"), (31, "pillars[0].actions[2].title_en"),
    }
    assert [error["row"] for error in run.errors] == sorted(error["row"] for error in run.errors)
    assert _message(run, 7, "end_year") == "The last year comes before the first year."
    assert "Unknown field 'titel'" in _message(run, 9, "titel")
    assert "ap-is has no framework node 'P9'" in _message(run, 13, "pillars[0].framework_node")
    assert _message(run, 18, "pillars[0].actions[0].countries") == "Unknown ISO3 code 'XXX' (not in the country table)"
    assert "No entity is registered as 'Nobody Registered'" in _message(run, 19, "pillars[0].actions[0].lead")
    assert "name that plan in the plan's `previous` field" in _message(run, 23, "pillars[0].actions[0].continues")
    assert _message(run, 25, "pillars[0].actions[0].deliverables[0].progress") == "Choose a number from 0 to 100."
    assert "first on line 25, pillars[0].actions[0].deliverables[0]" in _message(
        run, 27, "pillars[0].actions[0].deliverables[2].code")


def test_csv_errors_name_their_line_and_column(apis, countries):
    run = plan_file_load(actor=SYSTEM, path=DATA / "plan-errors.csv")

    assert run.status == ImportRun.Status.FAILED
    assert _errors(run) == {
        (1, "colour"), (4, "pillar"), (5, "weight"), (5, "due"), (6, "action"), (7, "record"), (8, "title_en"),
    }
    assert _message(run, 4, "pillar") == "No pillar 'P9' in the file"
    assert _message(run, 5, "weight") == "A weight cannot be negative."
    assert _message(run, 8, "title_en") == "The column title_en does not apply to a pillar row: leave it empty"


def test_nothing_is_written_when_the_file_is_refused(apis, countries):
    plan_file_load(actor=SYSTEM, path=DATA / "plan-errors.csv")

    assert not Plan.objects.exists()
    assert not Pillar.objects.exists() and not Action.objects.exists() and not Deliverable.objects.exists()
    assert not Plan.history.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_a_file_that_is_not_yaml_is_refused_with_its_line(apis, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("slug: x\npillars:\n  - code: P1\n   name_en: misaligned\n", encoding="utf-8")

    run = plan_file_load(actor=SYSTEM, path=path)

    assert run.status == ImportRun.Status.FAILED
    assert run.errors[0]["row"] == 4
    assert run.errors[0]["message"].startswith("Not valid YAML")


def test_a_key_given_twice_is_refused_rather_than_the_last_one_winning(apis, tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("slug: x\nslug: y\n", encoding="utf-8")

    run = plan_file_load(actor=SYSTEM, path=path)

    assert (2, "slug", "slug is given twice (first on line 1)") in {
        (e["row"], e["column"], e["message"]) for e in run.errors}


def test_another_extension_is_refused(apis, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"PK")

    run = plan_file_load(actor=SYSTEM, path=path)

    assert run.errors == [{"row": None, "column": "", "message": "plan.xlsx: a plan is read from a .yaml, .yml or "
                                                                   ".csv file"}]


def test_a_missing_file_is_refused_saying_so(apis, tmp_path):
    run = plan_file_load(actor=SYSTEM, path=tmp_path / "absent.yaml")

    assert run.status == ImportRun.Status.FAILED
    assert run.errors[0]["message"].startswith("Could not read")


def test_a_file_describing_two_plans_is_refused(apis, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("record,code,initiative,name_en,short_name,start_year,end_year\n"
                    "plan,a,ap-is,A,A,2022,2026\nplan,b,ap-is,B,B,2022,2026\n", encoding="utf-8")

    run = plan_file_load(actor=SYSTEM, path=path)

    assert run.errors == [{"row": None, "column": "record",
                           "message": "The file should describe exactly one plan; it has 2 (lines 2, 3)"}]
