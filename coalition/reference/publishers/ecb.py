"""ECB: the euro foreign exchange reference rates, every business day since 1999.

`GET https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip` answers a ZIP holding
`eurofxref-hist.csv`: a header `Date,USD,JPY,BGN,…,` (each line ends with a comma), then one
line per day, newest first, `2026-10-30,1.1172,175.68,N/A,…,` (units of each currency per
euro; N/A where a currency was not quoted). The CSV is extracted, unchanged, to
`ecb/eurofxref-hist.csv`, the file the ECB rate loader reads. Edition: the newest date in it.
"""

import csv
import datetime
import io
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

PUBLISHER = "European Central Bank"
URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
MEMBER = "eurofxref-hist.csv"
NAME = "ecb/eurofxref-hist.csv"
MAX_CSV_BYTES = 100 * 1024 * 1024  # unpacked; about 2 MB in 2026


def fetch_ecb_rates(dest: Path, *, get: Get = http_get, progress: Progress | None = None,
                    manifest: Manifest | None = None) -> list[Fetched]:
    """Download the rate history and extract it to dest/ecb/eurofxref-hist.csv.

    Raises FormatChanged (nothing written) for an archive without eurofxref-hist.csv or a CSV
    that is not a history of daily rates, and DownloadError when the download fails.
    """
    content = _member(reporting(get, progress)(URL))
    edition = _newest_day(content).isoformat()
    fetched = Fetched(name=NAME, kind="reference", format="ecb-rates", source=PUBLISHER, edition=edition,
                      sha256=sha256_hex(content), url=URL)
    return store_all(dest, manifest, [(fetched, content)], progress)


def _member(body: bytes) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        names = archive.namelist()
        if MEMBER not in names:
            raise FormatChanged(PUBLISHER, URL, f"a ZIP archive holding {MEMBER}",
                                f"the members {', '.join(names) or '(none)'}")
        if archive.getinfo(MEMBER).file_size > MAX_CSV_BYTES:
            raise FormatChanged(PUBLISHER, URL, f"{MEMBER} of at most {MAX_CSV_BYTES:,} bytes",
                                f"{archive.getinfo(MEMBER).file_size:,} bytes")
        return archive.read(MEMBER)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        found = f"{body[:40]!r}" if not body.startswith(b"PK") else f"a damaged archive ({exc})"
        raise FormatChanged(PUBLISHER, URL, "a ZIP archive", found) from None


def _newest_day(content: bytes) -> datetime.date:
    try:
        rows = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    except UnicodeDecodeError as exc:
        raise FormatChanged(PUBLISHER, URL, f"{MEMBER} in UTF-8", f"undecodable bytes ({exc.reason})") from None
    header = [name.strip() for name in next(rows, [])]
    if not header or header[0] != "Date" or "USD" not in header:
        raise FormatChanged(PUBLISHER, URL, "a header starting with Date and quoting USD",
                            f"{','.join(header[:6]) or 'an empty file'}")
    newest = None
    for line, cells in enumerate(rows, start=2):
        if not cells or not cells[0].strip():
            continue
        try:
            day = datetime.date.fromisoformat(cells[0].strip())
        except ValueError:
            raise FormatChanged(PUBLISHER, URL, "a date (YYYY-MM-DD) first on every line",
                                f"{cells[0][:20]!r} on line {line}") from None
        newest = max(newest or day, day)
    if newest is None:
        raise FormatChanged(PUBLISHER, URL, "at least one day of rates", "none")
    return newest
