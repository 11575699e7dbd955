"""A plan's structure in CSV: one row per record, its kind in the `record` column (the columns
are described in `readers`)."""

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from coalition.actionplan.readers.base import (
    ACTION,
    DELIVERABLE,
    FILE_FIELDS,
    KINDS,
    LIST_FIELDS,
    PILLAR,
    Record,
    split_list,
)
from coalition.reference.loaders.base import ImportErrors, RowError, read_csv

# The column holding each record's parent code, and a plan row's slug.
PARENT_COLUMN = {ACTION: PILLAR, DELIVERABLE: ACTION}
SLUG_COLUMN = "code"


def _columns_of(kind: str) -> dict[str, str]:
    """{column: the file field it fills} for a row of `kind`."""
    columns = {("code" if name == "slug" else name): name for name in FILE_FIELDS[kind]}
    if kind in PARENT_COLUMN:
        columns[PARENT_COLUMN[kind]] = PARENT_COLUMN[kind]
    return columns


COLUMNS = {kind: _columns_of(kind) for kind in KINDS}
ALL_COLUMNS = ["record", *dict.fromkeys(column for kind in KINDS for column in COLUMNS[kind])]


class CsvPlanReader:
    format = "csv"
    title = "CSV, one row per plan, pillar, action or deliverable"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.name = self.path.name

    def __iter__(self) -> Iterator[Record | RowError]:
        positions: Counter = Counter()
        rows = read_csv(self.path, required=["record", "code"])
        checked = False
        try:
            for line, cells in rows:
                if not checked:
                    checked = True
                    yield from self._header_check(cells)
                yield from self._record(line, cells, positions)
        except ImportErrors as exc:
            yield from exc.errors

    @staticmethod
    def _header_check(cells: dict[str, str]) -> Iterator[RowError]:
        for column in cells:
            if column not in ALL_COLUMNS:
                yield RowError(1, column, f"Unknown column {column!r} (known: {', '.join(ALL_COLUMNS)})")

    @staticmethod
    def _record(line: int, cells: dict[str, str], positions: Counter) -> Iterator[Record | RowError]:
        kind = cells.get("record", "").strip().lower()
        if kind not in KINDS:
            yield RowError(line, "record", f"{cells.get('record', '')!r} is not a kind of record: write plan, "
                                           "pillar, action or deliverable")
            return
        columns = COLUMNS[kind]
        parent = cells.get(PARENT_COLUMN[kind], "") if kind in PARENT_COLUMN else ""
        positions[(kind, parent)] += 1
        record = Record(kind=kind, values={}, line=line, parent=parent, position=positions[(kind, parent)],
                        aliases={name: column for column, name in columns.items() if column != name})
        for column, text in cells.items():
            if column == "record" or column not in ALL_COLUMNS:
                continue
            if column not in columns:
                if text:
                    yield RowError(line, column, f"The column {column} does not apply to a {kind} row: leave it empty")
                continue
            name = columns[column]
            if name == PARENT_COLUMN.get(kind):
                continue
            record.values[name] = split_list(text, name) if name in LIST_FIELDS else text
        if kind in PARENT_COLUMN and not parent:
            yield RowError(line, PARENT_COLUMN[kind], f"Give the code of the {PARENT_COLUMN[kind]} this {kind} is under")
        yield record
