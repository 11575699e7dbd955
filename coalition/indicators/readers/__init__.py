"""Indicator readers, one module per input format, registered by format name.

Add a format: write a `Reader` subclass in its own module (see base.py), list it in `READERS`,
and add a test file with a small real-shaped fixture.
"""

from pathlib import Path

from coalition.indicators.models import DataSource, Indicator
from coalition.indicators.readers.base import Reader, Value
from coalition.indicators.readers.itu_datahub import ItuDataHubReader
from coalition.indicators.readers.sdmx import SdmxReader
from coalition.indicators.readers.tidy import TidyReader
from coalition.indicators.readers.world_bank import WorldBankReader
from coalition.indicators.readers.xlsx import XlsxReader

READERS: dict[str, type[Reader]] = {
    reader.format: reader for reader in (WorldBankReader, ItuDataHubReader, TidyReader, SdmxReader, XlsxReader)
}


def reader_for(format: str, path: Path | str, *, source: DataSource, indicator: Indicator | None = None,
               name: str | None = None) -> Reader:
    """A reader of `path` in `format` (a key of READERS) for values published by `source`.

    `indicator` names the indicator of every row, for tidy and XLSX files without an indicator
    column; the other formats name their series themselves and raise TypeError when given one.
    `name` is what the import run records as the file (default: the path).
    """
    try:
        cls = READERS[format]
    except KeyError:
        raise ValueError(f"Unknown format {format!r}; one of {', '.join(READERS)}") from None
    return cls(path, source=source, indicator=indicator, name=name)


__all__ = ["READERS", "Reader", "Value", "reader_for"]
