"""Indicator writers, one module per output format, each describing itself for the downloads page.

A writer is a function that writes one file to a stream it is given (it never builds an HTTP
response) as of a moment, and a `Writer` says what the downloads page needs to offer it: title,
description, media type and file name. Add a format: one module with its function and its
`Writer`, listed in `WRITERS`, and one test file.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Writer:
    """An output format as the downloads page offers it.

    `write(stream=…, as_of=…, language=…)` writes the whole file; `binary` says whether the
    stream takes bytes (else text, opened with newline="" and UTF-8).
    """

    slug: str
    title: str | Promise
    description: str | Promise
    media_type: str
    file_name: str
    write: Callable[..., None]
    binary: bool = False


def _writers() -> dict[str, Writer]:
    from coalition.indicators.writers.sdmx_csv import SDMX_CSV
    from coalition.indicators.writers.sdmx_structure import SDMX_STRUCTURE

    return {writer.slug: writer for writer in (SDMX_CSV, SDMX_STRUCTURE)}


def writers() -> dict[str, Writer]:
    """Every indicator writer, by slug."""
    return _writers()


__all__ = ["Writer", "writers"]
