"""Reports built by hand for the renderer tests: every kind of block, and text chosen to break
markup (Typst's and HTML's)."""

import datetime
from decimal import Decimal

from coalition.reports.document import Chart, Column, Figure, Figures, Paragraph, Report, Section, Source, Table

HOSTILE = 'Fibre #1 costs $5 *now* _or_ @never <b>bold</b> ] [x] \\ back // slash "quoted" #set page(width: 1cm)'
AS_OF = datetime.date(2025, 6, 30)
EARLIER = datetime.date(2024, 6, 30)


def chart_spec(title: str) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": title,
        "width": "container",
        "data": {"values": [{"category": "Access", "pledges": 3}, {"category": "Skills", "pledges": 1}]},
        "mark": "bar",
        "encoding": {"y": {"field": "category", "type": "nominal"}, "x": {"field": "pledges", "type": "quantitative"}},
    }


def sample_report(*, language: str = "en", text: str = "Connectivity for rural schools.", symbol: str = "",
                  many_rows: int = 3) -> Report:
    """A report holding one of every block, with `text` in every place a builder puts text."""
    table = Table(
        "money", f"Money table {text}",
        (Column("name", "Organisation"), Column("pledges", "Pledges", "count"), Column("value", "Value", "usd"),
         Column("share", "Share", "share"), Column("rate", "Rate", "percent"), Column("level", "Level", "number")),
        tuple((f"Row {i} {text}", 1234567 + i, Decimal("2500000.50"), Decimal("0.4235"), 67.25, Decimal("1.50"))
              for i in range(many_rows)),
        note=f"Table note {text}", sources=("registry",),
    )
    return Report(
        kind="country-profile",
        title=f"Title {text}",
        subtitle=f"Subtitle {text}",
        language=language,
        as_of=AS_OF,
        symbol=symbol,
        session="Eighty-second session" if symbol else "",
        agenda_item="Item 5 of the provisional agenda" if symbol else "",
        summary=(Paragraph(f"Summary {text}"),) if symbol else (),
        sections=(
            Section("figures", f"Key figures {text}", (
                Figures((
                    Figure("pledges", f"Pledges {text}", 1234567, "count", AS_OF, 1000000, EARLIER, note=f"Note {text}",
                           sources=("registry",)),
                    Figure("value", "Value pledged", Decimal("12345678.90"), "usd", AS_OF, sources=("registry",)),
                )),
                Paragraph(f"Numbered paragraph {text}", number=7, sources=("indicators",)),
                Paragraph(f"Plain paragraph {text}"),
            ), (
                Section("tables", f"Tables {text}", (table,)),
                Section("charts", "Charts", (
                    Chart("chart", f"Chart {text}", chart_spec(f"Chart {text}"), f"Bars {text}", table, ("registry",)),
                )),
            )),
        ),
        annexes=(Section("annex-ken", f"Annex Kenya {text}", (Paragraph(f"Annex text {text}"),),
                         sources=(Source("annex-source", f"Annex source {text}"),)),),
        sources=(Source("registry", f"Pledge registry {text}", "https://example.org/registry"),
                 Source("indicators", f"ITU DataHub {text}")),
    )
