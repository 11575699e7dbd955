"""`cell_number`: the number a workbook cell shows, read from a saved file as the readers open it."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from coalition.common.workbook_cells import CellNumber, cell_number, is_percent_format


def read_back(value, number_format: str = "General"):
    book = Workbook()
    book.active["A1"] = value
    book.active["A1"].number_format = number_format
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return next(load_workbook(stream, read_only=True).active.iter_rows())[0]


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (0.3, "0%", CellNumber(Decimal("30"), percent=True)),
    (0.125, "0.0 %", CellNumber(Decimal("12.5"), percent=True)),
    (2, "0%", CellNumber(Decimal("200"), percent=True)),
    (30, '0"%"', CellNumber(Decimal("30"), percent=False)),
    (30, "0\\%", CellNumber(Decimal("30"), percent=False)),
    (0.3, "General", CellNumber(Decimal("0.3"), percent=False)),
    (-5, "#,##0", CellNumber(Decimal("-5"), percent=False)),
])
def test_a_number_cell_reads_as_the_number_it_shows(value, number_format, shown):
    number = cell_number(read_back(value, number_format))
    assert (number.value.normalize(), number.percent) == (shown.value.normalize(), shown.percent)


@pytest.mark.parametrize(("text", "shown"), [
    ("30 %", CellNumber(Decimal("30"), percent=True)),
    ("30%", CellNumber(Decimal("30"), percent=True)),
    ("30,5 %", CellNumber(Decimal("30.5"), percent=True)),
    (" 7\u00a0% ", CellNumber(Decimal("7"), percent=True)),
    ("1250.75", CellNumber(Decimal("1250.75"), percent=False)),
])
def test_a_number_typed_as_text_reads_as_that_number(text, shown):
    assert cell_number(read_back(text, "@")) == shown


@pytest.mark.parametrize("value", ["forty", "30 % of schools", "%", "NaN", "", True])
def test_what_shows_no_number_reads_as_none(value):
    assert cell_number(read_back(value)) is None


def test_a_percent_sign_that_is_a_literal_character_scales_nothing():
    assert is_percent_format("0.00%") and is_percent_format("[Red]0 %;-0 %")
    assert not is_percent_format('0" %"') and not is_percent_format("0\\%") and not is_percent_format(None)
