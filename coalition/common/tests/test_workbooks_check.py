"""The workbook check refuses every file of the hostile corpus before a parser sees it."""

import io
import time

import openpyxl
import pytest

from coalition.common.workbooks import Limits, WorkbookRefused, workbook_check, workbook_open
from coalition.tests import hostile_files as hostile

LIMITS = Limits(uncompressed_bytes=200 * 1024 * 1024, ratio=100, rows=200_000, columns=256)


def refusal(data: bytes, *, limits: Limits = LIMITS, name: str = "upload.xlsx") -> WorkbookRefused:
    with pytest.raises(WorkbookRefused) as caught:
        workbook_check(io.BytesIO(data), name=name, limits=limits)
    assert "upload.xlsx" in caught.value.message or caught.value.sheet
    return caught.value


@pytest.fixture
def parser_never_runs(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a refused workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_small_file_that_unpacks_to_64_mb_is_refused_from_its_directory(parser_never_runs):
    data = hostile.bomb(megabytes=64)
    assert len(data) < 200_000
    started = time.monotonic()
    with pytest.raises(WorkbookRefused) as caught:
        workbook_open(io.BytesIO(data), name="upload.xlsx", limits=LIMITS)
    assert time.monotonic() - started < 2
    assert "xl/worksheets/sheet1.xml" in caught.value.message and "times its stored size" in caught.value.message


def test_a_bomb_whose_directory_understates_its_size_is_refused(parser_never_runs):
    error = refusal(hostile.bomb_that_lies())
    assert "damaged" in error.message or "unsafe" in error.message


def test_a_workbook_unpacking_beyond_the_size_limit_is_refused_whatever_its_ratio():
    tight = Limits(uncompressed_bytes=1024 * 1024, ratio=10_000, rows=200_000, columns=256)
    error = refusal(hostile.bomb(megabytes=4), limits=tight)
    assert "unpacks to more than 1.0\xa0MB" in error.message


def test_a_sheet_going_on_to_the_last_excel_row_is_refused_with_its_sheet_and_row(parser_never_runs):
    error = refusal(hostile.far_row())
    assert (error.sheet, error.row) == ("Data", 200_001)
    assert "row 1,048,576" in error.message and "200,000" in error.message


def test_a_cell_in_the_last_excel_column_is_refused():
    error = refusal(hostile.far_column())
    assert (error.sheet, error.row) == ("Data", 1)
    assert "16,384 columns" in error.message


def test_a_csv_file_renamed_xlsx_is_not_an_xlsx_file():
    assert "is not an XLSX file" in refusal(hostile.csv_renamed()).message


def test_latin1_text_renamed_xlsx_is_not_an_xlsx_file():
    assert "is not an XLSX file" in refusal(hostile.latin1_text()).message


def test_a_password_protected_workbook_is_named_as_such():
    assert "password" in refusal(hostile.password_protected()).message


def test_an_old_excel_file_is_named_as_such():
    assert "Excel 97–2003" in refusal(hostile.old_excel()).message


def test_a_truncated_workbook_is_damaged():
    assert "damaged or incomplete" in refusal(hostile.truncated()).message


def test_a_sheet_in_another_encoding_than_it_declares_is_named():
    error = refusal(hostile.latin1_inside())
    assert error.sheet == "Data" and "not well-formed" in error.message


def test_a_document_type_declaration_is_refused_before_any_entity_expands(parser_never_runs):
    assert "unsafe" in refusal(hostile.entity_expansion()).message


def test_rows_beyond_the_declared_dimension_are_read():
    rows = [["country", "value"], ["KEN", 1], ["NPL", 2], ["BTN", 3]]
    data = hostile.beyond_dimension(rows, declared=2)
    plain = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert len(list(plain.worksheets[0].iter_rows(values_only=True))) == 2  # what openpyxl alone reads
    book = workbook_open(io.BytesIO(data), name="upload.xlsx", limits=LIMITS)
    assert [list(row) for row in book.worksheets[0].iter_rows(values_only=True)] == rows
    book.close()


def test_shapes_are_measured_from_the_rows_themselves():
    data = hostile.beyond_dimension([["a", "b", "c"], [1], [1], [1], [1]], declared=1)
    assert workbook_check(io.BytesIO(data), name="upload.xlsx", limits=LIMITS)["Data"].rows == 5


def test_a_workbook_within_the_limits_passes_and_keeps_formulas_as_text():
    data = hostile.with_formulas([["value"], [hostile.Formula("B2*100")]])
    book = workbook_open(io.BytesIO(data), name="upload.xlsx", limits=LIMITS)
    assert list(book.worksheets[0].iter_rows(values_only=True)) == [("value",), ("=B2*100",)]
    book.close()


def test_a_workbook_written_by_openpyxl_passes(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["country", "value"])
    for number in range(2000):
        book.active.append(["KEN", number])
    path = tmp_path / "plain.xlsx"
    book.save(path)
    assert workbook_check(path, name="plain.xlsx", limits=LIMITS)["Sheet"].rows == 2001


def test_the_limits_are_the_documented_settings(settings):
    settings.COALITION_XLSX_MAX_ROWS = 3
    data = hostile.workbook({"Data": [["a"], [1], [2], [3]]})
    with pytest.raises(WorkbookRefused) as caught:
        workbook_check(io.BytesIO(data), name="upload.xlsx")
    assert caught.value.row == 4 and "at most 3 rows" in caught.value.message
