"""The small interface every reference loader follows, and helpers they share.

A loader has a `kind` and a `source` (recorded on the ImportRun), a `read()` that yields
validated `Row`s or `RowError`s one record at a time, and a `write(rows, counts)` that the
runner calls inside one transaction only when reading produced no errors.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models

from coalition.common.signals import registry_changed
from coalition.reference.models import Country, CountryGroup

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class RowError:
    """A problem with one record: `row` is the file line where it starts (header = line 1)."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Row:
    number: int
    data: dict[str, Any]


class ImportErrors(Exception):
    """Raised by a loader when the input as a whole cannot be accepted."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__("; ".join(e.message for e in errors[:3]))
        self.errors = list(errors)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0
    warnings: list[dict] = field(default_factory=list)
    tables: set[str] = field(default_factory=set)  # written to: their statistics are refreshed after

    def wrote(self, model: type[models.Model]) -> None:
        self.tables.add(model._meta.db_table)

    def warn(self, row: int | None, column: str, message: str) -> None:
        self.warnings.append(RowError(row, column, message).as_dict())
        self.skipped += 1


class Loader:
    kind: str = ""
    source: str = ""

    def read(self) -> Iterator[Row | RowError]:
        raise NotImplementedError

    def write(self, rows: list[Row], counts: Counts) -> None:
        raise NotImplementedError


class FileLoader(Loader):
    """A loader reading one file: `path`, or the project's own table at `default_path`."""

    default_path: Path | None = None

    def __init__(self, path: Path | str | None = None):
        if path is None and self.default_path is None:
            raise TypeError(f"{type(self).__name__} needs the path of the file to read")
        self.path = Path(path if path is not None else self.default_path)
        self.source = str(self.path)


def read_csv(
    path: Path, *, required: Sequence[str], encoding: str = "utf-8-sig"
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, record) with values stripped; refuse a header missing a column.

    Cells are kept as text: an empty cell is "", never NaN, so Namibia's "NA" stays a code.
    The line number is where the record starts, so quoted multi-line cells don't shift it.
    """
    with open(path, newline="", encoding=encoding) as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise ImportErrors([RowError(1, "", f"{path.name} is empty; expected a header row")]) from None
        missing = [name for name in required if name not in header]
        if missing:
            raise ImportErrors(
                [RowError(1, name, f"Missing column {name!r} in {path.name}") for name in missing]
            )
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            yield line, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}


def parse_date(value: str, *, row: int, column: str) -> datetime.date | None | RowError:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return RowError(row, column, f"{value!r} is not a date (expected YYYY-MM-DD)")


def parse_decimal(value: str, *, row: int, column: str) -> Decimal | RowError:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return RowError(row, column, f"{value!r} is not a number")
    if not number.is_finite() or number <= 0:
        return RowError(row, column, f"{value!r} must be a positive number")
    return number


def parse_int(value: str, *, row: int, column: str, low: int, high: int) -> int | RowError:
    try:
        number = int(value)
    except ValueError:
        return RowError(row, column, f"{value!r} is not a whole number")
    if not low <= number <= high:
        return RowError(row, column, f"{number} is outside {low}–{high}")
    return number


class DuplicateCheck:
    """Remembers keys seen so a repeated record is reported with both line numbers."""

    def __init__(self, what: str):
        self.what = what
        self.seen: dict[Any, int] = {}

    def check(self, key: Any, *, row: int, column: str) -> RowError | None:
        if key in self.seen:
            return RowError(row, column, f"Duplicate {self.what} {key!r} (first on line {self.seen[key]})")
        self.seen[key] = row
        return None


def country_ids_by_iso3() -> dict[str, int]:
    return dict(Country.objects.values_list("iso3", "id"))


def unknown_country(iso3: str, *, row: int, column: str) -> RowError:
    if not iso3:
        return RowError(row, column, "ISO3 code is empty")
    return RowError(row, column, f"Unknown ISO3 code {iso3!r} (not in the country table; load countries first)")


def groups_by_code(codes: Iterable[str]) -> dict[str, CountryGroup]:
    """The named groups, which the authored country_groups table must already define."""
    codes = set(codes)
    found = {group.code: group for group in CountryGroup.objects.filter(code__in=codes)}
    missing = sorted(codes - found.keys())
    if missing:
        raise ImportErrors(
            [RowError(None, "group", f"Country group {code} is not defined; load country groups first") for code in missing]
        )
    return found


def sync(
    model: type[models.Model],
    *,
    key: Sequence[str],
    rows: Iterable[dict[str, Any]],
    counts: Counts,
    scope: models.QuerySet | None = None,
    delete_missing: bool = False,
) -> dict[tuple, models.Model]:
    """Create, update or leave alone one object per row, matched on `key` (attribute names).

    Compares before writing so a re-import counts `unchanged` and touches nothing. With
    `delete_missing`, objects in `scope` that no row mentions are deleted: used only for
    tables the project authors in full, where the file is the whole truth.
    """
    existing = {tuple(getattr(obj, name) for name in key): obj for obj in (scope if scope is not None else model.objects.all())}
    result, to_create, to_update, changed_fields = {}, [], [], set()
    for values in rows:
        identity = tuple(values[name] for name in key)
        obj = existing.pop(identity, None)
        if obj is None:
            obj = model(**values)
            to_create.append(obj)
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                to_update.append(obj)
                changed_fields.update(changed)
            else:
                counts.unchanged += 1
        result[identity] = obj
    # Both supported backends (PostgreSQL, SQLite >= 3.35) hand back primary keys here,
    # which later rows (parents, memberships) point at.
    model.objects.bulk_create(to_create, batch_size=500)
    counts.created += len(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields))
        counts.updated += len(to_update)
    if delete_missing and existing:
        model.objects.filter(pk__in=[obj.pk for obj in existing.values()]).delete()
        counts.deleted += len(existing)
    if to_create or to_update or (delete_missing and existing):
        counts.wrote(model)
        registry_changed.send(sender=model, since=None)
    return result


def depth_layers(rows: list[Row], *, code: str, parent: str) -> list[list[Row]]:
    """Split tree rows into layers (roots first) so each layer can point at the one before.

    Readers have already checked that every parent is listed before its children.
    """
    depth: dict[str, int] = {}
    layers: list[list[Row]] = []
    for row in rows:
        parent_code = row.data[parent]
        level = depth[parent_code] + 1 if parent_code else 0
        depth[row.data[code]] = level
        while len(layers) <= level:
            layers.append([])
        layers[level].append(row)
    return layers
