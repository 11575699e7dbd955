"""ESCAP membership and subregions from escap-members.csv."""

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

FILENAME = "escap-members.csv"
COLUMNS = ["iso3", "membership", "escap_subregion", "regional", "note"]
MEMBERSHIPS = {"member": "ESCAP-MEMBER", "associate member": "ESCAP-ASSOCIATE"}
SUBREGIONS = {
    "East and North-East Asia": "ESCAP-ENEA",
    "South-East Asia": "ESCAP-SEA",
    "South and South-West Asia": "ESCAP-SSWA",
    "North and Central Asia": "ESCAP-NCA",
    "Pacific": "ESCAP-PAC",
}
SOURCE = "UN ESCAP member States and subregional offices (escap-members.csv)"


class EscapLoader(FileLoader):
    """The file carries no dates, so memberships are undated unless `valid_from` is given."""

    kind = "escap"

    default_path = DATA_DIR / "escap_members.csv"

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
            if record["membership"] not in MEMBERSHIPS:
                errors.append(RowError(line, "membership", f"{record['membership']!r} must be 'member' or 'associate member'"))
            if record["escap_subregion"] and record["escap_subregion"] not in SUBREGIONS:
                errors.append(RowError(line, "escap_subregion", f"Unknown subregion {record['escap_subregion']!r}; expected one of {', '.join(SUBREGIONS)}"))
            if record["regional"] not in ("yes", "no"):
                errors.append(RowError(line, "regional", f"{record['regional']!r} must be yes or no"))
            elif (record["regional"] == "yes") != bool(record["escap_subregion"]):
                errors.append(RowError(line, "escap_subregion", "Regional members have a subregion and non-regional members none"))
            duplicate = duplicates.check(record["iso3"], row=line, column="iso3")
            if errors or duplicate:
                yield from errors + ([duplicate] if duplicate else [])
                continue
            yield Row(line, {**record, "country_id": countries[record["iso3"]]})

    def write(self, rows: list[Row], counts: Counts) -> None:
        groups = groups_by_code([*MEMBERSHIPS.values(), *SUBREGIONS.values()])
        members = {}
        for row in rows:
            note = {"source": SOURCE, "note": row.data["note"][:500]}
            members[(groups[MEMBERSHIPS[row.data["membership"]]].pk, row.data["country_id"])] = note
            if row.data["escap_subregion"]:
                members[(groups[SUBREGIONS[row.data["escap_subregion"]]].pk, row.data["country_id"])] = note
        apply_snapshot(groups=list(groups.values()), members=members, valid_from=self.valid_from, counts=counts)
