"""ITU DataHub: one indicator's download, the CSV layout the `itu-datahub` reader imports.

The DataHub site (https://datahub.itu.int/) is a front end to a JSON/CSV API at
api.datahub.itu.int. `GET /v2/data/download/byid/<id>/iscollection/false` answers a ZIP
holding one CSV — one row per observation, columns `seriesID, seriesCode, seriesName,
seriesParent, seriesUnits, entityID, entityIso, entityName, dataValue, dataYear, dataNote,
dataSource, seriesDescription` — that often bundles sibling series (the per-100 rate with the
count, a price in USD, % of GNI and PPP$); the reader skips the series the catalogue does not
list. A plain CSV body is accepted as well. The file is kept byte for byte, after checking its
header and years, as `itu-datahub/<seriesCode>.csv`, named after the series asked for.

Edition: the download says nothing about when ITU last changed the data (no date column, no
release header), so the edition is the newest `dataYear` (what a reader wants to know first)
followed by the first 8 hex digits of the file's SHA-256: ITU revises past years without adding
a new one, and a revision must be a new edition; the same bytes are the same edition, so
fetching again writes nothing.
"""

import csv
import io
import re
import zipfile
from pathlib import Path

from coalition.common.downloads import (
    Fetched,
    FormatChanged,
    Get,
    Manifest,
    Progress,
    http_get,
    reporting,
    sha256_hex,
    store_all,
)

PUBLISHER = "ITU DataHub"
SOURCE = "itu-datahub"  # the DataSource code of indicators/data/sources.csv
FORMAT = "itu-datahub"  # the reader that imports the file
API = "https://api.datahub.itu.int/v2"
COLUMNS = [
    "seriesID", "seriesCode", "seriesName", "seriesParent", "seriesUnits", "entityID", "entityIso",
    "entityName", "dataValue", "dataYear", "dataNote", "dataSource", "seriesDescription",
]
# DataHub ids of the series in the catalogue (indicators/data/series.csv), read from the
# `seriesID` column of DataHub exports of those series; `fetch_series` takes a code or an id.
SERIES_IDS = {
    "i99H": "11624",
    "xHH6_IDI": "12047",
    "xHH18_IDI": "28027",
    "i271G": "430",
    "i271GA": "19306",
    "i271G5_pop": "34236",
    "i992b": "19303",
    "i911mw": "12066",
    "i271mb_5GB_GNI": "36056",
    "i154_FBB5_GNI": "33331",
}
MAX_CSV_BYTES = 200 * 1024 * 1024  # unpacked; the largest DataHub series is a few MB
_SAFE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_$.-]{0,63}")
_YEAR = re.compile(r"\d{4}")


def download_url(series_id: str) -> str:
    return f"{API}/data/download/byid/{series_id}/iscollection/false"


def fetch_series(dest: Path, series: list[str], *, get: Get = http_get, progress: Progress | None = None,
                 manifest: Manifest | None = None) -> list[Fetched]:
    """Download each series (a DataHub id such as "11624", or a code of SERIES_IDS) into dest.

    Everything is downloaded and checked before anything is written, so a series in an
    unknown shape raises FormatChanged and leaves the folder as it was. Raises DownloadError
    when a download fails, ValueError for a series that is neither an id nor a known code.
    """
    fetch = reporting(get, progress)
    checked = []
    for wanted in (item.strip() for item in series):
        series_id = _series_id(wanted)
        url = download_url(series_id)
        content = _csv_of(fetch(url), url)
        code, newest = _check(content, url, series_id)
        if wanted in SERIES_IDS and code != wanted:
            raise FormatChanged(PUBLISHER, url, f"series {series_id} coded {wanted}", f"it coded {code}")
        digest = sha256_hex(content)
        checked.append((Fetched(name=f"itu-datahub/{code}.csv", kind="indicator", format=FORMAT, source=SOURCE,
                                edition=f"{newest}-{digest[:8]}", sha256=digest, url=url), content))
    return store_all(dest, manifest, checked, progress)


def _series_id(wanted: str) -> str:
    if wanted.isascii() and wanted.isdigit():
        return wanted
    if wanted in SERIES_IDS:
        return SERIES_IDS[wanted]
    raise ValueError(f"{wanted!r} is neither an ITU DataHub series id (digits) nor one of the known series codes "
                     f"({', '.join(SERIES_IDS)}); find the id on https://datahub.itu.int/ (the ?i= of its page)")


def _csv_of(body: bytes, url: str) -> bytes:
    """The CSV of a download: the one .csv in the ZIP DataHub sends, or the body itself."""
    if not body.startswith(b"PK"):
        if body.lstrip()[:1] in (b"{", b"[", b"<"):
            raise FormatChanged(PUBLISHER, url, "a ZIP archive holding a CSV file", f"{_start(body)} (not a ZIP or CSV)")
        return body
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        members = [info for info in archive.infolist() if info.filename.lower().endswith(".csv")]
        if len(members) != 1:
            raise FormatChanged(PUBLISHER, url, "a ZIP archive holding one CSV file",
                                f"the members {', '.join(archive.namelist()) or '(none)'}")
        if members[0].file_size > MAX_CSV_BYTES:
            raise FormatChanged(PUBLISHER, url, f"a CSV of at most {MAX_CSV_BYTES:,} bytes",
                                f"{members[0].file_size:,} bytes")
        return archive.read(members[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise FormatChanged(PUBLISHER, url, "a readable ZIP archive", f"a damaged one ({exc})") from None


def _check(content: bytes, url: str, series_id: str) -> tuple[str, int]:
    """(the series code of `series_id`, the newest year) of a DataHub CSV, or FormatChanged."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatChanged(PUBLISHER, url, "UTF-8 text", f"undecodable bytes ({exc.reason} at byte {exc.start})") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(rows, [])]
    if missing := [name for name in COLUMNS if name not in header]:
        raise FormatChanged(PUBLISHER, url, f"the columns {', '.join(COLUMNS)}",
                            f"a header without {', '.join(missing)} ({', '.join(header[:8]) or 'empty'})")
    at = {name: header.index(name) for name in ("seriesID", "seriesCode", "dataYear")}
    codes, years, found_ids = set(), [], set()
    for line, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise FormatChanged(PUBLISHER, url, f"{len(header)} cells a row", f"{len(cells)} on line {line}")
        year = cells[at["dataYear"]].strip()
        if not _YEAR.fullmatch(year):
            raise FormatChanged(PUBLISHER, url, "a four-digit dataYear", f"{year!r} on line {line}")
        years.append(int(year))
        found_ids.add(cells[at["seriesID"]].strip())
        if cells[at["seriesID"]].strip() == series_id:
            codes.add(cells[at["seriesCode"]].strip())
    if not years:
        raise FormatChanged(PUBLISHER, url, "at least one observation", "none")
    if len(codes) != 1:
        found = f"the series codes {', '.join(sorted(codes))}" if codes else f"only the series ids {', '.join(sorted(found_ids))}"
        raise FormatChanged(PUBLISHER, url, f"rows of series {series_id} under one seriesCode", found)
    [code] = codes
    if not _SAFE_CODE.fullmatch(code):
        raise FormatChanged(PUBLISHER, url, "a seriesCode of letters, digits, _ $ . -", repr(code))
    return code, max(years)


def _start(body: bytes) -> str:
    return repr(body[:40]) if body else "an empty body"
