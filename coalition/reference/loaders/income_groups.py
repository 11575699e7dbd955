"""World Bank income groups from the country metadata file of a WDI download.

The file says nothing about its date; the one in the data folder (November 2024) is the
FY2025 classification, valid from 1 July 2024. A later classification is loaded with its
own valid_from (1 July of the year it was published), which closes the memberships that
changed and opens new ones, so "which group was X in on date D" stays answerable.
"""

import datetime
from collections.abc import Iterator
from pathlib import Path

from coalition.reference.loaders.base import (
    DATA_DIR,
    Counts,
    DuplicateCheck,
    FileLoader,
    Row,
    RowError,
    country_ids_by_iso3,
    groups_by_code,
    read_csv,
    unknown_country,
)
from coalition.reference.loaders.memberships import apply_snapshot

FILENAME = "wb_country_metadata.csv"
COLUMNS = ["Country Code", "Region", "IncomeGroup"]
INCOME_GROUPS = {
    "Low income": "WB-LIC",
    "Lower middle income": "WB-LMC",
    "Upper middle income": "WB-UMC",
    "High income": "WB-HIC",
}
DEFAULT_VALID_FROM = datetime.date(2024, 7, 1)
# World Bank economy codes that are not ISO 3166-1 and so have no Country row.
NON_ISO_ECONOMIES = {"XKX": "Kosovo", "CHI": "Channel Islands"}


class IncomeGroupLoader(FileLoader):
    kind = "income_groups"

    default_path = DATA_DIR / "income_groups.csv"

    def __init__(self, path: Path | None = None, *, valid_from: datetime.date = DEFAULT_VALID_FROM):
        super().__init__(path)
        self.valid_from = valid_from
        # The World Bank's fiscal year N starts on 1 July of year N-1.
        fiscal_year = valid_from.year + 1 if valid_from.month >= 7 else valid_from.year
        self.label = f"World Bank income classification FY{fiscal_year} ({self.path.name})"

    def read(self) -> Iterator[Row | RowError]:
        countries = country_ids_by_iso3()
        duplicates = DuplicateCheck("economy")
        for line, record in read_csv(self.path, required=COLUMNS):
            code, region, income = record["Country Code"], record["Region"], record["IncomeGroup"]
            duplicate = duplicates.check(code, row=line, column="Country Code")
            if duplicate:
                yield duplicate
                continue
            if not region and not income:
                continue  # a World Bank aggregate (WLD, LDC, EAS...), not an economy
            if income and income not in INCOME_GROUPS:
                yield RowError(line, "IncomeGroup", f"Unknown income group {income!r}; expected one of {', '.join(INCOME_GROUPS)}")
            elif code not in countries and code not in NON_ISO_ECONOMIES:
                yield unknown_country(code, row=line, column="Country Code")
            else:
                yield Row(line, {"code": code, "income": income, "country_id": countries.get(code)})

    def write(self, rows: list[Row], counts: Counts) -> None:
        groups = groups_by_code(INCOME_GROUPS.values())
        members = {}
        for row in rows:
            code, income = row.data["code"], row.data["income"]
            if code in NON_ISO_ECONOMIES:
                counts.warn(row.number, "Country Code", f"{code} ({NON_ISO_ECONOMIES[code]}) has no ISO 3166-1 code; not stored")
            elif not income:
                counts.warn(row.number, "IncomeGroup", f"{code} is not classified by income in this file")
            else:
                members[(groups[INCOME_GROUPS[income]].pk, row.data["country_id"])] = {"source": self.label, "note": ""}
        apply_snapshot(groups=list(groups.values()), members=members, valid_from=self.valid_from, counts=counts)
