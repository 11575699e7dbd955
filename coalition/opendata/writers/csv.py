"""CSV: one table per file, UTF-8, a header row of column names, RFC 4180 quoting.

Text starting like a formula gets a leading apostrophe (`common.spreadsheet.SafeCsvWriter`),
so a title cannot become a live formula in a spreadsheet program. Values are written as the
data package's table schema reads them: ISO dates, UTC moments ending in Z, true/false."""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from coalition.common.spreadsheet import SafeCsvWriter
from coalition.opendata.tables.columns import Table, cell_text
from coalition.opendata.writers import CHUNK

TITLE = "CSV"
DESCRIPTION = _("One file per table, UTF-8, with a header row of column names: for scripts, databases and the "
                "data package.")
MEDIA_TYPE = "text/csv"
EXTENSION = "csv"


class _Utf8:
    """The text `csv.writer` writes, encoded onto a binary stream."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.encode("utf-8"))


def csv_write(*, table: Table, rows: Iterable[tuple], stream) -> Iterator[int]:
    writer = SafeCsvWriter(_Utf8(stream), lineterminator="\r\n")
    writer.writerow(table.column_names)
    count = 0
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
        count += 1
        if count % CHUNK == 0:
            yield count
    yield count
