"""Every refused upload saves nothing but its failed ImportRun, with sheet, row and column."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.reporting.services import report_create, report_submit
from coalition.reporting.tests import reporting_xlsx_fixtures as fixtures
from coalition.reporting.tests.reporting_xlsx_fixtures import (
    PERIOD_END,
    filled,
    last_run,
    saved,
    upload,
    uploads_kept_in_tmp,  # noqa: F401 (fixture)
)
from coalition.reporting.xlsx import report_upload

foreign_pledge = fixtures.foreign_pledge


@pytest.fixture
def refused(pledger_a, entity_a, published):
    """Upload `file` and check nothing was saved; return the run's (sheet, row, column) and messages."""
    def run(file):
        before = saved()
        result = report_upload(actor=pledger_a, entity=entity_a, file=file)
        assert saved() == before
        assert result.status == "failed" and result.pk == last_run().pk
        assert (result.created, result.updated) == (0, 0)
        return [(e["sheet"], e["row"], e["column"]) for e in result.errors], [e["message"] for e in result.errors]
    return run


def test_a_missing_column_is_named_with_its_sheet(refused, entity_a):
    book = filled(entity_a)
    book["Reports"]["E1"] = "Share"
    where, messages = refused(upload(book))
    assert where == [("Reports", 1, "Share delivered (%)")]
    assert "Missing column" in messages[0]


def test_a_missing_sheet_is_refused(refused, entity_a):
    book = filled(entity_a)
    del book["Targets"]
    where, _messages = refused(upload(book))
    assert where == [("Targets", None, "")]


def test_wrong_types_are_refused_cell_by_cell(refused, entity_a):
    where, messages = refused(upload(filled(entity_a, C="next year", E="forty", H="twenty", actual="lots")))
    assert ("Reports", 2, "Period end") in where
    assert ("Reports", 2, "Share delivered (%)") in where
    assert ("Reports", 2, "Year of the amount") in where
    assert ("Targets", 2, "Actual value") in where


def test_values_out_of_range_are_refused(refused, entity_a):
    where, _messages = refused(upload(filled(entity_a, E=140, actual=-3, G="XXX")))
    assert ("Reports", 2, "Share delivered (%)") in where
    assert ("Reports", 2, "Currency") in where or ("Targets", 2, "Actual value") in where


def test_an_unknown_pledge_id_is_refused(refused, entity_a):
    book = filled(entity_a)
    book["Reports"]["A3"], book["Reports"]["I3"] = 999999, "Nothing"
    where, messages = refused(upload(book))
    assert where == [("Reports", 3, "Pledge ID")]
    assert "not a published pledge" in messages[0]


def test_another_entitys_pledge_is_refused(refused, entity_a, foreign_pledge):
    book = filled(entity_a)
    book["Reports"]["A3"], book["Reports"]["I3"] = foreign_pledge.pk, "Their work"
    book["Targets"].append([foreign_pledge.pk, foreign_pledge.targets.get().pk, "", "", "", "", 3])
    where, _messages = refused(upload(book))
    assert ("Reports", 3, "Pledge ID") in where
    assert ("Targets", 3, "Target ID") in where


def test_a_target_of_another_pledge_is_refused(refused, entity_a, foreign_pledge):
    book = filled(entity_a)
    book["Targets"]["B2"] = foreign_pledge.targets.get().pk
    where, _messages = refused(upload(book))
    assert where == [("Targets", 2, "Target ID")]


def test_a_formula_injection_string_is_refused(refused, entity_a):
    book = filled(entity_a)
    book["Reports"]["I2"].value = '=HYPERLINK("http://x","y")'
    book["Reports"]["I2"].data_type = "s"
    where, messages = refused(upload(book))
    assert where == [("Reports", 2, "What was done")]
    assert "Formulas" in messages[0]


@pytest.mark.parametrize("text", ['+HYPERLINK("http://x","y")', "-A1+B2", "@SUM(A1:A2)", "=1+1"])
def test_texts_that_a_spreadsheet_would_run_are_refused(refused, entity_a, text):
    book = filled(entity_a)
    cell = book["Reports"]["J2"]
    cell.value, cell.data_type = text, "s"
    where, _messages = refused(upload(book))
    assert where == [("Reports", 2, "Challenges")]


def test_a_real_formula_cell_is_refused(refused, entity_a):
    book = filled(entity_a)
    book["Targets"]["G2"] = "=F2*0.5"
    assert book["Targets"]["G2"].data_type == "f"
    where, _messages = refused(upload(book))
    assert where == [("Targets", 2, "Actual value")]


def test_one_bad_row_rolls_back_the_good_ones(refused, pledger_a, reviewer, pledge_data, entity_a):
    from coalition.reporting.tests.reporting_xlsx_fixtures import publish
    publish(pledger_a, reviewer, {**pledge_data, "title": "Second pledge"})
    book = filled(entity_a)
    book["Reports"]["E3"], book["Reports"]["I3"] = 500, "Too much"
    where, _messages = refused(upload(book))
    assert where == [("Reports", 3, "Share delivered (%)")]


def test_a_submitted_report_for_the_year_is_an_error_on_its_row(refused, pledger_a, entity_a, published):
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": PERIOD_END, "implementation_status": "on_track", "share_delivered": "10",
        "narrative": "Done", "targets": [{"target": published.targets.get(), "actual_value": "1"}]})
    report_submit(actor=pledger_a, report=report)
    book = filled(entity_a)
    book["Reports"]["C2"] = datetime.datetime(PERIOD_END.year, 6, 30)
    where, messages = refused(upload(book))
    assert where == [("Reports", 2, "Period end")]
    assert "submitted" in messages[0]


def test_a_file_that_is_not_xlsx_is_refused(refused):
    where, messages = refused(SimpleUploadedFile("reports.xlsx", b"Pledge ID,Narrative\n1,Done\n"))
    assert where == [("", None, "")]
    assert "not an XLSX file" in messages[0]


def test_a_broken_zip_is_refused(refused):
    _where, messages = refused(SimpleUploadedFile("reports.xlsx", b"PK\x03\x04 truncated"))
    assert "not an XLSX file" in messages[0]


def test_a_file_over_the_size_limit_is_refused(refused, settings, entity_a):
    settings.COALITION_EVIDENCE_MAX_BYTES = 1000
    _where, messages = refused(upload(filled(entity_a)))
    assert "at most" in messages[0]


def test_a_row_without_its_pledge_id_is_refused(refused, entity_a):
    book = filled(entity_a)
    book["Reports"]["I3"] = "Orphan narrative"
    where, messages = refused(upload(book))
    assert where == [("Reports", 3, "Pledge ID")]
    assert messages == ["Give the pledge ID."]
