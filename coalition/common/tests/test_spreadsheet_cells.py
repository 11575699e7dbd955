import io

from openpyxl import Workbook, load_workbook

from coalition.common.spreadsheet import SafeCsvWriter, csv_cell, xlsx_texts_as_text


def test_csv_cells_that_a_spreadsheet_would_compute_are_kept_as_text():
    for formula in ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]:
        assert csv_cell(formula) == "'" + formula


def test_csv_numbers_and_ordinary_text_are_left_alone():
    for value in ["-12.50", "+3", "Connect 500 schools", "", 42, None]:
        assert csv_cell(value) == value


def test_the_safe_writer_guards_every_cell():
    stream = io.StringIO()

    SafeCsvWriter(stream).writerow(["=1+2", "-5", "ok"])

    assert stream.getvalue() == "'=1+2,-5,ok\r\n"


def test_xlsx_text_that_looks_like_a_formula_is_written_and_read_back_as_text():
    book = Workbook()
    book.active.append(['=HYPERLINK("http://evil.example","Click")', 7])
    xlsx_texts_as_text(book.active[1])
    stream = io.BytesIO()
    book.save(stream)

    cell = load_workbook(io.BytesIO(stream.getvalue())).active["A1"]

    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://evil.example","Click")')
