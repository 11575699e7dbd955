"""Loading an edited file again updates the plan in place: a version only for what changed,
what the file no longer lists removed (its history kept, so earlier dates still show it), and
an unchanged file writes nothing at all. A dry run counts the same and writes nothing."""

import datetime
from decimal import Decimal

import pytest

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan
from coalition.actionplan.selectors.progress import plan_progress
from coalition.actionplan.services.plans import plan_file_load
from coalition.actionplan.tests.plan_builders import DATA, make_apis
from coalition.common.actors import SYSTEM
from coalition.common.asof import as_of_date, as_of_now
from coalition.reference.models import ImportRun


@pytest.fixture
def loaded(db, entity_a, entity_b, countries):
    make_apis()
    run = plan_file_load(actor=SYSTEM, path=DATA / "plan-2022.yaml")
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    return Plan.objects.get()


def _versions() -> int:
    return sum(model.history.count() for model in (Plan, Pillar, Action, Deliverable))


def _edited(tmp_path, replacements: list[tuple[str, str]]):
    text = (DATA / "plan-2022.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "plan-2022.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loading_the_same_file_again_writes_nothing(loaded):
    before = _versions()

    run = plan_file_load(actor=SYSTEM, path=DATA / "plan-2022.yaml")

    assert (run.created, run.updated, run.unchanged, run.deleted) == (0, 0, 12, 0)
    assert _versions() == before


def test_an_edit_writes_a_version_of_what_changed_only(loaded, tmp_path):
    before = _versions()
    path = _edited(tmp_path, [("{code: D2, title_en: Map online, weight: 3, progress: 40",
                               "{code: D2, title_en: Map online, weight: 3, progress: 60")])

    run = plan_file_load(actor=SYSTEM, path=path)

    assert (run.created, run.updated, run.unchanged, run.deleted) == (0, 1, 11, 0)
    assert _versions() == before + 1
    changed = Deliverable.objects.get(action__code="1.1", code="D2")
    assert changed.progress == 60
    assert [v.progress for v in changed.history.order_by("history_date", "history_id")] == [40, 60]


def test_links_changed_in_the_file_are_one_version_of_the_action(loaded, tmp_path):
    path = _edited(tmp_path, [("countries: [NPL, BTN]", "countries: [NPL, KEN]")])

    run = plan_file_load(actor=SYSTEM, path=path)

    assert run.updated == 1
    action = Action.objects.get(code="1.1")
    assert sorted(c.iso3 for c in action.countries.all()) == ["KEN", "NPL"]
    latest = action.history.order_by("-history_date", "-history_id").first()
    assert sorted(row.country.iso3 for row in latest.countries.all()) == ["KEN", "NPL"]
    assert action.history.count() == 2


def test_what_the_file_no_longer_lists_is_removed_and_stays_in_history(loaded, tmp_path):
    path = _edited(tmp_path, [
        ("      - code: \"1.3\"\n        title_en: Spectrum practices\n", ""),
        ("          - {code: D2, title_en: Forum, progress: 0, status: dropped}\n", ""),
    ])
    yesterday = as_of_date(datetime.date.today() - datetime.timedelta(days=1))

    run = plan_file_load(actor=SYSTEM, path=path)

    assert (run.deleted, run.created, run.updated) == (2, 0, 0)
    assert not Action.objects.filter(code="1.3").exists()
    assert not Deliverable.objects.filter(action__code="2.1", code="D2").exists()
    assert Action.history.filter(code="1.3", history_type="-").exists()
    pillar = Pillar.objects.get(code="P1")
    assert plan_progress(plan=loaded, as_of=as_of_now()).by_pillar[pillar.pk].actions == 2
    # Before today's reload the removed action still showed (loaded today: as of yesterday, nothing).
    assert plan_progress(plan=loaded, as_of=yesterday).actions == 0


def test_moving_an_action_to_another_pillar_updates_it(loaded, tmp_path):
    path = _edited(tmp_path, [("      - code: \"1.3\"\n        title_en: Spectrum practices\n", "")])
    path.write_text(path.read_text(encoding="utf-8") + '      - code: "1.3"\n        title_en: Spectrum practices\n',
                    encoding="utf-8")

    run = plan_file_load(actor=SYSTEM, path=path)

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert Action.objects.get(code="1.3").pillar.code == "P2"
    assert (run.deleted, run.created, run.updated) == (0, 0, 1)


def test_a_dry_run_counts_the_changes_and_writes_nothing(loaded, tmp_path):
    before = _versions()
    path = _edited(tmp_path, [("weight: 2\n", "weight: 4\n"),
                              ("      - code: \"1.3\"\n        title_en: Spectrum practices\n", "")])

    run = plan_file_load(actor=SYSTEM, path=path, dry_run=True)

    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.kind, run.updated, run.deleted) == ("action_plan_dry_run", 1, 1)
    assert _versions() == before
    assert Pillar.objects.get(code="P1").weight == Decimal(2)
    assert Action.objects.filter(code="1.3").exists()


def test_a_dry_run_of_a_new_plan_leaves_no_plan(db, entity_a, entity_b, countries):
    make_apis()

    run = plan_file_load(actor=SYSTEM, path=DATA / "plan-2022.csv", dry_run=True)

    assert (run.status, run.created) == (ImportRun.Status.SUCCEEDED, 12)
    assert not Plan.objects.exists() and not Plan.history.exists()
