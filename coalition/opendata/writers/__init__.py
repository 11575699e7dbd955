"""Writers of the open-data files, one module per format. Each takes rows (tuples in the column
order of a `tables.Table`) and a binary stream, writes, and yields the number of rows written so
far every `CHUNK` rows, so that a caller can pass the bytes on while the rest is written (a
streamed download) or simply run it to the end (`write_all`). None builds an HTTP response."""

from collections.abc import Iterator

CHUNK = 1000


def write_all(steps: Iterator[int | None]) -> int | None:
    """Run a writer to the end; returns the rows it wrote (None from a writer that does not count)."""
    written = None
    for written in steps:
        pass
    return written
