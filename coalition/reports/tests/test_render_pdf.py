"""The PDF renderer typesets every kind of block through Typst, keeps hostile text as text, and
gives the same bytes for the same report."""

import re
import subprocess
from dataclasses import replace

import pytest

from coalition.reports.render.pdf import report_pdf, report_typst, typst_string
from coalition.reports.tests.samples import HOSTILE, sample_report


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_info(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("text", ["#", "$", "*", "_", "@", "<", "]", "\\", "//", '"', "\n", "#set text(red)"])
def test_typst_string_keeps_any_character_as_text(text):
    written = typst_string(f"a{text}b")
    assert written.startswith('"') and written.endswith('"')
    inner = written[1:-1]
    assert inner.replace("\\\\", "").replace('\\"', "").replace("\\n", "").count('"') == 0
    assert "\n" not in written


def test_it_typesets_every_kind_of_block(db, tmp_path):
    text = pdf_text(report_pdf(sample_report()), tmp_path)
    assert "Title Connectivity for rural schools." in text
    assert "Contents" in text and "Annexes" in text
    assert "1,234,567" in text and "$12.3M" in text
    assert "as of 30 June 2025" in text and "30 June 2024: 1,000,000 (+23.5%)" in text
    assert "7." in text and "Numbered paragraph" in text
    assert "Money table" in text and "$2,500,000" in text and "42.4%" in text and "67.2%" in text
    assert "Chart Connectivity" in text and "Skills" in text  # the chart's own labels, drawn as SVG
    assert "Annex Kenya" in text and "Sources and notes" in text and "https://example.org/registry" in text
    assert "Page 1 of" in text


def test_hostile_text_comes_out_as_written(db, tmp_path):
    pdf = report_pdf(sample_report(text=HOSTILE))
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for piece in ("Fibre #1 costs $5 *now* _or_ @never <b>bold</b> ] [x] \\ back // slash", '#set page(width: 1cm)'):
        assert piece in text
    assert "Page 1 of" in text  # the page template still holds: the text changed nothing


def test_long_tables_break_across_pages_with_their_header_repeated(db, tmp_path):
    text = pdf_text(report_pdf(sample_report(many_rows=120)), tmp_path)
    pages = text.split("\f")
    with_rows = [page for page in pages if "Row " in page]
    assert len(with_rows) >= 2
    assert all("Organisation" in page for page in with_rows)


def test_the_same_report_gives_the_same_bytes(db):
    assert report_pdf(sample_report()) == report_pdf(sample_report())


def test_metadata_names_the_title_language_and_as_of_date(db, tmp_path):
    pdf = report_pdf(sample_report(language="fr"))
    info = pdf_info(pdf, tmp_path)
    assert "Title:           Title Connectivity for rural schools." in info
    assert "Jun 30" in info and "2025" in info  # the creation date is the as-of date
    source, _inputs = report_typst(sample_report(language="fr"))
    assert 'lang: "fr"' in source


def test_french_numbers_keep_their_narrow_spaces(db, tmp_path):
    source, _inputs = report_typst(sample_report(language="fr"))
    assert '"1\u202f234\u202f567"' in source  # Typst sets U+202F as a narrow space that never breaks
    text = pdf_text(report_pdf(sample_report(language="fr")), tmp_path)
    assert re.search(r"1\s?234\s?567", text)
    assert "30 juin 2025" in text
    assert "Page 1 sur" in text or "Page 1 of" in text  # the lead adds the French catalogue


def test_a_note_by_the_secretariat_has_the_un_header(db, tmp_path):
    text = pdf_text(report_pdf(sample_report(symbol="ESCAP/82/7")), tmp_path)
    assert "ESCAP/82/7" in text and "Distr.: General" in text and "Eighty-second session" in text
    assert "Summary" in text and "Note by the secretariat" in text


def test_a_demo_report_says_it_is_illustrative(db, tmp_path):
    assert "Illustrative." in pdf_text(report_pdf(replace(sample_report(), is_demo=True)), tmp_path)


def test_charts_reach_typst_as_inputs_not_files(db):
    source, inputs = report_typst(sample_report())
    assert list(inputs) == ["chart-0"]
    assert inputs["chart-0"].startswith("<svg")
    assert '#chart("chart-0"' in source
