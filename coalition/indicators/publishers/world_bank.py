"""World Development Indicators from the World Bank Indicators API (v2), as tidy CSV files.

Each series (SP.POP.TOTL, IT.NET.USER.ZS…) is read for every economy through all the pages of
`/v2/country/all/indicator/<code>?format=json` (see `reference.publishers.world_bank.pages`)
and written as world-bank/<code>.csv with the columns the tidy reader reads: country (the
record's countryiso3code), indicator (the series code, which the catalogue maps to an
indicator of source wb-wdi), year, value. Null values and records without an ISO3 code are
left out; the World Bank's aggregates (WLD, LDC…) are kept, and the reader skips them with a
warning. Values are written as the API wrote them (the JSON number's own digits). The edition
is the date the World Bank last updated the series (`lastupdated`); a series whose edition and
content are already in the download folder is not written again.
"""

import csv
import io
import re
from pathlib import Path

from coalition.common.downloads import Fetched, FormatChanged, Get, Manifest, Progress, http_get, sha256_hex, store_all
from coalition.reference.publishers.world_bank import (
    DATA_FIELDS,
    DATA_PER_PAGE,
    FOLDER,
    PUBLISHER,
    edition_of,
    observation,
    page_url,
    pages,
)

SOURCE = "wb-wdi"
COLUMNS = ["country", "indicator", "year", "value"]
SERIES_CODE = re.compile(r"[A-Za-z0-9]+(\.[A-Za-z0-9]+)*")


def _tidy_csv(code: str, rows: list[tuple[str, int, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([country, code, year, value] for country, year, value in sorted(rows))
    return out.getvalue().encode("utf-8")


def _series(code: str, *, get: Get, progress: Progress | None, per_page: int) -> tuple[Fetched, bytes]:
    """One series read from all its pages: its Fetched (not yet stored) and its tidy CSV."""
    path_and_query = f"/v2/country/all/indicator/{code}?format=json&per_page={per_page}"
    url = page_url(path_and_query, 1)
    rows = []

    def read(record, page):
        year, value = observation(record, page, series=code)
        country = record["countryiso3code"]
        if not isinstance(country, str):
            raise FormatChanged(PUBLISHER, page, "a text countryiso3code", repr(country)[:40])
        if value is not None and country.strip():
            # The JSON number's own digits (fractions are read as Decimal), never a float's rounding.
            rows.append((country.strip(), year, str(value) if isinstance(value, int) else format(value, "f")))

    header, _records = pages(path_and_query, get=get, progress=progress, fields=DATA_FIELDS, check=read)
    edition, _date = edition_of(header, url)
    content = _tidy_csv(code, rows)
    return Fetched(name=f"{FOLDER}/{code}.csv", kind="indicator", format="tidy", source=SOURCE, edition=edition,
                   sha256=sha256_hex(content), url=url), content


def fetch_indicators(dest: Path, series: list[str], *, get: Get = http_get, progress: Progress | None = None,
                     manifest: Manifest | None = None, per_page: int = DATA_PER_PAGE) -> list[Fetched]:
    """Download each WDI series in `series` as world-bank/<code>.csv; one Fetched per series.

    Every series is read and checked before any file is written, so a format change or an
    error in one of them leaves the download folder as it was.
    """
    for code in series:
        if not SERIES_CODE.fullmatch(code):
            raise ValueError(f"{code!r} is not a World Bank series code (such as SP.POP.TOTL)")
    downloads = [_series(code, get=get, progress=progress, per_page=per_page) for code in series]
    return store_all(Path(dest), manifest, downloads, progress)
