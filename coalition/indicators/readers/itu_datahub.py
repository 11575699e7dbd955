"""ITU DataHub export: long, one observation per row, often several series per file.

Columns `seriesCode, entityIso, dataValue, dataYear` (required) and `dataNote, dataSource`
(kept as the value's note and origin; a source or note saying "estimate" marks an estimate).
Values may be written like `1.32195e+006`. Series the catalogue does not list are skipped with
one warning per series: ITU exports bundle the per-100 series with absolute counts and prices
in three currencies.
"""

from collections.abc import Iterator

from coalition.indicators.readers.base import (
    Reader,
    Value,
    cell,
    clip,
    csv_table,
    looks_estimated,
    parse_value,
    parse_year,
)
from coalition.reference.loaders.base import RowError

REQUIRED = ["seriesCode", "entityIso", "dataValue", "dataYear"]


class ItuDataHubReader(Reader):
    format = "itu-datahub"
    title = "ITU DataHub export (long: one observation per row)"
    columns = "seriesCode, entityIso, dataValue, dataYear, optional dataNote, dataSource, seriesName"
    key_column = "entityIso"

    def rows(self) -> Iterator[Value | RowError]:
        table = csv_table(self.path)
        if missing := table.missing(REQUIRED):
            yield from missing
            return
        at = {name: table.header.index(name) if name in table.header else None
              for name in [*REQUIRED, "dataNote", "dataSource", "seriesName"]}
        for line, cells in table.rows:
            series = cell(cells, at["seriesCode"])
            indicator_id = self.lookups.series.get(series)
            if indicator_id is None:
                name = cell(cells, at["seriesName"])
                self.skip(line, "seriesCode", series,
                          f"Series {series!r}{f' ({name})' if name else ''} is not in the catalogue for {self.source.code}")
                continue
            country_id = self.country(cell(cells, at["entityIso"]), row=line, column="entityIso")
            if country_id is None:
                continue
            year = parse_year(cell(cells, at["dataYear"]), row=line, column="dataYear")
            value = parse_value(cell(cells, at["dataValue"]), row=line, column="dataValue")
            problems = [item for item in (country_id, year, value) if isinstance(item, RowError)]
            if problems:
                yield from problems
                continue
            note, origin = cell(cells, at["dataNote"]), cell(cells, at["dataSource"])
            yield Value(line, indicator_id, country_id, year, value, looks_estimated(origin, note), note, clip(origin))
