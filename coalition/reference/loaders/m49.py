"""UN M49 regions, sub-regions and intermediate regions from country-codes.csv.

Groups are coded M49-<three digits> (M49-002 Africa, M49-202 Sub-Saharan Africa). Their
French names come from the project's country_groups table; a code that table does not know
is created from the file's English name. Cells are read as text, so Namibia's "NA" is a code.
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
    read_csv,
    unknown_country,
)
from coalition.reference.loaders.memberships import apply_snapshot
from coalition.reference.models import CountryGroup

FILENAME = "country-codes.csv"
LEVELS = [
    ("Region Code", "Region Name", CountryGroup.Kind.UN_REGION),
    ("Sub-region Code", "Sub-region Name", CountryGroup.Kind.UN_SUBREGION),
    ("Intermediate Region Code", "Intermediate Region Name", CountryGroup.Kind.UN_SUBREGION),
]
COLUMNS = ["ISO3166-1-Alpha-3", *(column for level in LEVELS for column in level[:2])]
SOURCE = "UNSD M49 via datasets/country-codes (country-codes.csv)"


class M49Loader(FileLoader):
    kind = "m49_regions"

    default_path = DATA_DIR / "m49_regions.csv"

    def __init__(self, path: Path | None = None, *, valid_from: datetime.date | None = None):
        super().__init__(path)
        self.valid_from = valid_from

    def read(self) -> Iterator[Row | RowError]:
        countries = country_ids_by_iso3()
        duplicates = DuplicateCheck("country")
        # code -> (name, parent code, line first seen): the same code must mean the same thing on every line.
        self.groups: dict[str, tuple[str, str, CountryGroup.Kind, int]] = {}
        for line, record in read_csv(self.path, required=COLUMNS):
            iso3 = record["ISO3166-1-Alpha-3"]
            errors = [] if iso3 in countries else [unknown_country(iso3, row=line, column="ISO3166-1-Alpha-3")]
            duplicate = duplicates.check(iso3, row=line, column="ISO3166-1-Alpha-3")
            errors += [duplicate] if duplicate else []
            chain, parent = [], ""
            for code_column, name_column, kind in LEVELS:
                number, name = record[code_column], record[name_column]
                if not number:
                    continue
                if not number.isdigit() or len(number) > 3:
                    errors.append(RowError(line, code_column, f"{number!r} is not an M49 code (up to three digits)"))
                    continue
                if not name:
                    errors.append(RowError(line, name_column, f"M49 code {number} has no name"))
                    continue
                code = f"M49-{int(number):03d}"
                seen = self.groups.setdefault(code, (name, parent, kind, line))
                if seen[:3] != (name, parent, kind):
                    errors.append(RowError(line, code_column, f"{code} is {name!r} under {parent or 'nothing'} here but {seen[0]!r} under {seen[1] or 'nothing'} on line {seen[3]}"))
                chain.append(code)
                parent = code
            if errors:
                yield from errors
                continue
            yield Row(line, {"country_id": countries[iso3], "groups": chain})

    def write(self, rows: list[Row], counts: Counts) -> None:
        known = {group.code: group for group in CountryGroup.objects.filter(code__startswith="M49-")}
        for code, (name, parent, kind, _line) in self.groups.items():  # parents come first
            if code not in known:
                known[code] = CountryGroup.objects.create(
                    code=code, kind=kind, name_en=name, parent=known.get(parent), source="UNSD M49"
                )
                counts.created += 1
                counts.wrote(CountryGroup)
        members = {
            (known[code].pk, row.data["country_id"]): {"source": SOURCE, "note": ""}
            for row in rows
            for code in row.data["groups"]
        }
        apply_snapshot(groups=list(known.values()), members=members, valid_from=self.valid_from, counts=counts)
