"""WSIS action lines C1–C11 and the C7 sub-lines.

Coalition ships its own table (data/wsis_action_lines.csv: ITU's current English headings and
French titles, six of the C7 sub-lines translated for Coalition). A data folder's
wsis-action-lines.csv, with the Geneva Plan of Action 2003 French headings in
`title_fr_geneva_2003`, replaces it; a French title left empty falls back to English.
"""

import re
from collections.abc import Iterator

from coalition.reference.loaders.base import (
    DATA_DIR,
    Counts,
    DuplicateCheck,
    FileLoader,
    Row,
    RowError,
    depth_layers,
    read_csv,
    sync,
)
from coalition.reference.models import WsisActionLine

FILENAME = "wsis-action-lines.csv"
PACKAGED = "wsis_action_lines.csv"
COLUMNS = ["code", "parent_code", "level", "title_en"]
FRENCH = ("title_fr", "title_fr_geneva_2003")  # the project's table, a data folder's file
LEVELS = {"action_line": r"C\d{1,2}", "sub_line": r"C\d{1,2}\.\d{1,2}"}


class WsisLoader(FileLoader):
    kind = "wsis_action_lines"

    default_path = DATA_DIR / PACKAGED

    def read(self) -> Iterator[Row | RowError]:
        codes = DuplicateCheck("action line")
        for order, (line, record) in enumerate(read_csv(self.path, required=COLUMNS), start=1):
            french = next((record[name] for name in FRENCH if name in record), None)
            if french is None:
                yield RowError(1, FRENCH[0], f"Missing column {FRENCH[0]!r} (or {FRENCH[1]!r})")
                return
            errors = []
            pattern = LEVELS.get(record["level"])
            if pattern is None:
                errors.append(RowError(line, "level", f"{record['level']!r} must be action_line or sub_line"))
            elif not re.fullmatch(pattern, record["code"]):
                errors.append(RowError(line, "code", f"{record['code']!r} is not a WSIS {record['level'].replace('_', ' ')} code"))
            elif (record["level"] == "sub_line") != bool(record["parent_code"]):
                errors.append(RowError(line, "parent_code", "Sub-lines have a parent action line and action lines none"))
            if record["parent_code"] and record["parent_code"] not in codes.seen:
                errors.append(RowError(line, "parent_code", f"Parent {record['parent_code']!r} must be listed on an earlier line"))
            if not record["title_en"]:
                errors.append(RowError(line, "title_en", "English title is empty"))
            duplicate = codes.check(record["code"], row=line, column="code")
            errors += [duplicate] if duplicate else []
            if errors:
                yield from errors
                continue
            yield Row(line, {**record, "title_fr": french, "order": order})

    def write(self, rows: list[Row], counts: Counts) -> None:
        ids: dict[str, int] = {}
        for layer in depth_layers(rows, code="code", parent="parent_code"):
            values = [
                {
                    "code": row.data["code"],
                    "parent_id": ids[row.data["parent_code"]] if row.data["parent_code"] else None,
                    "title_en": row.data["title_en"],
                    "title_fr": row.data["title_fr"],
                    "order": row.data["order"],
                }
                for row in layer
            ]
            synced = sync(WsisActionLine, key=["code"], rows=values, counts=counts)
            ids.update({code: line.pk for (code,), line in synced.items()})
