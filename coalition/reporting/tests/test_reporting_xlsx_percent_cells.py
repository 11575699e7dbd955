"""Percentages in an uploaded template read as the person wrote them: a cell shown as 30 % is 30 %.

Excel stores a cell formatted "0%" that shows 30 % as 0.3; French spreadsheets write "30,5 %".
The share delivered takes a percentage from 0 to 100, so each of these reads as the number shown;
a target counted in % reads its actual the same way; money and years never take a percentage.
"""

from decimal import Decimal

import pytest

from coalition.reporting.models import ProgressReport
from coalition.reporting.tests.reporting_xlsx_fixtures import (
    filled,
    last_run,
    publish,
    saved,
    upload,
    uploads_kept_in_tmp,  # noqa: F401 (fixture)
)
from coalition.reporting.xlsx import report_upload


def formatted(book, sheet: str, coordinate: str, value, number_format: str):
    cell = book[sheet][coordinate]
    cell.value, cell.number_format = value, number_format
    return book


def share_saved(pledger_a, entity_a, book) -> Decimal:
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(book))
    assert run.status == "succeeded", run.errors
    return ProgressReport.objects.get().share_delivered


@pytest.mark.parametrize(("value", "number_format", "share"), [
    (0.3, "0%", Decimal("30")),
    (0.305, "0.0%", Decimal("30.5")),
    (1, "0.00 %", Decimal("100")),
    (0.45, "#,##0.00%;[Red]-#,##0.00%", Decimal("45")),
])
def test_a_cell_formatted_as_a_percentage_is_read_as_the_percentage_it_shows(
        pledger_a, entity_a, published, value, number_format, share):
    book = formatted(filled(entity_a), "Reports", "E2", value, number_format)

    assert share_saved(pledger_a, entity_a, book) == share


@pytest.mark.parametrize(("text", "share"), [
    ("30 %", Decimal("30")), ("30%", Decimal("30")), ("30,5 %", Decimal("30.5")), ("12.25\u202f%", Decimal("12.25")),
])
def test_a_percentage_typed_as_text_is_read_as_that_percentage(pledger_a, entity_a, published, text, share):
    assert share_saved(pledger_a, entity_a, filled(entity_a, E=text)) == share


def test_a_percent_sign_inside_quotes_is_text_and_scales_nothing(pledger_a, entity_a, published):
    book = formatted(filled(entity_a), "Reports", "E2", 30, '0" %"')

    assert share_saved(pledger_a, entity_a, book) == Decimal("30")


def test_a_plain_number_in_the_share_column_is_already_a_percentage(pledger_a, entity_a, published):
    assert share_saved(pledger_a, entity_a, filled(entity_a, E=40)) == Decimal("40")


def test_a_percentage_of_more_than_100_is_refused_as_the_percentage_shown(pledger_a, entity_a, published):
    book = formatted(filled(entity_a), "Reports", "E2", 1.4, "0%")

    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(book))

    assert run.status == "failed"
    assert [(e["sheet"], e["row"], e["column"]) for e in run.errors] == [("Reports", 2, "Share delivered (%)")]
    assert "100" in run.errors[0]["message"]


def test_money_given_as_a_percentage_is_refused_and_nothing_is_saved(pledger_a, entity_a, published):
    before = saved()
    book = formatted(filled(entity_a), "Reports", "F2", 0.25, "0%")

    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(book))

    assert run.status == "failed" and saved() == before
    assert [(e["sheet"], e["row"], e["column"]) for e in run.errors] == [("Reports", 2, "Money disbursed")]
    assert run.errors[0]["message"] == "“25 %” is a percentage; give the amount of money itself."


def test_the_actual_of_a_target_counted_in_percent_reads_a_percent_cell_as_shown(
        pledger_a, reviewer, pledge_data, entity_a):
    publish(pledger_a, reviewer, {**pledge_data, "targets": [
        {"description": "Women online in the districts served", "unit": "% of women", "target_value": "60"}]})
    book = formatted(filled(entity_a), "Targets", "G2", 0.42, "0%")

    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(book))

    assert run.status == "succeeded", run.errors
    assert ProgressReport.objects.get().target_actuals.get().actual_value == Decimal("42")


def test_a_percentage_for_a_target_counted_in_other_units_is_refused_with_its_unit(pledger_a, entity_a, published):
    book = formatted(filled(entity_a), "Targets", "G2", 0.5, "0%")

    report_upload(actor=pledger_a, entity=entity_a, file=upload(book))

    run = last_run()
    assert [(e["sheet"], e["row"], e["column"]) for e in run.errors] == [("Targets", 2, "Actual value")]
    assert "“schools”" in run.errors[0]["message"]
