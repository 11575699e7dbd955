"""A report as HTML: the body a page shows (`report_html`), through `reports/_report_body.html`.

The structure is turned into plain rows of text first (every number formatted in the report's
language by `cells`), so the template only lays them out. Charts are drawn to SVG on the server
from the same Vega-Lite specs as the web pages (`explore.svg.chart_svgs`, one round trip to the
cache for all of them), each followed by its table for readers who cannot see it.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from coalition.explore.svg import chart_svgs
from coalition.reports.document import Chart, Figures, Paragraph, Report, Section, Table, report_sources
from coalition.reports.render.cells import cell, date_text, figure_comparison, source_numbers

# Charts are drawn at this width in CSS pixels and shrink with the column.
CHART_WIDTH = 720


@dataclass
class _Context:
    notes: dict[str, int]
    charts: list = field(default_factory=list)  # (block dict, spec), drawn together at the end


def report_html(report: Report) -> str:
    """The report's body as an HTML fragment (title block, contents, sections, annexes, sources),
    written in the report's language whatever the request's."""
    with translation.override(report.language or None):
        context = _Context(notes=source_numbers(report))
        sections = [_section(section, context, level=2) for section in report.sections]
        annexes = [_section(section, context, level=2) for section in report.annexes]
        if context.charts:
            drawn = chart_svgs([(spec, CHART_WIDTH, None) for _block, spec in context.charts])
            for (block, _spec), svg in zip(context.charts, drawn, strict=True):
                block["svg"] = mark_safe(svg)
        return render_to_string("reports/_report_body.html", {
            "report": report,
            "as_of": date_text(report.as_of),
            "sections": sections,
            "annexes": annexes,
            "sources": [(context.notes[source.key], source) for source in report_sources(report)],
            "summary": [_paragraph(p, context) for p in report.summary],
        })


def _notes(keys, context: _Context) -> list[int]:
    return sorted({context.notes[key] for key in keys if key in context.notes})


def _section(section: Section, context: _Context, *, level: int) -> dict:
    return {
        "key": section.key,
        "title": section.title,
        "level": min(level, 6),
        "blocks": [_block(block, context) for block in section.blocks],
        "sections": [_section(child, context, level=level + 1) for child in section.sections],
    }


def _paragraph(paragraph: Paragraph, context: _Context) -> dict:
    return {"type": "paragraph", "text": paragraph.text, "number": paragraph.number,
            "notes": _notes(paragraph.sources, context)}


def _table(table: Table, context: _Context) -> dict:
    return {
        "type": "table",
        "key": table.key,
        "caption": table.caption,
        "columns": [{"label": column.label, "numeric": column.unit not in ("text",)} for column in table.columns],
        "rows_html": _rows_html(table),
        "note": table.note,
        "notes": _notes(table.sources, context),
    }


def _rows_html(table: Table) -> str:
    """The table's body rows, escaped: written here rather than cell by cell in the template,
    which would take seconds for the two hundred country profiles of the annual report."""
    numeric = [column.unit != "text" for column in table.columns]
    lines = []
    for row in table.rows:
        cells = [cell(value, column.unit) for value, column in zip(row, table.columns, strict=True)]
        first, rest = escape(cells[0]), cells[1:]
        lines.append(f'<tr><th scope="row">{first}</th>' + "".join(
            f'<td class="num">{escape(text)}</td>' if is_numeric else f"<td>{escape(text)}</td>"
            for text, is_numeric in zip(rest, numeric[1:], strict=True)) + "</tr>")
    return mark_safe("\n".join(lines))


def _block(block, context: _Context) -> dict:
    if isinstance(block, Paragraph):
        return _paragraph(block, context)
    if isinstance(block, Figures):
        return {"type": "figures", "figures": [{
            "label": figure.label,
            "value": cell(figure.value, figure.unit, compact=True),
            "as_of": date_text(figure.as_of),
            "comparison": figure_comparison(figure),
            "note": figure.note,
            "notes": _notes(figure.sources, context),
        } for figure in block.figures]}
    if isinstance(block, Table):
        return _table(block, context)
    if isinstance(block, Chart):
        drawn = {"type": "chart", "key": block.key, "title": block.title, "description": block.description,
                 "table": _table(block.table, context) if block.table else None, "notes": _notes(block.sources, context),
                 "svg": ""}
        context.charts.append((drawn, block.spec))
        return drawn
    raise TypeError(f"a report cannot hold a {type(block).__name__}")
