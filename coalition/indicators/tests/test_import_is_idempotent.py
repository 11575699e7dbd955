"""Re-running an import changes nothing; every value keeps its source, edition and run."""

import pytest

from coalition.common.actors import SYSTEM
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import Edition, Observation, ObservationRevision
from coalition.indicators.readers import reader_for
from coalition.indicators.tests.import_fixtures import DATA, sources  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def run_itu(sources, name, edition="2025-12"):
    source = sources["itu-datahub"]
    return indicator_import(actor=SYSTEM, reader=reader_for("itu-datahub", DATA / name, source=source), source=source, edition_label=edition)


def test_the_first_import_creates_every_value_with_its_source_edition_and_run(sources):
    run = run_itu(sources, "itu_coverage.csv")
    assert (run.status, run.created, run.updated, run.unchanged, run.skipped) == ("succeeded", 4, 0, 0, 4)
    assert run.kind == "indicators:itu-datahub"
    assert [w["column"] for w in run.warnings] == ["seriesCode", "entityIso"]
    edition = Edition.objects.get(source=sources["itu-datahub"], label="2025-12")
    assert set(Observation.objects.values_list("source__code", "edition", "import_run")) == {("itu-datahub", edition.pk, run.pk)}


def test_re_running_the_same_file_changes_nothing(sources):
    first = run_itu(sources, "itu_coverage.csv")
    before = list(Observation.objects.order_by("pk").values())
    again = run_itu(sources, "itu_coverage.csv")
    assert (again.status, again.created, again.updated, again.unchanged) == ("succeeded", 0, 0, 4)
    assert list(Observation.objects.order_by("pk").values()) == before
    assert ObservationRevision.objects.count() == 0
    assert Edition.objects.count() == 1
    assert first.pk != again.pk


def test_the_same_values_from_another_source_are_kept_apart(sources):
    run_itu(sources, "itu_internet_2024.csv")
    world_bank = sources["wb-wdi"]
    run = indicator_import(actor=SYSTEM, reader=reader_for("wb-api", DATA / "wb_internet.csv", source=world_bank), source=world_bank,
                           edition_label="2024-11")
    assert run.created == 4
    assert Observation.objects.filter(source=world_bank).count() == 4
    assert Observation.objects.filter(source=sources["itu-datahub"]).count() == 3
