"""The bad-input corpus uploaded as offline reports: each file refused, named, nothing written.

The upload goes through the service and its background task (run at once in tests), so each
case covers what a focal point meets: the run ends failed with the sheet and row when there is
one, and not one report, actual or version is written.
"""

import io
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.reference.models import ImportRun
from coalition.reporting.models import ProgressReport
from coalition.reporting.tests.reporting_xlsx_fixtures import (
    filled,
    saved,
    stored_uploads,
    uploads_kept_in_tmp,  # noqa: F401 (fixture)
)
from coalition.reporting.xlsx import report_upload
from coalition.reporting.xlsx.columns import REPORT_COLUMNS
from coalition.tests import hostile_files as hostile

REPORTS_PART = "xl/worksheets/sheet1.xml"  # the template's first sheet


def as_upload(data: bytes, name: str = "reports.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def template_bytes(book) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@pytest.fixture
def refused(pledger_a, entity_a, published, uploads_kept_in_tmp):
    """Upload `data`; check the run failed, nothing was written and the stored file is gone."""
    def run(data: bytes, name: str = "reports.xlsx") -> ImportRun:
        before = saved()
        result = report_upload(actor=pledger_a, entity=entity_a, file=as_upload(data, name))
        assert saved() == before and stored_uploads(uploads_kept_in_tmp) == []
        assert result.status == ImportRun.Status.FAILED and result.finished_at is not None
        assert (result.created, result.updated, result.written) == (0, 0, [])
        assert result.heartbeat_at is not None
        return result
    return run


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: hostile.bomb(megabytes=64), "times its stored size"),
    (hostile.bomb_that_lies, "reports.xlsx"),
    (hostile.csv_renamed, "is not an XLSX file"),
    (hostile.latin1_text, "is not an XLSX file"),
    (hostile.password_protected, "password"),
    (hostile.old_excel, "Excel 97–2003"),
    (hostile.entity_expansion, "unsafe"),
], ids=["bomb", "bomb-that-lies", "csv-renamed", "latin1-text", "password-protected", "old-excel", "doctype"])
def test_a_hostile_file_is_refused_with_its_name(refused, make, expected):
    run = refused(make())
    assert len(run.errors) == 1
    assert expected in run.errors[0]["message"] and "reports.xlsx" in run.errors[0]["message"]


def test_a_truncated_template_is_refused(refused, entity_a):
    run = refused(hostile.truncated(template_bytes(filled(entity_a))))
    assert "damaged or incomplete" in run.errors[0]["message"]


def test_a_template_whose_sheet_is_in_another_encoding_names_the_sheet(refused, entity_a):
    data = template_bytes(filled(entity_a))
    sheet = hostile.part_read(data, REPORTS_PART).replace("120 schools", "120 \udcf4coles")
    run = refused(hostile.part_replace(data, REPORTS_PART, sheet.encode("utf-8", "surrogateescape")))
    assert run.errors[0]["sheet"] == "Reports" and "not well-formed" in run.errors[0]["message"]


def test_a_sheet_going_on_to_the_last_excel_row_is_refused_naming_sheet_and_row(refused, entity_a):
    data = template_bytes(filled(entity_a))
    far = '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
    run = refused(hostile.part_replace(data, REPORTS_PART, hostile.part_read(data, REPORTS_PART).replace(
        "</sheetData>", far)))
    assert (run.errors[0]["sheet"], run.errors[0]["row"]) == ("Reports", 200_001)


def test_formulas_in_cells_are_refused_cell_by_cell(refused, entity_a):
    book = filled(entity_a)
    book["Reports"]["E2"] = "=10*4"
    book["Targets"]["G2"] = "=F2"
    run = refused(template_bytes(book))
    assert {(e["sheet"], e["row"], e["column"]) for e in run.errors} == {
        ("Reports", 2, "Share delivered (%)"), ("Targets", 2, "Actual value")}


def _declare_only_the_header(data: bytes) -> bytes:
    sheet = hostile.part_read(data, REPORTS_PART)
    assert re.search(r'<dimension ref="A1:J2"/>', sheet)
    return hostile.part_replace(data, REPORTS_PART, re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:J1"/>', sheet))


def test_rows_beyond_the_declared_dimension_are_imported(pledger_a, entity_a, published):
    run = report_upload(actor=pledger_a, entity=entity_a,
                        file=as_upload(_declare_only_the_header(template_bytes(filled(entity_a)))))
    assert (run.status, run.created, run.skipped) == ("succeeded", 1, 0), run.errors
    assert ProgressReport.objects.get(pledge=published).share_delivered == 40


def test_a_bad_row_beyond_the_declared_dimension_is_refused_on_its_row(refused, entity_a):
    run = refused(_declare_only_the_header(template_bytes(filled(entity_a, E="forty"))))
    assert [(e["sheet"], e["row"], e["column"]) for e in run.errors] == [("Reports", 2, "Share delivered (%)")]


def test_a_100000_row_sheet_is_read_within_bounds_and_refused_with_rows_named(refused, entity_a):
    data = template_bytes(filled(entity_a))
    header = [column.header for column in REPORT_COLUMNS]
    rows = [header] + [[900_000 + n, None, None, None, None, None, None, None, "Done"] for n in range(100_000)]
    started = time.monotonic()
    run = refused(hostile.part_replace(data, REPORTS_PART, hostile.sheet_xml(rows)))
    assert time.monotonic() - started < 120
    assert len(run.errors) == 501  # the first 500, then how many more
    assert run.errors[0] == {"sheet": "Reports", "row": 2, "column": "Pledge ID",
                             "message": "Pledge 900000 is not a published pledge of Ministry of ICT, Kenya."}
    # 100,000 rows of unknown pledges, and the template's target row whose pledge has no row left
    assert run.errors[-1]["message"] == "… and 99,501 more errors."
