"""A malformed file is refused with row-level errors, and nothing of it is imported."""

import pytest

from coalition.common.actors import SYSTEM
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import Edition, ObservationRevision
from coalition.indicators.readers import reader_for
from coalition.indicators.tests.import_fixtures import DATA, sources, table_sizes  # noqa: F401 (fixtures)
from coalition.reference.models import ImportRun

pytestmark = pytest.mark.django_db


def refused(sources, format, name, *, source="itu-datahub"):
    before_editions = Edition.objects.count()
    run = indicator_import(actor=SYSTEM, reader=reader_for(format, DATA / name, source=sources[source]), source=sources[source],
                           edition_label="bad")
    assert run.status == ImportRun.Status.FAILED
    assert (run.created, run.updated, run.unchanged) == (0, 0, 0)
    assert Edition.objects.count() == before_editions
    assert ImportRun.objects.get(pk=run.pk).edition == "bad"  # what was attempted stays on record
    return [(e["row"], e["column"], e["message"]) for e in run.errors]


def test_a_missing_column_is_named_on_row_1(sources, table_sizes):
    assert refused(sources, "tidy", "tidy_missing_column.csv") == [(1, "value", "Missing column 'value'")]
    assert table_sizes() == (0, 0)


def test_text_in_a_value_is_refused_with_its_row_and_column(sources, table_sizes):
    assert refused(sources, "tidy", "tidy_text_value.csv") == [
        (3, "value", "'about forty' is not a number"),
        (4, "value", "'nan' is not a finite number"),
    ]
    assert table_sizes() == (0, 0)


def test_an_unknown_country_code_is_refused(sources, table_sizes):
    assert refused(sources, "tidy", "tidy_unknown_country.csv") == [
        (3, "country", "Unknown country code 'XYZ' (not in the country table)"),
    ]
    assert table_sizes() == (0, 0)


def test_a_duplicate_row_names_the_first_one(sources, table_sizes):
    assert refused(sources, "tidy", "tidy_duplicate_row.csv") == [
        (4, "country", "Duplicate of line 2: internet-use for KEN in 2023 is given twice"),
    ]
    assert table_sizes() == (0, 0)


def test_the_run_counts_each_row_read_once(sources):
    # Three values read; the duplicate is counted once though it was staged before being refused.
    indicator_import(actor=SYSTEM, reader=reader_for("tidy", DATA / "tidy_duplicate_row.csv", source=sources["itu-datahub"]),
                     source=sources["itu-datahub"], edition_label="bad")
    assert ImportRun.objects.latest("pk").rows_read == 3
    indicator_import(actor=SYSTEM, reader=reader_for("tidy", DATA / "tidy_text_value.csv", source=sources["itu-datahub"]),
                     source=sources["itu-datahub"], edition_label="bad")
    assert ImportRun.objects.latest("pk").rows_read == sum(1 for _ in open(DATA / "tidy_text_value.csv")) - 1


def test_an_unknown_indicator_is_refused(sources):
    assert refused(sources, "tidy", "tidy_unknown_indicator.csv") == [
        (2, "indicator", "Unknown indicator 'internet-speed' (neither an indicator code nor a itu-datahub series)"),
    ]


def test_every_error_of_a_file_is_reported_at_once(sources, table_sizes):
    assert refused(sources, "itu-datahub", "itu_malformed.csv") == [
        (5, "dataValue", "'n/a' is not a number"),
        (6, "entityIso", "Unknown country code 'ZZZ' (not in the country table)"),
        (8, "dataYear", "'FY23' is not a year (expected four digits, e.g. 2023)"),
        (7, "entityIso", "Duplicate of line 3: internet-use for KEN in 2023 is given twice"),
    ]
    assert table_sizes() == (0, 0)


def test_world_bank_files_are_refused_for_unknown_codes_and_repeated_economies(sources, table_sizes):
    assert refused(sources, "wb-api", "wb_unknown_code.csv", source="wb-wdi") == [
        (7, "Country Code", "Unknown country code 'ATL' (not in the country table)"),
    ]
    assert refused(sources, "wb-api", "wb_duplicate_row.csv", source="wb-wdi") == [
        (8, "Country Code", "Duplicate of line 6: internet-use for KEN in 2019, 2020, 2022 is given twice"),
    ]
    assert table_sizes() == (0, 0)


def test_a_refused_file_leaves_existing_values_alone(sources, table_sizes):
    source = sources["itu-datahub"]
    indicator_import(actor=SYSTEM, reader=reader_for("itu-datahub", DATA / "itu_internet_2024.csv", source=source),
                     source=source, edition_label="2024")
    before = table_sizes()
    refused(sources, "itu-datahub", "itu_malformed.csv")
    assert table_sizes() == before
    assert ObservationRevision.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused(sources, tmp_path):
    path = tmp_path / "values.xlsx"
    path.write_text("country,indicator,year,value\n")
    source = sources["itu-datahub"]
    run = indicator_import(actor=SYSTEM, reader=reader_for("xlsx", path, source=source), source=source, edition_label="x")
    assert run.status == ImportRun.Status.FAILED
    assert run.errors[0]["message"].startswith("“values.xlsx” is not an XLSX file")


def test_errors_beyond_the_cap_are_counted(sources, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("country,indicator,year,value\n" + "".join(f"KEN,internet-use,{2000 + i % 50},x{i}\n" for i in range(250)))
    source = sources["itu-datahub"]
    run = indicator_import(actor=SYSTEM, reader=reader_for("tidy", path, source=source), source=source, edition_label="x")
    assert len(run.errors) == 201
    assert run.errors[-1]["message"] == "… and 50 more errors"
