"""Downloads from publishers' APIs: one GET with timeouts and retries, and a record of what came.

Every publisher module (`coalition.*.publishers.*`) fetches through a `Get` — `http_get` in real
life, a function answering from recorded responses in tests — so no test touches the network.
A module writes what it fetched into the download folder, in a format the platform's loaders
and readers already read, and returns one `Fetched` per file. `Manifest` (fetched.json in that
folder) remembers each file's edition and checksum, so fetching an unchanged edition again
writes nothing, and `coalition indicators load` / `reference load` know what each file is.
"""

import hashlib
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from django.utils import timezone

TIMEOUT_SECONDS = 60
RETRIES = 3
BACKOFF_SECONDS = 2.0
USER_AGENT = "Coalition/0.1 (open-source connectivity-coalition platform; data fetch)"
MANIFEST = "fetched.json"

Get = Callable[[str], bytes]
Progress = Callable[[str], None]


class DownloadError(Exception):
    """A download failed; the message names the URL and says what happened."""


class FormatChanged(DownloadError):
    """The publisher answered, but not in the shape its reader knows (it changed its format).

    The message names the publisher, the URL, what was expected and what was found, so an
    operator can report it; nothing is written when this is raised.
    """

    def __init__(self, publisher: str, url: str, expected: str, found: str):
        super().__init__(
            f"{publisher} changed its format at {url}: expected {expected}, found {found}. "
            "Nothing was written; the files already downloaded are unchanged. "
            "Please report this so the reader can be updated."
        )


def http_get(url: str, *, timeout: float = TIMEOUT_SECONDS, retries: int = RETRIES,
             backoff: float = BACKOFF_SECONDS, progress: Progress | None = None,
             opener: Callable = urllib.request.urlopen, sleep: Callable[[float], None] = time.sleep) -> bytes:
    """The body of a GET, retried on timeouts, lost connections, HTTP 429 and 5xx.

    Waits `backoff`, then twice as long, and so on between attempts. Any other HTTP error
    (404, 400…) fails at once: asking again would get the same answer.
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    problem = ""
    for attempt in range(1, retries + 1):
        if progress:
            progress(f"GET {url}" + (f" (attempt {attempt} of {retries})" if attempt > 1 else ""))
        try:
            with opener(request, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code != 429 and exc.code < 500:
                raise DownloadError(f"{url} answered HTTP {exc.code} {exc.reason}") from None
            problem = f"HTTP {exc.code} {exc.reason}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            problem = str(getattr(exc, "reason", exc)) or type(exc).__name__
        if attempt < retries:
            sleep(backoff * 2 ** (attempt - 1))
    raise DownloadError(f"could not download {url} after {retries} attempts ({problem}); are you offline?")


def reporting(get: Get, progress: Progress | None) -> Get:
    """`get`, saying through `progress` each address it asks for (`http_get` also says its retries)."""
    if get is http_get:
        return partial(http_get, progress=progress)
    if progress is None:
        return get

    def asking(url: str) -> bytes:
        progress(f"GET {url}")
        return get(url)

    return asking


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def write_atomic(path: Path, content: bytes) -> None:
    """Write through a temporary file renamed into place: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


@dataclass(frozen=True)
class Fetched:
    """One file a publisher module wrote (or found unchanged) in the download folder."""

    name: str  # path under the download folder, e.g. "world-bank/SP.POP.TOTL.csv"
    kind: str  # "indicator" (values for `indicators load`) or "reference" (for `reference load`)
    format: str  # indicator reader format ("tidy", "itu-datahub") or reference source key ("income-groups")
    source: str  # DataSource code for indicator files ("wb-wdi"); the publisher's name otherwise
    edition: str  # the publisher's own edition/vintage, e.g. the World Bank's "lastupdated" date
    sha256: str
    url: str  # where it came from (the first page's URL when paged)
    retrieved: str = ""  # ISO 8601 timestamp; set by Manifest.record
    changed: bool = True  # False when the same edition with the same checksum was already there
    options: dict = field(default_factory=dict)  # loader options, e.g. {"valid_from": "2025-07-01"}


class Manifest:
    """What the download folder holds, by file name (dest/fetched.json)."""

    def __init__(self, dest: Path):
        self.path = Path(dest) / MANIFEST
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text())
        except FileNotFoundError:
            self.entries = {}

    def unchanged(self, name: str, edition: str, sha256: str) -> bool:
        entry = self.entries.get(name)
        return bool(entry) and entry["edition"] == edition and entry["sha256"] == sha256 and (self.path.parent / name).exists()

    def record(self, fetched: Fetched) -> Fetched:
        if not fetched.changed and fetched.name in self.entries:
            return Fetched(**{**self.entries[fetched.name], "changed": False})
        stamped = Fetched(**{**asdict(fetched), "retrieved": timezone.now().isoformat(timespec="seconds")})
        self.entries[fetched.name] = asdict(stamped)
        write_atomic(self.path, json.dumps(self.entries, indent=2, sort_keys=True).encode())
        return stamped

    def of_kind(self, kind: str) -> list[Fetched]:
        return [Fetched(**entry) for _name, entry in sorted(self.entries.items()) if entry["kind"] == kind]


def store(dest: Path, manifest: Manifest, fetched: Fetched, content: bytes) -> Fetched:
    """Write `content` as `fetched.name` unless the same edition is already there; record it."""
    if manifest.unchanged(fetched.name, fetched.edition, fetched.sha256):
        return manifest.record(Fetched(**{**asdict(fetched), "changed": False}))
    write_atomic(Path(dest) / fetched.name, content)
    return manifest.record(fetched)



def store_all(dest: Path, manifest: Manifest | None, checked: list[tuple[Fetched, bytes]],
              progress: Progress | None = None) -> list[Fetched]:
    """Store files that were all downloaded and checked first, so a publisher's format change
    found in any of them leaves the folder as it was; say for each whether it was written."""
    manifest = manifest or Manifest(dest)
    stored = []
    for fetched, content in checked:
        stored.append(store(Path(dest), manifest, fetched, content))
        if progress:
            progress(f"{fetched.name}: {'written' if stored[-1].changed else 'unchanged'} (edition {fetched.edition})")
    return stored
