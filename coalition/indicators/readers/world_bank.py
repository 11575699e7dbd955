"""World Bank API CSV: wide, one row per economy and one column per year.

The layout of data.worldbank.org downloads (`API_<series>_DS2_en_csv_v2_….csv`): an optional
four-line preamble ("Data Source", "Last Updated Date"), a UTF-8 BOM, a trailing comma on every
line, then `Country Name, Country Code, Indicator Name, Indicator Code, 1960, 1961, …`. An empty
year cell is absent data. Aggregates (WLD, LDC, EAS…) and World Bank-only codes (XKX, CHI) are
skipped with one warning per code.
"""

from collections.abc import Iterator

from coalition.indicators.readers.base import Reader, Value, cell, csv_table, parse_value, parse_year
from coalition.reference.loaders.base import RowError

COUNTRY, SERIES = "Country Code", "Indicator Code"


class WorldBankReader(Reader):
    format = "wb-api"
    title = "World Bank API CSV (wide: one column per year)"
    columns = "Country Name, Country Code, Indicator Name, Indicator Code, 1960 … 2023 (preamble optional)"
    key_column = COUNTRY

    def rows(self) -> Iterator[Value | RowError]:
        table = csv_table(self.path, preamble_until="Country Name")
        if missing := table.missing([COUNTRY, SERIES]):
            yield from missing
            return
        years = []
        for index, name in enumerate(table.header):
            if len(name) == 4 and name.isdigit():
                year = parse_year(name, row=table.header_row, column=name)
                if isinstance(year, RowError):
                    yield year
                    return
                years.append((index, name, year))
        if not years:
            yield RowError(table.header_row, "", "No year columns (expected 1960, 1961, … after Indicator Code)")
            return
        country_at, series_at = table.header.index(COUNTRY), table.header.index(SERIES)
        for line, cells in table.rows:
            filled = [(index, name, year, cells[index]) for index, name, year in years if index < len(cells) and cells[index]]
            series = cell(cells, series_at)
            indicator_id = self.lookups.series.get(series)
            if indicator_id is None:
                yield RowError(line, SERIES, f"Unknown series {series!r} for source {self.source.code} (not in the catalogue's series)")
                continue
            country_id = self.country(cell(cells, country_at), row=line, column=COUNTRY, values=len(filled))
            if country_id is None:
                continue
            if isinstance(country_id, RowError):
                yield country_id
                continue
            for _index, name, year, text in filled:
                value = parse_value(text, row=line, column=name)
                yield value if isinstance(value, RowError) else Value(line, indicator_id, country_id, year, value)
