"""A report as PDF, typeset by Typst (the `typst` package bundles the compiler and its fonts).

The page template `reports/report.typ` defines the layout; this module writes the report after it
as calls of the template's functions, where every text is a Typst string literal written by
`typst_string` (so "#", "$", "*", "@", "<", "]" or "//" in a pledge title stay text). Charts are
drawn to SVG by `explore.svg.chart_svgs` from the same specs as the web pages and handed to
Typst as inputs (`sys.inputs`, read with `bytes()`), so nothing is written to disk.

The same report gives the same bytes: Typst uses only its bundled fonts (no system font can
change the output), and the PDF's creation date is the report's as-of date (also the document
date in its metadata), not the time it was built.
"""

import datetime
import functools
from pathlib import Path

import typst
from django.utils import translation
from django.utils.translation import gettext as _

from coalition.explore.svg import chart_svgs
from coalition.reports.document import Chart, Figures, Paragraph, Report, Section, Table, report_sources
from coalition.reports.render.cells import cell, date_text, figure_comparison, source_numbers

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "reports" / "report.typ"
# Charts are drawn at this width in pixels and scaled to the text's width (16.6 cm).
CHART_WIDTH = 640


class PdfError(RuntimeError):
    """Typst refused the generated document (a bug here, never the report's text)."""


def typst_string(text) -> str:
    """`text` as a Typst string literal: shown exactly as written, whatever characters it holds."""
    value = str(text if text is not None else "")
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _array(items) -> str:
    """A Typst array of already written values (a trailing comma keeps one item an array)."""
    items = list(items)
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _numbers(numbers) -> str:
    return _array(str(number) for number in numbers)


@functools.cache
def _template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


class _Writer:
    def __init__(self, report: Report):
        self.report = report
        self.notes = source_numbers(report)
        self.lines: list[str] = []
        self.charts: list[tuple[str, dict]] = []

    def marks(self, keys) -> str:
        return _numbers(sorted({self.notes[key] for key in keys if key in self.notes}))

    def section(self, section: Section, level: int) -> None:
        self.lines.append(f"#section({min(level, 6)}, {typst_string(section.key)}, {typst_string(section.title)})")
        for block in section.blocks:
            self.block(block)
        for child in section.sections:
            self.section(child, level + 1)

    def paragraph(self, paragraph: Paragraph) -> str:
        number = "none" if paragraph.number is None else typst_string(paragraph.number)
        return f"para({number}, {typst_string(paragraph.text)}, marks: {self.marks(paragraph.sources)})"

    def table(self, table: Table) -> str:
        rows = _array(
            _array(typst_string(cell(value, column.unit)) for value, column in zip(row, table.columns, strict=True))
            for row in table.rows
        )
        return (
            f"data-table(caption: {typst_string(table.caption)}, "
            f"columns: {_array(typst_string(c.label) for c in table.columns)}, "
            f"numeric: {_array('true' if c.unit != 'text' else 'false' for c in table.columns)}, "
            f"rows: {rows}, note: {typst_string(table.note)}, marks: {self.marks(table.sources)})"
        )

    def block(self, block) -> None:
        if isinstance(block, Paragraph):
            self.lines.append("#" + self.paragraph(block))
        elif isinstance(block, Figures):
            items = _array(
                f"(label: {typst_string(f.label)}, value: {typst_string(cell(f.value, f.unit, compact=True))}, "
                f"as-of: {typst_string(_('as of %(date)s') % {'date': date_text(f.as_of)})}, "
                f"comparison: {typst_string(_comparison(f))}, note: {typst_string(f.note)}, marks: {self.marks(f.sources)})"
                for f in block.figures
            )
            self.lines.append(f"#figures({items})")
        elif isinstance(block, Table):
            self.lines.append("#" + self.table(block))
        elif isinstance(block, Chart):
            name = f"chart-{len(self.charts)}"
            self.charts.append((name, block.spec))
            self.lines.append(
                f"#chart({typst_string(name)}, {typst_string(block.title)}, {typst_string(block.description)}, "
                f"marks: {self.marks(block.sources)})"
            )
            if block.table is not None:  # on paper the numbers go with the drawing, whose labels may be cut
                self.lines.append("#" + self.table(block.table))
        else:
            raise TypeError(f"a report cannot hold a {type(block).__name__}")

    def document(self) -> str:
        report = self.report
        as_of = date_text(report.as_of)
        header = "none"
        if report.symbol:
            header = (
                f"(body: {typst_string(_('Note by the secretariat'))}, symbol: {typst_string(report.symbol)}, "
                f"distribution: {typst_string(_('Distr.: General'))}, date: {typst_string(as_of)}, "
                f"language: {typst_string(_('Original: English'))}, session: {typst_string(report.session)}, "
                f"agenda: {typst_string(report.agenda_item)})"
            )
        demo = "none"
        if report.is_demo:
            demo = typst_string(_("Illustrative. This report is built from demonstration data: the organisations and "
                                  "pledges in it are not real commitments."))
        page_of = _("Page %(page)s of %(pages)s").split("%(page)s")
        before, after = page_of[0].strip(), page_of[1].replace("%(pages)s", "").strip() if len(page_of) > 1 else ""
        self.lines.append(
            f"#show: report-doc.with(title: {typst_string(report.title)}, subtitle: {typst_string(report.subtitle)}, "
            f"as-of: {typst_string(_('Figures as of %(date)s.') % {'date': as_of})}, "
            f"as-of-label: {typst_string(_('As of %(date)s') % {'date': as_of})}, lang: {typst_string(report.language or 'en')}, "
            f"date: datetime(year: {report.as_of.year}, month: {report.as_of.month}, day: {report.as_of.day}), "
            f"page-of: ({typst_string(before)}, {typst_string(after)}), note-header: {header}, demo: {demo})"
        )
        if report.summary:
            paragraphs = _array("[#" + self.paragraph(p) + "]" for p in report.summary)
            self.lines.append(f"#summary-box({typst_string(_('Summary'))}, {paragraphs})")
        entries = [(2, s) for s in report.sections] + [(2, s) for s in report.annexes]
        if len(report.sections) > 1 or report.annexes:
            listed = []
            for level, section in entries:
                listed.append(f"({level}, label({typst_string(section.key)}), {typst_string(section.title)})")
                if not report.annexes:
                    listed += [f"(3, label({typst_string(c.key)}), {typst_string(c.title)})" for c in section.sections]
            self.lines.append(f"#contents({typst_string(_('Contents'))}, {_array(listed)})")
        for section in report.sections:
            self.section(section, 2)
        if report.annexes:
            self.lines.append(f"#annexes({typst_string(_('Annexes'))})")
            for section in report.annexes:
                self.section(section, 2)
        sources = report_sources(report)
        if sources:
            items = _array(
                f"({self.notes[s.key]}, {typst_string(s.text)}, {typst_string(s.url)})" for s in sources
            )
            self.lines.append(f"#sources({typst_string(_('Sources and notes'))}, {items})")
        return _template() + "\n" + "\n".join(self.lines) + "\n"


def _comparison(figure) -> str:
    text = figure_comparison(figure)
    return _("a year earlier, %(comparison)s") % {"comparison": text} if text else ""


def report_typst(report: Report) -> tuple[str, dict[str, str]]:
    """The Typst source of the report and its inputs (the charts' SVG by input name), in the
    report's language."""
    with translation.override(report.language or None):
        writer = _Writer(report)
        source = writer.document()
        drawn = chart_svgs([(spec, CHART_WIDTH, None) for _name, spec in writer.charts]) if writer.charts else []
    return source, {name: svg for (name, _spec), svg in zip(writer.charts, drawn, strict=True)}


def report_pdf(report: Report) -> bytes:
    """The report typeset as a PDF (A4): the same report gives the same bytes."""
    source, inputs = report_typst(report)
    moment = datetime.datetime.combine(report.as_of, datetime.time(12), tzinfo=datetime.UTC)
    try:
        return typst.compile(
            source.encode(), format="pdf", ignore_system_fonts=True, sys_inputs=inputs, timestamp=moment,
        )
    except typst.TypstError as error:
        raise PdfError(f"{error.message}\n{error.diagnostic}") from error
