"""UN SDG API: the official English texts of the 17 goals and their 169 targets.

`GET https://unstats.un.org/SDGAPI/v1/sdg/Goal/List?includechildren=true` answers a JSON list
of goals, `{"code": "9", "title": …, "description": …, "uri": …, "targets": [...]}`, each
target `{"goal": "9", "code": "9.c", "title": …, "description": …, "uri": …, "indicators":
[...]}`, each indicator's `series` carrying the SDG database `release` it belongs to
("2025.Q2.G.01"). The texts are written, goal then its targets in the API's order, to
`un-sdg/sdg-texts.csv` with the columns `level, goal, code, title_en` (runs of whitespace made
one space), the file the SDG text loader reads.

Edition: the newest `release` in the answer, the UN Statistics Division's own name for the
state of its database; an answer without one gets the first 8 hex digits of the file's SHA-256.
"""

import csv
import io
import json
import re
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

PUBLISHER = "UN Statistics Division (UN SDG API)"
SOURCE = "UN Statistics Division"
URL = "https://unstats.un.org/SDGAPI/v1/sdg/Goal/List?includechildren=true"
NAME = "un-sdg/sdg-texts.csv"
COLUMNS = ["level", "goal", "code", "title_en"]
GOALS = 17
_RELEASE = re.compile(r"\d{4}\.Q\d\.G\.\d{2}")


def fetch_sdg_texts(dest: Path, *, get: Get = http_get, progress: Progress | None = None,
                    manifest: Manifest | None = None) -> list[Fetched]:
    """Download the goal and target texts into dest/un-sdg/sdg-texts.csv.

    Raises FormatChanged (nothing written) when the answer is not a list of 17 goals, each with
    its code, title and targets, and DownloadError when the download fails.
    """
    goals = _goals(reporting(get, progress)(URL))
    content = _csv(goals)
    digest = sha256_hex(content)
    releases = sorted(release for release in _releases(goals) if _RELEASE.fullmatch(release))
    edition = releases[-1] if releases else f"sha256:{digest[:8]}"
    fetched = Fetched(name=NAME, kind="reference", format="sdg-texts", source=SOURCE, edition=edition, sha256=digest,
                      url=URL)
    return store_all(dest, manifest, [(fetched, content)], progress)


def _goals(body: bytes) -> list[dict]:
    try:
        goals = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FormatChanged(PUBLISHER, URL, "JSON", f"{body[:40]!r}") from None
    if not isinstance(goals, list) or not all(isinstance(goal, dict) for goal in goals):
        raise FormatChanged(PUBLISHER, URL, "a JSON list of goals", f"a JSON {type(goals).__name__}")
    if len(goals) != GOALS:
        raise FormatChanged(PUBLISHER, URL, f"{GOALS} goals", f"{len(goals)}")
    for number, goal in enumerate(goals, start=1):
        if missing := [key for key in ("code", "title", "targets") if key not in goal]:
            raise FormatChanged(PUBLISHER, URL, "goals with code, title and targets",
                                f"goal {number} without {', '.join(missing)} (keys: {', '.join(goal) or 'none'})")
        code = goal["code"]
        if not (isinstance(code, str) and re.fullmatch(r"[1-9]\d?", code)) or not _text(goal["title"]):
            raise FormatChanged(PUBLISHER, URL, "a goal code 1–17 and a title", f"goal {number}: {code!r}")
        if not isinstance(goal["targets"], list) or not goal["targets"]:
            raise FormatChanged(PUBLISHER, URL, "a list of targets for each goal", f"goal {code}: {goal['targets']!r:.40}")
        for target in goal["targets"]:
            if not isinstance(target, dict) or "code" not in target or "title" not in target:
                raise FormatChanged(PUBLISHER, URL, "targets with code and title", f"goal {code}: {target!r:.60}")
            if not re.fullmatch(rf"{code}\.[0-9a-z]{{1,2}}", str(target["code"])) or not _text(target["title"]):
                raise FormatChanged(PUBLISHER, URL, f"target codes {code}.1, {code}.a… with a title",
                                    f"{target['code']!r}")
    return goals


def _csv(goals: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for goal in goals:
        writer.writerow(["goal", goal["code"], goal["code"], _text(goal["title"])])
        for target in goal["targets"]:
            writer.writerow(["target", goal["code"], target["code"], _text(target["title"])])
    return out.getvalue().encode("utf-8")


def _releases(goals: list[dict]) -> set[str]:
    found = set()
    for goal in goals:
        for target in goal["targets"]:
            for indicator in target.get("indicators") or []:
                for series in (indicator.get("series") or []) if isinstance(indicator, dict) else []:
                    if isinstance(series, dict) and isinstance(series.get("release"), str):
                        found.add(series["release"])
    return found


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""
