"""ITU-D regions from itu-regions.csv (ITU IDI 2024 Table 1 plus 27 lower-confidence rows)."""

import datetime
from collections.abc import Iterator
from pathlib import Path

from coalition.reference.loaders.base import (
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

FILENAME = "itu-regions.csv"
COLUMNS = ["iso3", "itu_region_code", "itu_member_state", "note"]
REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")
# The IDI 2024 report (published 2024) is the classification's source; ITU has moved
# economies between regions before, so the memberships carry this date.
DEFAULT_VALID_FROM = datetime.date(2024, 1, 1)
SOURCE = "ITU ICT Development Index 2024, Table 1 (itu-regions.csv)"


class ItuRegionLoader(FileLoader):
    kind = "itu_regions"

    def __init__(self, path: Path, *, valid_from: datetime.date = DEFAULT_VALID_FROM):
        super().__init__(path)
        self.valid_from = valid_from

    def read(self) -> Iterator[Row | RowError]:
        countries = country_ids_by_iso3()
        duplicates = DuplicateCheck("country")
        for line, record in read_csv(self.path, required=COLUMNS):
            errors = []
            if record["iso3"] not in countries:
                errors.append(unknown_country(record["iso3"], row=line, column="iso3"))
            if record["itu_region_code"] not in REGIONS:
                errors.append(RowError(line, "itu_region_code", f"Unknown ITU region {record['itu_region_code']!r}; expected one of {', '.join(REGIONS)}"))
            if record["itu_member_state"] not in ("yes", "no"):
                errors.append(RowError(line, "itu_member_state", f"{record['itu_member_state']!r} must be yes or no"))
            duplicate = duplicates.check(record["iso3"], row=line, column="iso3")
            if errors or duplicate:
                yield from errors + ([duplicate] if duplicate else [])
                continue
            notes = [record["note"]] if record["note"] else []
            if record["itu_member_state"] == "no":
                notes.insert(0, "ITU statistical economy, not an ITU Member State")
            yield Row(
                line,
                {"group": f"ITU-{record['itu_region_code']}", "country_id": countries[record["iso3"]], "note": "; ".join(notes)},
            )

    def write(self, rows: list[Row], counts: Counts) -> None:
        groups = groups_by_code(f"ITU-{code}" for code in REGIONS)
        members = {
            (groups[row.data["group"]].pk, row.data["country_id"]): {"source": SOURCE, "note": row.data["note"][:500]}
            for row in rows
        }
        apply_snapshot(groups=list(groups.values()), members=members, valid_from=self.valid_from, counts=counts)
