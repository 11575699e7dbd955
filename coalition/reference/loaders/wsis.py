"""WSIS action lines C1–C11 and the C7 sub-lines from wsis-action-lines.csv.

English titles are ITU's current wording; French titles are the Geneva Plan of Action 2003
headings, which six C7 sub-lines lack (their French title stays empty and falls back to English).
"""

import re
from collections.abc import Iterator

from coalition.reference.loaders.base import (
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
COLUMNS = ["code", "parent_code", "level", "title_en", "title_fr_geneva_2003"]
LEVELS = {"action_line": r"C\d{1,2}", "sub_line": r"C\d{1,2}\.\d{1,2}"}


class WsisLoader(FileLoader):
    kind = "wsis_action_lines"

    def read(self) -> Iterator[Row | RowError]:
        codes = DuplicateCheck("action line")
        for order, (line, record) in enumerate(read_csv(self.path, required=COLUMNS), start=1):
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
            yield Row(line, {**record, "order": order})

    def write(self, rows: list[Row], counts: Counts) -> None:
        ids: dict[str, int] = {}
        for layer in depth_layers(rows, code="code", parent="parent_code"):
            values = [
                {
                    "code": row.data["code"],
                    "parent_id": ids[row.data["parent_code"]] if row.data["parent_code"] else None,
                    "title_en": row.data["title_en"],
                    "title_fr": row.data["title_fr_geneva_2003"],
                    "order": row.data["order"],
                }
                for row in layer
            ]
            synced = sync(WsisActionLine, key=["code"], rows=values, counts=counts)
            ids.update({code: line.pk for (code,), line in synced.items()})
