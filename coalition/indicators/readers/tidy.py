"""Tidy CSV: one observation per row, the simplest format to write by hand.

Columns `country` (ISO3), `indicator` (the platform's code, e.g. internet-use, or a series
code of the file's source), `year`, `value`, and optionally `source` (who reported the value),
`note` and `estimate` (yes/no, 1/0, true/false, E). Column names are matched without regard to
case. The `Country Name, Country Code, Year, Value` layout (datahub.io's population.csv) is
accepted too when the caller names the indicator; `indicator` may then be left out.
"""

from collections.abc import Iterator

from coalition.indicators.readers.base import (
    Reader,
    Table,
    Value,
    cell,
    clip,
    csv_table,
    formula_errors,
    parse_value,
    parse_year,
)
from coalition.reference.loaders.base import RowError

ALIASES = {"country code": "country", "iso3": "country", "source": "source", "origin": "source"}
TRUE, FALSE = {"1", "true", "yes", "y", "e", "x", "estimate"}, {"", "0", "false", "no", "n"}


class TidyReader(Reader):
    format = "tidy"
    title = "Tidy CSV (country, indicator, year, value)"
    columns = "country, indicator, year, value, optional source, note, estimate (or Country Code, Year, Value with an indicator given)"
    takes_indicator = True

    def table(self) -> Table:
        return csv_table(self.path)

    def rows(self) -> Iterator[Value | RowError]:
        table = self.table()
        names = [ALIASES.get(name.lower(), name.lower()) for name in table.header]
        table = table._replace(header=names)
        required = ["country", "year", "value"] + ([] if self.indicator is not None else ["indicator"])
        if missing := table.missing(required):
            if "indicator" in {error.column for error in missing}:
                missing = [error if error.column != "indicator" else
                           RowError(error.row, "indicator", "Missing column 'indicator' (or name the indicator for the whole file)")
                           for error in missing]
            yield from missing
            return
        at = {name: names.index(name) if name in names else None
              for name in ("country", "indicator", "year", "value", "source", "note", "estimate")}
        fixed = self.indicator.pk if self.indicator is not None else None
        for line, cells in table.rows:
            if formulas := formula_errors(line, cells, table.header):
                yield from formulas
                continue
            if at["indicator"] is not None and cell(cells, at["indicator"]):
                code = cell(cells, at["indicator"])
                indicator_id = self.series_or_indicator(code)
                if indicator_id is None:
                    yield RowError(line, "indicator", f"Unknown indicator {code!r} (neither an indicator code nor a {self.source.code} series)")
                    continue
            elif fixed is not None:
                indicator_id = fixed
            else:
                yield RowError(line, "indicator", "The indicator is empty")
                continue
            country_id = self.country(cell(cells, at["country"]), row=line, column="country")
            if country_id is None:
                continue
            year = parse_year(cell(cells, at["year"]), row=line, column="year")
            value = parse_value(cell(cells, at["value"]), row=line, column="value")
            flag = cell(cells, at["estimate"]).lower()
            estimate = flag in TRUE
            problems = [item for item in (country_id, year, value) if isinstance(item, RowError)]
            if flag not in TRUE | FALSE:
                problems.append(RowError(line, "estimate", f"{flag!r} is not yes or no"))
            if problems:
                yield from problems
                continue
            yield Value(line, indicator_id, country_id, year, value, estimate, cell(cells, at["note"]), clip(cell(cells, at["source"])))
