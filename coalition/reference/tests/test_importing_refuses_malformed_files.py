"""Every file importer refuses bad input with row-numbered errors and writes nothing."""

import pytest
from django.apps import apps

from coalition.reference.importing import run_import
from coalition.reference.loaders import FILE_SOURCES
from coalition.reference.loaders.base import DATA_DIR
from coalition.reference.loaders.development_groups import DevelopmentGroupLoader
from coalition.reference.models import ImportRun
from coalition.reference.testing import FIXTURE_DIR
from coalition.reference.tests.conftest import CsvFixture

# source key -> (file, ISO3 or code column, a column to drop, (column, bad value))
CASES = {
    "m49": ("country-codes.csv", "ISO3166-1-Alpha-3", "Region Code", ("Region Code", "abc")),
    "itu-regions": ("itu-regions.csv", "iso3", "itu_region_code", ("itu_region_code", "XYZ")),
    "escap": ("escap-members.csv", "iso3", "membership", ("membership", "observer")),
    "income-groups": ("wb_country_metadata.csv", "Country Code", "IncomeGroup", ("IncomeGroup", "Rich")),
    "sdg": ("sdg.csv", None, "short_en", ("goal", "18")),
    "sdg-texts": ("sdg-goals-targets.csv", None, "title_en", ("goal", "18")),
    "wsis": ("wsis-action-lines.csv", None, "level", ("code", "X1")),
    "rates-csv": ("exchange-rates.csv", "currency", "usd_per_unit", ("usd_per_unit", "-1")),
    "development-groups": ("development_groups.csv", "iso3", "valid_to", ("valid_to", "2020-13-01")),
}


def loader_for(key, path):
    if key == "development-groups":
        return DevelopmentGroupLoader(path)
    return FILE_SOURCES[key].make(path)


def reference_row_counts():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("reference").get_models()
        if model is not ImportRun
    }


def fixture_for(key):
    # The development groups and SDG tables are authored with the code, not kept in tests/data.
    folder = DATA_DIR if key in ("development-groups", "sdg") else FIXTURE_DIR
    return CsvFixture(CASES[key][0], folder)


def run_broken(key, fixture, tmp_path):
    path, lines = fixture.write(tmp_path)
    before = reference_row_counts()
    run = run_import(loader=loader_for(key, path))
    assert run.status == ImportRun.Status.FAILED
    assert reference_row_counts() == before, "a failed import must write nothing"
    assert (run.created, run.updated, run.deleted) == (0, 0, 0)
    return run, lines


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_missing_column_is_refused_on_the_header_line(reference, tmp_path, key):
    fixture = fixture_for(key)
    dropped = fixture.column(CASES[key][2])
    fixture.rows = [row[:dropped] + row[dropped + 1:] for row in fixture.rows]

    run, _lines = run_broken(key, fixture, tmp_path)

    assert {"row": 1, "column": CASES[key][2]} == {k: run.errors[0][k] for k in ("row", "column")}
    assert "Missing column" in run.errors[0]["message"]


@pytest.mark.parametrize("key", sorted(k for k, case in CASES.items() if case[1]))
def test_an_unknown_code_is_refused_with_its_line(reference, tmp_path, key):
    fixture = fixture_for(key)
    fixture.rows[3][fixture.column(CASES[key][1])] = "QQQ"

    run, lines = run_broken(key, fixture, tmp_path)

    assert any(e["row"] == lines[3] and e["column"] == CASES[key][1] and "QQQ" in e["message"] for e in run.errors), run.errors


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_duplicate_row_is_refused_with_both_lines(reference, tmp_path, key):
    fixture = fixture_for(key)
    fixture.rows.append(list(fixture.rows[2]))

    run, lines = run_broken(key, fixture, tmp_path)

    duplicate = [e for e in run.errors if "Duplicate" in e["message"]]
    assert duplicate and duplicate[0]["row"] == lines[-1], run.errors
    assert f"line {lines[2]}" in duplicate[0]["message"]


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_bad_value_is_refused_naming_row_and_column(reference, tmp_path, key):
    fixture = fixture_for(key)
    column, value = CASES[key][3]
    fixture.rows[2][fixture.column(column)] = value

    run, lines = run_broken(key, fixture, tmp_path)

    assert any(e["row"] == lines[2] and e["column"] == column for e in run.errors), run.errors


def test_every_error_is_reported_not_just_the_first(reference, tmp_path):
    fixture = CsvFixture("itu-regions.csv")
    for index in (1, 2, 3):
        fixture.rows[index][fixture.column("itu_region_code")] = "XYZ"

    run, lines = run_broken("itu-regions", fixture, tmp_path)

    assert [e["row"] for e in run.errors] == lines[1:4]


def test_an_unreadable_file_fails_the_run_with_a_message(reference, tmp_path):
    path = tmp_path / "itu-regions.csv"
    path.write_bytes(b"iso3,itu_region_code\n\xff\xfe\n")

    run = run_import(loader=FILE_SOURCES["itu-regions"].make(path))

    assert run.status == ImportRun.Status.FAILED
    assert "Could not read" in run.errors[0]["message"]
