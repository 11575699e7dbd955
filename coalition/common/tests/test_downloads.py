"""One GET with retries and timeouts, and the manifest that keeps an unchanged edition from being written again."""

import io
import json
import os
import urllib.error

import pytest

from coalition.common.downloads import (
    MANIFEST,
    DownloadError,
    Fetched,
    FormatChanged,
    Manifest,
    http_get,
    reporting,
    sha256_hex,
    store,
)

URL = "https://api.example.org/v2/data?format=json&page=1"


class Opener:
    """A fake urlopen: gives out `answers` in turn (bytes, or an exception to raise) and notes each call."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, request, timeout):
        self.calls.append((request.full_url, timeout, request.get_header("User-agent")))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return io.BytesIO(answer)


def http_error(code, reason):
    return urllib.error.HTTPError(URL, code, reason, hdrs=None, fp=None)


def get(opener, **options):
    waits, messages = [], []
    body = http_get(URL, opener=opener, sleep=waits.append, progress=messages.append, **options)
    return body, waits, messages


def test_a_good_answer_is_returned_at_once_with_a_timeout_and_a_user_agent():
    opener = Opener(b"[]")

    assert get(opener) == (b"[]", [], [f"GET {URL}"])
    [(url, timeout, agent)] = opener.calls
    assert (url, timeout) == (URL, 60) and agent.startswith("Coalition/")


def test_503s_and_timeouts_are_retried_after_growing_waits():
    opener = Opener(http_error(503, "Service Unavailable"), TimeoutError("timed out"), b"[1]")

    body, waits, messages = get(opener)

    assert body == b"[1]" and len(opener.calls) == 3
    assert waits == [2.0, 4.0]
    assert messages == [f"GET {URL}", f"GET {URL} (attempt 2 of 3)", f"GET {URL} (attempt 3 of 3)"]


def test_too_many_requests_is_retried():
    assert get(Opener(http_error(429, "Too Many Requests"), b"ok"))[:2] == (b"ok", [2.0])


def test_it_gives_up_after_the_last_attempt_saying_why_and_without_a_last_wait():
    opener = Opener(*[urllib.error.URLError("Name or service not known")] * 3)
    waits = []

    with pytest.raises(DownloadError) as failed:
        http_get(URL, opener=opener, sleep=waits.append, backoff=0.5)

    assert str(failed.value) == (f"could not download {URL} after 3 attempts (Name or service not known); "
                                 "are you offline?")
    assert len(opener.calls) == 3 and waits == [0.5, 1.0]


def test_a_404_fails_at_once_without_retrying():
    opener = Opener(http_error(404, "Not Found"), b"never asked")
    waits = []

    with pytest.raises(DownloadError, match=r"answered HTTP 404 Not Found$"):
        http_get(URL, opener=opener, sleep=waits.append)

    assert len(opener.calls) == 1 and waits == []


def test_a_format_change_names_the_publisher_the_url_and_what_changed():
    message = str(FormatChanged("World Bank", URL, "a JSON array [header, records]", "an object"))

    assert message.startswith(f"World Bank changed its format at {URL}: expected a JSON array [header, records], "
                              "found an object. Nothing was written")


# --- Manifest and store --------------------------------------------------------------------------

CONTENT = b"country,indicator,year,value\nKEN,SP.POP.TOTL,2024,56432944\n"


def fetched(content=CONTENT, edition="2025-12-16", name="world-bank/SP.POP.TOTL.csv", kind="indicator"):
    return Fetched(name=name, kind=kind, format="tidy", source="wb-wdi", edition=edition, sha256=sha256_hex(content),
                   url=URL)


def test_a_new_file_is_written_and_recorded_with_when_it_came(tmp_path):
    stored = store(tmp_path, Manifest(tmp_path), fetched(), CONTENT)

    assert (tmp_path / "world-bank" / "SP.POP.TOTL.csv").read_bytes() == CONTENT
    assert stored.changed is True and stored.retrieved
    assert json.loads((tmp_path / MANIFEST).read_text())["world-bank/SP.POP.TOTL.csv"]["edition"] == "2025-12-16"
    assert Manifest(tmp_path).of_kind("indicator") == [stored]
    assert sorted(path.name for path in (tmp_path / "world-bank").iterdir()) == ["SP.POP.TOTL.csv"]  # no temporary left


def test_the_same_edition_with_the_same_checksum_writes_nothing(tmp_path):
    first = store(tmp_path, Manifest(tmp_path), fetched(), CONTENT)
    path = tmp_path / first.name
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    manifest = (tmp_path / MANIFEST).read_bytes()

    again = store(tmp_path, Manifest(tmp_path), fetched(), CONTENT)

    assert again.changed is False and again.retrieved == first.retrieved
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert (tmp_path / MANIFEST).read_bytes() == manifest


@pytest.mark.parametrize("edition, content", [
    ("2026-03-02", CONTENT),  # a new edition
    ("2025-12-16", CONTENT + b"NPL,SP.POP.TOTL,2024,29651054\n"),  # the same edition, corrected
])
def test_a_new_edition_or_other_content_is_written(tmp_path, edition, content):
    store(tmp_path, Manifest(tmp_path), fetched(), CONTENT)

    stored = store(tmp_path, Manifest(tmp_path), fetched(content, edition), content)

    assert stored.changed is True and (tmp_path / stored.name).read_bytes() == content
    assert Manifest(tmp_path).entries[stored.name]["edition"] == edition


def test_a_file_deleted_since_is_written_again(tmp_path):
    store(tmp_path, Manifest(tmp_path), fetched(), CONTENT)
    (tmp_path / "world-bank" / "SP.POP.TOTL.csv").unlink()

    stored = store(tmp_path, Manifest(tmp_path), fetched(), CONTENT)

    assert stored.changed is True and (tmp_path / stored.name).read_bytes() == CONTENT


def test_the_manifest_lists_the_files_of_one_kind_by_name(tmp_path):
    manifest = Manifest(tmp_path)
    store(tmp_path, manifest, fetched(name="world-bank/SP.POP.TOTL.csv"), CONTENT)
    store(tmp_path, manifest, fetched(b"Country Code\n", "FY2027", "world-bank/income-groups.csv", "reference"), b"Country Code\n")
    store(tmp_path, manifest, fetched(name="world-bank/IT.NET.USER.ZS.csv"), CONTENT)

    assert [entry.name for entry in Manifest(tmp_path).of_kind("indicator")] == [
        "world-bank/IT.NET.USER.ZS.csv", "world-bank/SP.POP.TOTL.csv"]
    assert [entry.edition for entry in Manifest(tmp_path).of_kind("reference")] == ["FY2027"]


def test_reporting_says_each_address_a_recorded_get_is_asked_for():
    said = []
    get = reporting(lambda url: b"answer", said.append)

    assert get("https://example.org/a") == b"answer"
    assert said == ["GET https://example.org/a"]
    quiet = lambda url: b"quiet"  # noqa: E731
    assert reporting(quiet, None) is quiet
