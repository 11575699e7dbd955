"""The bad-input corpus given to the indicator XLSX reader: refused, named, nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.common.actors import SYSTEM
from coalition.indicators.importing import indicator_import, indicator_import_upload
from coalition.indicators.models import Edition, Indicator, Observation
from coalition.indicators.readers import reader_for
from coalition.indicators.readers.codes import WORLD_BANK_AGGREGATES
from coalition.indicators.tests.import_fixtures import sources, table_sizes  # noqa: F401 (fixtures)
from coalition.reference.models import Country, ImportRun
from coalition.tests import hostile_files as hostile

pytestmark = pytest.mark.django_db
HEADER = ["country", "indicator", "year", "value"]


def imported(sources, tmp_path, data: bytes, name: str = "values.xlsx") -> ImportRun:
    path = tmp_path / name
    path.write_bytes(data)
    source = sources["itu-datahub"]
    return indicator_import(actor=SYSTEM, reader=reader_for("xlsx", path, source=source, name=name), source=source,
                            edition_label="hostile")


def refused(sources, tmp_path, data: bytes, table_sizes) -> list[dict]:
    run = imported(sources, tmp_path, data)
    assert run.status == ImportRun.Status.FAILED
    assert (run.created, run.updated) == (0, 0) and table_sizes() == (0, 0)
    assert not Edition.objects.filter(label="hostile").exists()
    assert run.heartbeat_at is not None
    return run.errors


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: hostile.bomb(megabytes=64), "times its stored size"),
    (hostile.bomb_that_lies, "values.xlsx"),
    (hostile.csv_renamed, "is not an XLSX file"),
    (hostile.latin1_text, "is not an XLSX file"),
    (hostile.latin1_inside, "the sheet “Data” is not well-formed"),
    (hostile.password_protected, "password"),
    (hostile.old_excel, "Excel 97–2003"),
    (hostile.truncated, "damaged or incomplete"),
    (hostile.entity_expansion, "unsafe"),
    (hostile.far_column, "16,384 columns"),
], ids=["bomb", "bomb-that-lies", "csv-renamed", "latin1-text", "latin1-inside", "password-protected",
        "old-excel", "truncated", "doctype", "column-xfd"])
def test_a_hostile_workbook_is_refused_with_its_name(sources, tmp_path, table_sizes, make, expected):
    errors = refused(sources, tmp_path, make(), table_sizes)
    assert len(errors) == 1
    assert expected in errors[0]["message"] and "values.xlsx" in errors[0]["message"]


def test_a_sheet_going_on_to_the_last_excel_row_is_refused_naming_the_row(sources, tmp_path, table_sizes):
    errors = refused(sources, tmp_path, hostile.far_row(), table_sizes)
    assert errors[0]["row"] == 200_001 and "the sheet “Data” goes on to row 1,048,576" in errors[0]["message"]


def test_formula_cells_are_refused_with_their_row_and_column(sources, tmp_path, table_sizes):
    data = hostile.with_formulas([HEADER, ["KEN", "internet-use", 2022, hostile.Formula("B9*100")],
                                  ["NPL", "internet-use", 2022, 38.1]])
    errors = refused(sources, tmp_path, data, table_sizes)
    assert [(e["row"], e["column"]) for e in errors] == [(2, "value")]
    assert "formula" in errors[0]["message"]


def test_rows_beyond_the_declared_dimension_are_imported(sources, tmp_path):
    rows = [HEADER] + [[iso3, "internet-use", 2022, 10.0 + n] for n, iso3 in enumerate(["KEN", "NPL", "BTN", "VUT"])]
    run = imported(sources, tmp_path, hostile.beyond_dimension(rows, declared=2))
    assert (run.status, run.created) == ("succeeded", 4), run.errors
    assert Observation.objects.count() == 4


def test_a_bad_row_beyond_the_declared_dimension_is_refused_on_its_row(sources, tmp_path, table_sizes):
    rows = [HEADER, ["KEN", "internet-use", 2022, 10.0], ["NPL", "internet-use", 2022, "lots"]]
    errors = refused(sources, tmp_path, hostile.beyond_dimension(rows, declared=2), table_sizes)
    assert [(e["row"], e["column"]) for e in errors] == [(3, "value")]


def test_a_100000_row_sheet_is_imported_within_bounds(sources, tmp_path):
    """Every (indicator, test country, year) once, then World Bank aggregates up to 100,000 rows."""
    countries = list(Country.objects.values_list("iso3", flat=True))
    codes = list(Indicator.objects.values_list("code", flat=True))
    rows = [HEADER] + [[iso3, code, year, 1.5] for code in codes for iso3 in countries for year in range(1900, 2101)]
    valid = len(rows) - 1
    aggregates = sorted(WORLD_BANK_AGGREGATES)
    rows += [[aggregates[n % len(aggregates)], "internet-use", 2000 + n % 25, 2.5] for n in range(100_000 - valid)]
    run = imported(sources, tmp_path, hostile.workbook({"Data": rows}))
    assert (run.status, run.created, run.skipped) == ("succeeded", valid, 100_000 - valid), run.errors[:3]
    assert Observation.objects.count() == valid


def test_the_admin_upload_refuses_a_bomb_in_its_background_task(sources, settings, tmp_path, administrator,
                                                               table_sizes):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("bomb.xlsx", hostile.bomb(megabytes=64))
    run = indicator_import_upload(actor=administrator, upload=upload, format="xlsx", source=sources["itu-datahub"],
                                  edition_label="hostile")
    assert run.status == ImportRun.Status.FAILED and run.task_id
    assert "times its stored size" in run.errors[0]["message"] and table_sizes() == (0, 0)
