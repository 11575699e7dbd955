"""The interface every indicator reader follows, and the checks they share.

A reader is built from a path and the data source the file comes from, and iterating it
yields, one at a time, either a `Value` (a validated observation with its file row number)
or a `RowError(row, column, message)`. Rows deliberately not imported (World Bank
aggregates, series outside the catalogue) are neither: the reader counts them and, once
iterated, reports one warning per code through `warnings()`.

Readers hold nothing but a row at a time and the small code tables (countries, series), so a
file of millions of rows is read in bounded memory. Duplicate keys are not checked here: the
runner finds them in SQL on the staging table.
"""

import csv
import gzip
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from coalition.common.workbook_cells import cell_number, text_number
from coalition.indicators.models import DataSource, Indicator, Series
from coalition.indicators.readers.codes import ITU_CODES, not_a_country
from coalition.reference.loaders.base import RowError
from coalition.reference.models import Country

FIRST_YEAR, LAST_YEAR = 1900, 2100
_ESTIMATE = re.compile(r"\bestimat", re.IGNORECASE)


class Value(NamedTuple):
    row: int
    indicator_id: int
    country_id: int
    year: int
    value: float
    is_estimate: bool = False
    note: str = ""
    origin: str = ""


class Lookups:
    """The code tables a reader resolves against, read once per import."""

    def __init__(self, source: DataSource):
        countries = list(Country.objects.values_list("iso3", "numeric", "id"))
        self.countries = {iso3: pk for iso3, _numeric, pk in countries}
        self.numeric = {numeric: pk for _iso3, numeric, pk in countries}
        self.series = dict(Series.objects.filter(source=source).values_list("code", "indicator_id"))
        self.indicators = dict(Indicator.objects.values_list("code", "id"))


class Reader:
    """Base class: subclasses set `format`, `title`, `columns` and implement `rows()`."""

    format = ""
    title = ""
    columns = ""  # one line for help texts and the documentation
    key_column = "country"  # the column duplicate-row errors point at
    takes_indicator = False  # whether the caller may name the indicator (files without an indicator column)

    def __init__(self, path: Path | str, *, source: DataSource, indicator: Indicator | None = None,
                 name: str | None = None):
        if indicator is not None and not self.takes_indicator:
            raise TypeError(f"The {self.format} format names its series in the file; it takes no indicator")
        self.path = Path(path)
        self.source = source
        self.indicator = indicator
        self.name = name or str(self.path)
        self._skips: dict[tuple[str, str], list] = {}

    def __iter__(self) -> Iterator[Value | RowError]:
        # Read the code tables now, not at the first row: the runner may be streaming into a
        # PostgreSQL COPY by then, and the connection can run nothing else during it.
        self.lookups = Lookups(self.source)
        self._skips.clear()
        return self.rows()

    def rows(self) -> Iterator[Value | RowError]:
        raise NotImplementedError

    # --- what was skipped ---------------------------------------------------------------------

    def skip(self, row: int, column: str, code: str, reason: str, values: int = 1) -> None:
        entry = self._skips.setdefault((column, code), [row, 0, reason])
        entry[1] += values

    @property
    def skipped(self) -> int:
        return sum(count for _row, count, _reason in self._skips.values())

    def warnings(self) -> list[dict]:
        """One warning per skipped code, at the row where it first appeared, once iterated."""
        return [
            RowError(row, column, f"{reason}: {count:,} value{'s' if count != 1 else ''} skipped").as_dict()
            for (column, _code), (row, count, reason) in sorted(self._skips.items(), key=lambda item: item[1][0])
        ]

    # --- shared checks ------------------------------------------------------------------------

    def country(self, code: str, *, row: int, column: str, values: int = 1) -> int | RowError | None:
        """The country id, a RowError, or None when the code is skipped on purpose (and counted)."""
        country_id = self.lookups.countries.get(ITU_CODES.get(code, code))
        if country_id is None and code.isdigit():
            country_id = self.lookups.numeric.get(code.zfill(3))  # SDMX files from UNSD use M49 codes
        if country_id is not None:
            return country_id
        if not code:
            return RowError(row, column, "The country code is empty")
        if reason := not_a_country(code):
            self.skip(row, column, code, reason, values)
            return None
        return RowError(row, column, f"Unknown country code {code!r} (not in the country table)")

    def series_or_indicator(self, code: str) -> int | None:
        """A series code of this file's source, else one of the platform's own indicator codes."""
        return self.lookups.series.get(code) or self.lookups.indicators.get(code)


def parse_value(text: str, *, row: int, column: str) -> float | RowError:
    if text.endswith("%"):  # "30 %", "30,5%", or a percent-formatted XLSX cell (see xlsx_table)
        number = text_number(text)
        return RowError(row, column, f"{text!r} is not a number") if number is None else float(number.value)
    try:
        number = float(text)  # also reads C-style exponents such as 1.32195e+006
    except ValueError:
        return RowError(row, column, f"{text!r} is not a number")
    if not math.isfinite(number):
        return RowError(row, column, f"{text!r} is not a finite number")
    return number


def parse_year(text: str, *, row: int, column: str) -> int | RowError:
    try:
        year = int(text)
    except ValueError:
        return RowError(row, column, f"{text!r} is not a year (expected four digits, e.g. 2023)")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return RowError(row, column, f"{year} is not a plausible year ({FIRST_YEAR}–{LAST_YEAR})")
    return year


def looks_estimated(*texts: str) -> bool:
    """ITU marks its own estimates in the source or note ("ITU estimate.", "Estimated by …")."""
    return any(_ESTIMATE.search(text) for text in texts if text)


def clip(text: str, length: int = 300) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# --- tables -------------------------------------------------------------------------------------

class Table(NamedTuple):
    header_row: int
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]

    def missing(self, required: list[str]) -> list[RowError]:
        return [RowError(self.header_row, name, f"Missing column {name!r}") for name in required if name not in self.header]


def csv_table(path: Path, *, preamble_until: str | None = None) -> Table:
    """A CSV file's header and its (line number, cells) rows, blank lines left out.

    With `preamble_until`, lines before the first one starting with that cell are skipped (the
    World Bank's "Data Source" / "Last Updated Date" lines), and line numbers stay the file's.
    """
    if str(path).endswith(".gz"):  # the snapshot Coalition ships (indicators.snapshot)
        handle = gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    else:
        handle = open(path, newline="", encoding="utf-8-sig")
    reader = csv.reader(handle)

    def lines():
        start = 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            yield line, [cell.strip() for cell in cells]

    return _table(lines(), handle.close,
                  is_header=lambda cells: preamble_until is None or cells[0] == preamble_until)


def xlsx_table(path: Path, *, name: str | None = None) -> Table:
    """The first sheet of a workbook as text cells, read-only (streamed, not loaded whole).

    The workbook is checked first (`common.workbooks`: size unpacked, parts, rows, columns;
    raises WorkbookRefused) and every row of the file is read, whatever its declared dimension
    says. A formula cell comes as a `Formula` (its text), for the reader to refuse; a cell formatted
    as a percentage comes as what it shows ("30%" for the 0.3 it stores), which `parse_value` reads.
    """
    from coalition.common.workbooks import workbook_open

    book = workbook_open(path, name=name or Path(path).name)
    if not book.worksheets:
        book.close()
        return Table(1, [], iter(()))
    rows = book.worksheets[0].iter_rows()
    return _table(((number, [_cell_text(c) for c in cells]) for number, cells in enumerate(rows, start=1)), book.close)


class Formula(str):
    """The text of a formula cell ("=B2*100"): refused by the readers, never read as a value."""


def _table(numbered: Iterator[tuple[int, list[str]]], close, *, is_header=lambda cells: True) -> Table:
    """The first non-blank row that `is_header` accepts as the header, the non-blank rows after
    it as the body; `close` runs once the body is read (or at once when there is no header)."""
    header_row, header = 1, []
    for header_row, cells in numbered:
        if any(cells) and is_header(cells):
            header = cells
            break

    def body():
        try:
            for line, cells in numbered:
                if any(cells):
                    yield line, cells
        finally:
            close()

    if not header:
        close()
    return Table(header_row, header, body())


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith("="):
        return Formula(value)
    if not isinstance(value, str) and (number := cell_number(cell)) is not None and number.percent:
        return f"{number.value.normalize():f}%"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # a year typed as 2023.0
    return str(value).strip()


def formula_errors(line: int, cells: list[str], names: list[str]) -> list[RowError]:
    """One RowError per formula cell of a row, named by its column."""
    return [RowError(line, names[index] if index < len(names) and names[index] else f"column {index + 1}",
                     f"{text!r} is a formula; formulas are not accepted, type the value itself (paste as values)")
            for index, text in enumerate(cells) if isinstance(text, Formula)]


def cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""
