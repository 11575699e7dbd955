"""ITU-D regions from itu-regions.csv (ITU IDI 2024 Table 1 plus 27 lower-confidence rows).

Memberships have an open start (valid_from blank: in force on every past date) unless a date
is given. That is how ITU uses its regions: its regional series (Facts and Figures, the
regional and global key ICT indicator aggregates from 2005) group every year by the current
regions, so a 2019 figure for Africa counts the countries that are in Africa now. The open start
is that convention, not a claim that a region existed in 1960 (ITU-D dates from 1992). The
IDI 2024 says which classification the file holds, not when a country joined its region;
dating the memberships from it left every earlier year without ITU regions. A later
reclassification is imported with its own `valid_from`, which closes the memberships that
changed on that date.

Earlier versions of this loader dated every membership from OLD_DEFAULT_VALID_FROM. An
undated load opens those starts again, so an existing database ends with the dates a fresh one
gets; apply_snapshot refuses it when the groups hold any other dated history.
"""

import datetime
from collections.abc import Iterator
from pathlib import Path

from coalition.common.signals import registry_changed
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
from coalition.reference.models import CountryGroup, CountryGroupMembership

FILENAME = "itu-regions.csv"
COLUMNS = ["iso3", "itu_region_code", "itu_member_state", "note"]
REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")
OLD_DEFAULT_VALID_FROM = datetime.date(2024, 1, 1)
SOURCE = "ITU ICT Development Index 2024, Table 1 (itu-regions.csv)"


class ItuRegionLoader(FileLoader):
    kind = "itu_regions"

    default_path = DATA_DIR / "itu_regions.csv"

    def __init__(self, path: Path | None = None, *, valid_from: datetime.date | None = None):
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
        if self.valid_from is None:
            _open_old_default_starts(list(groups.values()), counts)
        apply_snapshot(groups=list(groups.values()), members=members, valid_from=self.valid_from, counts=counts)


def _open_old_default_starts(groups: list[CountryGroup], counts: Counts) -> None:
    """Blank the start of open memberships dated from the old default (see the module docstring)."""
    opened = CountryGroupMembership.objects.filter(
        group__in=groups, valid_from=OLD_DEFAULT_VALID_FROM, valid_to__isnull=True
    ).update(valid_from=None)
    if opened:
        counts.updated += opened
        counts.wrote(CountryGroupMembership)
        registry_changed.send(sender=CountryGroupMembership, since=None)
