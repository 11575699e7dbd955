"""The project's own dated table of LDC, LLDC and SIDS memberships.

The file is the whole history of these three groups, so memberships it no longer lists are
removed (a corrected date replaces the old row rather than adding a second one).
"""

import datetime
from collections.abc import Iterator

from coalition.reference.loaders.base import (
    DATA_DIR,
    Counts,
    DuplicateCheck,
    FileLoader,
    Row,
    RowError,
    country_ids_by_iso3,
    groups_by_code,
    parse_date,
    read_csv,
    sync,
    unknown_country,
)
from coalition.reference.models import CountryGroupMembership

COLUMNS = ["group", "iso3", "valid_from", "valid_to", "source", "note"]
GROUPS = ("LDC", "LLDC", "SIDS")


class DevelopmentGroupLoader(FileLoader):
    kind = "development_groups"

    default_path = DATA_DIR / "development_groups.csv"

    def read(self) -> Iterator[Row | RowError]:
        countries = country_ids_by_iso3()
        duplicates = DuplicateCheck("membership")
        periods: dict[tuple[str, str], list] = {}
        for line, record in read_csv(self.path, required=COLUMNS):
            errors = []
            if record["group"] not in GROUPS:
                errors.append(RowError(line, "group", f"Unknown group {record['group']!r}; expected one of {', '.join(GROUPS)}"))
            if record["iso3"] not in countries:
                errors.append(unknown_country(record["iso3"], row=line, column="iso3"))
            valid_from = parse_date(record["valid_from"], row=line, column="valid_from")
            valid_to = parse_date(record["valid_to"], row=line, column="valid_to")
            errors += [value for value in (valid_from, valid_to) if isinstance(value, RowError)]
            if not errors and valid_from and valid_to and valid_to <= valid_from:
                errors.append(RowError(line, "valid_to", f"valid_to {valid_to} must be after valid_from {valid_from}"))
            if not errors:
                duplicate = duplicates.check((record["group"], record["iso3"], valid_from), row=line, column="iso3")
                errors += [duplicate] if duplicate else []
            if not errors:
                overlap = _overlap(periods.setdefault((record["group"], record["iso3"]), []), line, valid_from, valid_to)
                errors += [overlap] if overlap else []
            if errors:
                yield from errors
                continue
            yield Row(
                line,
                {
                    "group": record["group"],
                    "country_id": countries[record["iso3"]],
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "source": record["source"],
                    "note": record["note"],
                },
            )

    def write(self, rows: list[Row], counts: Counts) -> None:
        groups = groups_by_code(GROUPS)
        values = [
            {**{k: v for k, v in row.data.items() if k != "group"}, "group_id": groups[row.data["group"]].pk}
            for row in rows
        ]
        sync(
            CountryGroupMembership,
            key=["group_id", "country_id", "valid_from"],
            rows=values,
            counts=counts,
            scope=CountryGroupMembership.objects.filter(group__in=groups.values()),
            delete_missing=True,
        )


def _overlap(periods: list, line: int, valid_from, valid_to) -> RowError | None:
    """Two periods of the same membership may touch but not overlap."""
    low, high = valid_from or datetime.date.min, valid_to or datetime.date.max
    for other_line, other_from, other_to in periods:
        if low < (other_to or datetime.date.max) and (other_from or datetime.date.min) < high:
            return RowError(line, "valid_from", f"Period overlaps the one on line {other_line}")
    periods.append((line, valid_from, valid_to))
    return None
