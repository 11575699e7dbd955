"""A report as data: what the builders produce and the renderers (HTML, Typst PDF) draw.

A report is built for one as-of date and one language by selectors only; every number in it is
kept raw (int or Decimal) beside the unit it is shown in, so that the renderers format it the
reader's way and `report_data` writes the same figures to JSON. Nothing here reads the database.

`report_data(report)` is the frozen form: a JSON document with sorted keys and Decimals written as
strings, so that building the same report for the same date again gives the same bytes.
"""

import datetime
import json
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from typing import Literal, Union

# How a raw value is shown: a count ("1,234"), US dollars, a share between 0 and 1 ("42.3%"),
# a percentage already in percent (an indicator value "67.2%"), a plain number, or text.
Unit = Literal["count", "usd", "share", "percent", "number", "text"]


@dataclass(frozen=True)
class Source:
    """A footnote: where a figure comes from (records, a dataset with its edition, a resolution)."""

    key: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class Figure:
    """A key figure with its as-of date, and the same figure a year earlier when there is one."""

    key: str
    label: str
    value: int | Decimal | None
    unit: Unit
    as_of: datetime.date
    previous: int | Decimal | None = None
    previous_as_of: datetime.date | None = None
    note: str = ""
    sources: tuple[str, ...] = ()  # Source keys


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: Unit = "text"


@dataclass(frozen=True)
class Table:
    """A table of rows; each row a tuple of raw cells in the columns' order."""

    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    note: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart: its Vega-Lite spec (the same spec the web page draws) and the table it draws,
    which HTML shows beside it for readers without JavaScript and screen readers."""

    key: str
    title: str
    spec: dict
    description: str
    table: Table | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """Text; `number` is the paragraph's number in a note by the secretariat (None elsewhere)."""

    text: str
    number: int | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figures:
    """A row of key figures."""

    figures: tuple[Figure, ...]


Block = Union[Paragraph, Figures, Table, Chart]


@dataclass(frozen=True)
class Section:
    """A heading with its blocks and subsections. `sources` are footnotes the section brings with
    it (a country profile built for the annual report's annex cites its own indicator editions);
    the renderers print them with the report's, each key once (`report_sources`)."""

    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple["Section", ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Report:
    """One report as of a date in one language.

    `kind` names the builder ("annual", "governing-body", "country-profile"); `symbol`, `session`
    and `agenda_item` are set for a note by the secretariat to a governing body; `annexes` are
    sections printed after the body (the annual report's country profiles)."""

    kind: str
    title: str
    language: str
    as_of: datetime.date
    subtitle: str = ""
    symbol: str = ""
    session: str = ""
    agenda_item: str = ""
    summary: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    annexes: tuple[Section, ...] = ()
    sources: tuple[Source, ...] = ()
    is_demo: bool = False

    def figures(self):
        """Every key figure in the report, in reading order (for checks against the selectors)."""
        def walk(sections):
            for section in sections:
                for block in section.blocks:
                    if isinstance(block, Figures):
                        yield from block.figures
                yield from walk(section.sections)
        yield from walk(self.sections + self.annexes)


def report_sources(report: Report) -> list[Source]:
    """The report's sources, then those its sections bring, in reading order, each key once."""
    found: dict[str, Source] = {}

    def walk(sections):
        for section in sections:
            for source in section.sources:
                found.setdefault(source.key, source)
            walk(section.sections)

    for source in report.sources:
        found.setdefault(source.key, source)
    walk(report.sections + report.annexes)
    return list(found.values())


def _plain(value):
    if is_dataclass(value):
        data = {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
        data["type"] = type(value).__name__.lower()
        return data
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def report_data(report: Report) -> bytes:
    """The report's data as JSON bytes: sorted keys, Decimals as strings, dates in ISO form; the
    same report for the same date gives the same bytes."""
    return json.dumps(_plain(report), sort_keys=True, ensure_ascii=False, indent=1).encode() + b"\n"
