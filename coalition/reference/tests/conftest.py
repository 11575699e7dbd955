import csv
import io
from pathlib import Path

import pytest

from coalition.reference.testing import FIXTURE_DIR, load_reference_fixture


@pytest.fixture
def reference(db):
    return load_reference_fixture()


class CsvFixture:
    """A fixture file as rows, to be changed and written elsewhere; knows each record's line."""

    def __init__(self, name: str, folder: Path = FIXTURE_DIR):
        raw = (folder / name).read_bytes().decode("utf-8")
        self.name = name
        self.bom = raw.startswith("\ufeff")
        self.rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"), newline="")))
        self.header = self.rows[0]

    def column(self, name: str) -> int:
        return self.header.index(name)

    def write(self, folder: Path) -> tuple[Path, list[int]]:
        """Write the rows and return the path and the line on which each row starts."""
        out, lines, line = io.StringIO(), [], 1
        writer = csv.writer(out, lineterminator="\n")
        for row in self.rows:
            lines.append(line)
            before = out.tell()
            writer.writerow(row)
            line += out.getvalue()[before:].count("\n")
        path = folder / self.name
        path.write_text(("\ufeff" if self.bom else "") + out.getvalue(), encoding="utf-8")
        return path, lines
