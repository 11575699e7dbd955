"""SDMX-CSV (1.0 and 2.0): one observation per row with SDMX column names.

`DATAFLOW` (1.0) or `STRUCTURE`/`STRUCTURE_ID` (2.0) name the dataflow and are not needed;
required are `REF_AREA` (ISO3, or an M49 number as UNSD publishes), `INDICATOR` or `SERIES`
(a series code of the file's source, or a platform indicator code), `TIME_PERIOD` (a year) and
`OBS_VALUE`. Optional: `OBS_STATUS` (E = estimate), `UNIT_MULT` (values are multiplied by 10^n),
`COMMENT`/`OBS_COMMENT` (note), `ORIGIN` (who reported the value to the source). Headers and
cells written "CODE: Label" keep the code. An empty `OBS_VALUE` is a missing observation, not an
error. Rows broken down by sex, age, location… (anything but the total `_T`) are skipped with a
warning: the platform keeps totals.

The platform's own SDMX-CSV (`writers.sdmx_csv`) also has `DATA_SOURCE` and `EDITION`: rows of
another source than the one imported are skipped with a warning, and so, when the reader is
given an `edition`, are rows of other editions; rows whose `REF_AREA` is a country group or
WORLD are aggregates, computed by the platform and never imported (skipped with a warning).
"""

from collections.abc import Iterator
from pathlib import Path

from coalition.indicators.models import DataSource, Indicator
from coalition.indicators.readers.base import Reader, Value, cell, clip, csv_table, parse_value, parse_year
from coalition.reference.loaders.base import RowError
from coalition.reference.models import CountryGroup

WORLD = "WORLD"  # the world's aggregates (`aggregates.WORLD`)

BREAKDOWNS = ("SEX", "AGE", "URBANISATION", "LOCATION", "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "DISABILITY_STATUS")
TOTALS = {"", "_T", "_Z", "ALLAGE", "ALL", "T"}


def _code(text: str) -> str:
    return text.split(":", 1)[0].strip()


class SdmxReader(Reader):
    format = "sdmx-csv"
    title = "SDMX-CSV 1.0 or 2.0"
    columns = "REF_AREA, INDICATOR or SERIES, TIME_PERIOD, OBS_VALUE, optional OBS_STATUS, UNIT_MULT, COMMENT"
    key_column = "REF_AREA"

    def __init__(self, path: Path | str, *, source: DataSource, indicator: Indicator | None = None,
                 name: str | None = None, edition: str | None = None):
        super().__init__(path, source=source, indicator=indicator, name=name)
        self.edition = edition

    def __iter__(self) -> Iterator[Value | RowError]:
        # Before the first row, with the other code tables (see Reader.__iter__).
        self.groups = {WORLD, *CountryGroup.objects.values_list("code", flat=True)}
        return super().__iter__()

    def rows(self) -> Iterator[Value | RowError]:
        table = csv_table(self.path)
        header = [_code(name).upper() for name in table.header]
        table = table._replace(header=header)
        series_column = "INDICATOR" if "INDICATOR" in header else "SERIES"
        if missing := table.missing(["REF_AREA", series_column, "TIME_PERIOD", "OBS_VALUE"]):
            if series_column in {error.column for error in missing}:
                missing = [error if error.column != series_column else
                           RowError(error.row, "INDICATOR", "Missing column 'INDICATOR' (or 'SERIES')") for error in missing]
            yield from missing
            return
        at = {name: header.index(name) if name in header else None
              for name in ("REF_AREA", series_column, "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "COMMENT",
                           "OBS_COMMENT", "ORIGIN", "DATA_SOURCE", "EDITION")}
        breakdowns = [(name, header.index(name)) for name in BREAKDOWNS if name in header]
        for line, cells in table.rows:
            text = cell(cells, at["OBS_VALUE"])
            if not text:
                continue
            if (other := _code(cell(cells, at["DATA_SOURCE"]))) and other != self.source.code:
                self.skip(line, "DATA_SOURCE", other, f"Values of source {other!r} (import them as that source)")
                continue
            if self.edition is not None and (edition := cell(cells, at["EDITION"])) != self.edition:
                self.skip(line, "EDITION", edition, f"Values of edition {edition!r} (imported as their own edition)")
                continue
            area = _code(cell(cells, at["REF_AREA"]))
            if area in self.groups:
                self.skip(line, "REF_AREA", area, f"Aggregate of {area} (computed by the platform, not imported)")
                continue
            series = _code(cell(cells, at[series_column]))
            indicator_id = self.series_or_indicator(series)
            if indicator_id is None:
                self.skip(line, series_column, series, f"Series {series!r} is not in the catalogue for {self.source.code}")
                continue
            split = [f"{name}={_code(cells[index])}" for name, index in breakdowns
                     if index < len(cells) and _code(cells[index]) not in TOTALS]
            if split:
                self.skip(line, split[0].split("=")[0], ",".join(split), f"Breakdown {', '.join(split)} (only totals are kept)")
                continue
            country_id = self.country(area, row=line, column="REF_AREA")
            if country_id is None:
                continue
            year = parse_year(cell(cells, at["TIME_PERIOD"]), row=line, column="TIME_PERIOD")
            value = parse_value(text, row=line, column="OBS_VALUE")
            multiplier = cell(cells, at["UNIT_MULT"]) or "0"
            problems = [item for item in (country_id, year, value) if isinstance(item, RowError)]
            if not multiplier.lstrip("-").isdigit():
                problems.append(RowError(line, "UNIT_MULT", f"{multiplier!r} is not a whole number"))
            if problems:
                yield from problems
                continue
            status = _code(cell(cells, at["OBS_STATUS"])).upper()
            note = cell(cells, at["COMMENT"]) or cell(cells, at["OBS_COMMENT"])
            yield Value(line, indicator_id, country_id, year, value * 10 ** int(multiplier), status == "E", note,
                        clip(cell(cells, at["ORIGIN"])))
