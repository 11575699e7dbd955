"""`coalition indicators load | import | fetch` wire the runner to files and report what happened."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.indicators import importing
from coalition.indicators.models import Indicator, Observation, StagedObservation
from coalition.indicators.tests.import_fixtures import DATA, sources  # noqa: F401 (fixture)
from coalition.reference.models import ImportRun

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("indicators", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_loads_one_file_and_prints_a_summary(sources):
    out, _ = run("import", "itu-datahub", str(DATA / "itu_coverage.csv"), "--source", "itu-datahub", "--edition", "2025-12")
    assert "itu_coverage.csv: 4 values: 4 created, 0 updated, 0 unchanged, 4 skipped" in out
    assert "line 2, seriesCode: Series 'i271pop' (At least 2G) is not in the catalogue" in out
    assert Observation.objects.count() == 4


def test_import_takes_the_indicator_of_a_file_without_an_indicator_column(sources):
    run("import", "tidy", str(DATA / "population.csv"), "--source", "wb-wdi", "--edition", "2026-03", "--indicator", "population")
    assert set(Observation.objects.values_list("indicator__code", flat=True)) == {"population"}


def test_a_refused_file_exits_non_zero_with_its_row_errors(sources):
    err = StringIO()
    with pytest.raises(CommandError, match="tidy_text_value.csv was refused; nothing was imported"):
        call_command("indicators", "import", "tidy", str(DATA / "tidy_text_value.csv"), "--source", "itu-datahub",
                     "--edition", "x", stdout=StringIO(), stderr=err)
    assert "line 3, value: 'about forty' is not a number" in err.getvalue()
    assert "line 4, value: 'nan' is not a finite number" in err.getvalue()
    assert (Observation.objects.count(), StagedObservation.objects.count()) == (0, 0)


def test_import_names_unknown_sources_and_misplaced_indicators(sources):
    with pytest.raises(CommandError, match="Unknown source 'imf'"):
        run("import", "tidy", str(DATA / "tidy.csv"), "--source", "imf", "--edition", "x")
    with pytest.raises(CommandError, match="--indicator applies to tidy and xlsx files"):
        run("import", "wb-api", str(DATA / "wb_internet.csv"), "--source", "wb-wdi", "--edition", "x", "--indicator", "population")


def test_large_imports_print_progress(sources, monkeypatch, tmp_path):
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    out, _ = run("import", "tidy", str(DATA / "tidy.csv"), "--source", "itu-datahub", "--edition", "x")
    assert "… 2 values read" in out and "… 4 values read" in out


def test_load_reads_the_catalogue_then_the_files_present_and_reports_the_missing(countries, tmp_path):
    shutil.copy(DATA / "wb_internet.csv", tmp_path / "wb_IT.NET.USER.ZS_internet_users_pct.csv")
    shutil.copy(DATA / "itu_coverage.csv", tmp_path / "itu_individuals_using_internet.csv")
    shutil.copy(DATA / "itu_internet_2024.csv", tmp_path / "itu_some_new_export.csv")
    out, _ = run("load", "--data-dir", str(tmp_path))
    assert "catalogue: " in out and Indicator.objects.filter(code="population").exists()
    assert "wb_IT.NET.USER.ZS_internet_users_pct.csv (wb-wdi 2024-11): 4 values: 4 created" in out
    assert "itu_individuals_using_internet.csv (itu-datahub 2025-12): 4 values: 4 created" in out
    assert "itu_some_new_export.csv (itu-datahub 2025-12): 3 values: 3 created" in out
    assert f"population.csv: skipped: not found in {tmp_path}" in out
    assert Observation.objects.count() == 11
    again, _ = run("load", "--data-dir", str(tmp_path))
    assert "4 values: 0 created, 0 updated, 4 unchanged" in again
    assert Observation.objects.count() == 11
    with pytest.raises(CommandError, match="missing or refused"):
        run("load", "--data-dir", str(tmp_path), "--strict")


def test_load_uses_the_data_folder_setting(countries, settings, tmp_path):
    settings.COALITION_DATA_DIR = str(tmp_path)
    shutil.copy(DATA / "population.csv", tmp_path / "population.csv")
    out, _ = run("load")
    assert "population.csv (wb-wdi 2026-03): 4 values: 4 created" in out
    assert ImportRun.objects.filter(kind="indicators:wb-wdi", status="succeeded").count() == 1


