import hashlib
import io
import urllib.error
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.reference import fetching
from coalition.reference.fetching import FetchError, PublicFile, fetch_file

CONTENT = b"iso3,name\nKEN,Kenya\n"
GOOD = PublicFile("tiny.csv", "owner/repo", "0" * 40, "data/tiny.csv", hashlib.sha256(CONTENT).hexdigest())


@pytest.fixture
def origin(monkeypatch):
    """A fake raw.githubusercontent.com: maps URL to bytes, or to an exception to raise."""
    answers = {}

    def urlopen(url, timeout):
        answer = answers.get(url, urllib.error.URLError("Name or service not known"))
        if isinstance(answer, Exception):
            raise answer
        return io.BytesIO(answer)

    monkeypatch.setattr(fetching.urllib.request, "urlopen", urlopen)
    return answers


def test_a_file_is_downloaded_checked_and_written(origin, tmp_path):
    origin[GOOD.url] = CONTENT

    outcome = fetch_file(GOOD, tmp_path)

    assert (tmp_path / "tiny.csv").read_bytes() == CONTENT
    assert "checksum verified" in outcome
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.csv"]


def test_a_file_with_the_wrong_checksum_is_not_written(origin, tmp_path):
    origin[GOOD.url] = b"tampered"

    with pytest.raises(FetchError, match="checksum mismatch"):
        fetch_file(GOOD, tmp_path)

    assert list(tmp_path.iterdir()) == []


def test_a_good_existing_file_is_kept_without_downloading(origin, tmp_path):
    (tmp_path / "tiny.csv").write_bytes(CONTENT)

    assert fetch_file(GOOD, tmp_path).startswith("up to date")


def test_offline_every_file_fails_with_a_clear_message_and_the_command_exits_non_zero(origin, tmp_path, monkeypatch):
    monkeypatch.setattr(fetching, "PUBLIC_FILES", [GOOD, PublicFile("built.csv", note="assembled here")])
    out = StringIO()

    with pytest.raises(CommandError, match="1 of 1 downloads failed"):
        call_command("data", "fetch", "--dest", str(tmp_path), stdout=out)

    assert "tiny.csv: failed: could not reach https://raw.githubusercontent.com/owner/repo/" in out.getvalue()
    assert "are you offline?" in out.getvalue()
    assert "built.csv: not downloadable: assembled here" in out.getvalue()


def test_every_pinned_url_names_a_commit():
    assert fetching.PUBLIC_FILES
    for public in fetching.PUBLIC_FILES:
        assert public.note or (len(public.commit) == 40 and public.url.startswith("https://raw.githubusercontent.com/"))
