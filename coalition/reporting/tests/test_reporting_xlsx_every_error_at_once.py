"""One upload lists every error of the workbook, each by sheet, row and the column's header as
written in the sheet, and saves nothing while any is left."""

from coalition.reporting.tests.reporting_xlsx_fixtures import (
    filled,
    publish,
    saved,
    upload,
    uploads_kept_in_tmp,  # noqa: F401 (fixture)
)
from coalition.reporting.xlsx import report_upload


def errors_of(pledger_a, entity_a, book) -> list[tuple]:
    before = saved()
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(book))
    assert run.status == "failed" and saved() == before
    return [(e["sheet"], e["row"], e["column"]) for e in run.errors]


def test_every_wrong_cell_of_every_row_and_sheet_is_listed_and_nothing_is_saved(
        pledger_a, reviewer, pledge_data, entity_a, published):
    second = publish(pledger_a, reviewer, {**pledge_data, "title": "Train 2,000 teachers"})
    book = filled(entity_a, D="stalled", E="forty", F="lots", G="XXX", H="twenty", actual="many")
    reports = book["Reports"]
    assert reports["A3"].value == second.pk
    reports["C3"], reports["E3"], reports["I3"] = "end of year", 140, "Half done"
    reports["A4"], reports["E4"], reports["I4"] = 999999, "half", "A pledge that is not ours"
    reports["A5"], reports["D5"] = "P-12", "stalled"

    assert errors_of(pledger_a, entity_a, book) == [
        ("Reports", 2, "Implementation status"),
        ("Reports", 2, "Share delivered (%)"),
        ("Reports", 2, "Money disbursed"),
        ("Reports", 2, "Year of the amount"),
        ("Reports", 3, "Period end"),
        ("Reports", 4, "Share delivered (%)"),
        ("Reports", 4, "Pledge ID"),
        ("Reports", 5, "Implementation status"),
        ("Reports", 5, "Pledge ID"),
        ("Targets", 2, "Actual value"),
        ("Reports", 2, "Currency"),
        ("Reports", 3, "Share delivered (%)"),
    ]


def test_an_error_names_the_column_by_its_header_as_written_in_the_sheet(pledger_a, entity_a, published):
    book = filled(entity_a, E="forty")
    book["Reports"]["E1"] = "  share DELIVERED (%) "

    assert errors_of(pledger_a, entity_a, book) == [("Reports", 2, "share DELIVERED (%)")]


def test_a_missing_sheet_does_not_hide_a_missing_column_of_the_other(pledger_a, entity_a, published):
    book = filled(entity_a)
    del book["Targets"]
    book["Reports"]["E1"] = "Share"

    assert errors_of(pledger_a, entity_a, book) == [("Reports", 1, "Share delivered (%)"), ("Targets", None, "")]


def test_a_cell_in_error_does_not_stop_the_rest_of_its_row_being_checked(pledger_a, entity_a, published):
    book = filled(entity_a, E=140, actual="many")
    book["Reports"]["I2"] = "=A2"

    assert errors_of(pledger_a, entity_a, book) == [
        ("Reports", 2, "What was done"), ("Targets", 2, "Actual value"), ("Reports", 2, "Share delivered (%)")]
