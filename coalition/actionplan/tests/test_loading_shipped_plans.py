"""The plans the project ships load on the reference data a fresh checkout has: AP-IS 2022–2026
with its real name, endorsement and three pillars, 25 actions all marked illustrative, and the
illustrative draft of 2027–2030 carrying some of them on. The command loads them too."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coalition.actionplan.models import Action, Plan
from coalition.actionplan.selectors.progress import plan_progress
from coalition.actionplan.services.plans import SHIPPED_DIR, plans_shipped_load
from coalition.common.actors import SYSTEM
from coalition.common.asof import as_of_now
from coalition.reference.importing import run_import
from coalition.reference.loaders.initiatives import FrameworkLoader, InitiativeLoader
from coalition.reference.loaders.pycountry_countries import CountryLoader
from coalition.reference.models import ImportRun


@pytest.fixture
def reference(db):
    for loader in (CountryLoader(), InitiativeLoader(), FrameworkLoader()):
        assert run_import(loader=loader).status == ImportRun.Status.SUCCEEDED


def test_the_shipped_plans_load_and_say_what_is_real(reference):
    runs = plans_shipped_load(actor=SYSTEM)

    assert [run.status for run in runs] == [ImportRun.Status.SUCCEEDED] * 2, [run.errors for run in runs]
    plan = Plan.objects.get(slug="ap-is-2022-2026")
    assert (plan.initiative.slug, plan.start_year, plan.end_year) == ("ap-is", 2022, 2026)
    assert plan.endorsement_document == "ESCAP/CICTSTI/2022/6, decision 1"
    assert "fourth session (Bangkok and online, 30 August–1 September 2022)" in plan.endorsed_by
    assert [(p.code, p.working_group_en, p.framework_node.code) for p in plan.pillars.order_by("order")] == [
        ("P1", "Connectivity for All", "P1"), ("P2", "Digital Technologies and Applications", "P2"),
        ("P3", "Digital Data", "P3")]
    assert plan.actions.count() == 25
    assert not plan.actions.filter(illustrative=False).exists()
    draft = Plan.objects.get(slug="ap-is-2027-2030")
    assert draft.previous == plan and not draft.endorsed_by
    assert Action.objects.filter(plan=draft, continues__plan=plan).count() == 6


def test_the_shipped_plan_has_a_meaningful_roll_up(reference):
    plans_shipped_load(actor=SYSTEM)

    progress = plan_progress(plan=Plan.objects.get(slug="ap-is-2022-2026"), as_of=as_of_now())

    assert progress.figure is not None and 0 < progress.figure < 100
    assert progress.pillars_covered == 3
    assert 0 < progress.actions_without_deliverables < progress.actions


def test_loading_them_again_changes_nothing(reference):
    plans_shipped_load(actor=SYSTEM)

    runs = plans_shipped_load(actor=SYSTEM)

    assert [(run.created, run.updated, run.deleted) for run in runs] == [(0, 0, 0), (0, 0, 0)]


def test_the_command_loads_a_file_and_reports_what_it_did(reference, capsys):
    call_command("actionplan", "load", str(SHIPPED_DIR / "ap-is-2022-2026.yaml"), "--dry-run")
    assert "would load 66 records: 66 created" in capsys.readouterr().out
    assert not Plan.objects.exists()

    call_command("actionplan", "load", str(SHIPPED_DIR / "ap-is-2022-2026.yaml"))
    call_command("actionplan", "progress", "ap-is-2022-2026")

    output = capsys.readouterr().out
    assert "loaded 66 records: 66 created" in output
    assert "AP-IS 2022–2026, as of" in output and "P3" in output


def test_the_command_refuses_a_bad_file_listing_its_errors(reference, tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text("slug: x\ninitiative: nowhere\n", encoding="utf-8")

    with pytest.raises(CommandError, match="was refused; nothing was loaded"):
        call_command("actionplan", "load", str(path))

    assert "line 2, initiative: Unknown initiative 'nowhere'" in capsys.readouterr().err
