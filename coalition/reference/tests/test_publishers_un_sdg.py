"""UN SDG API goal and target texts (a recorded answer in recorded/un_sdg/, no network): written to
un-sdg/sdg-texts.csv as level,goal,code,title_en, goal then its targets in the API's order, with the
newest series release as edition; an answer in another shape is refused with nothing written."""

import copy
import csv
import io
import json
import os
from pathlib import Path

import pytest

from coalition.common.downloads import MANIFEST, FormatChanged, sha256_hex
from coalition.common.tests.recorded import Recorded
from coalition.reference.publishers.un_sdg import URL, fetch_sdg_texts

RECORDED = Path(__file__).resolve().parent / "recorded" / "un_sdg" / "goal-list-includechildren.json"


def goals() -> list[dict]:
    return json.loads(RECORDED.read_bytes())


def answering(body: bytes):
    """A `get` that answers the SDG API's URL from recorded bytes and fails the test on any other."""
    return Recorded({URL: body})


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_goals_and_their_targets_are_written_in_the_api_s_order(tmp_path):
    [fetched] = fetch_sdg_texts(tmp_path, get=answering(RECORDED.read_bytes()))

    written = rows(tmp_path / "un-sdg" / "sdg-texts.csv")
    assert written[0] == ["level", "goal", "code", "title_en"]
    assert written[1:3] == [
        ["goal", "1", "1", "End poverty in all its forms everywhere"],
        # the API's stray trailing space is dropped
        ["target", "1", "1.1", "By 2030, eradicate extreme poverty for all people everywhere, currently measured as "
                               "people living on less than $1.25 a day"],
    ]
    nine = [row[2] for row in written if row[1] == "9"]
    assert nine == ["9", "9.1", "9.c"]
    assert written[written.index(["goal", "9", "9", "Build resilient infrastructure, promote inclusive and sustainable "
                                  "industrialization and foster innovation"]) + 2] == [
        "target", "9", "9.c", "Significantly increase access to information and communications technology and strive "
                              "to provide universal and affordable access to the Internet in least developed countries by 2020"]
    assert [row[2] for row in written if row[0] == "goal"] == [str(n) for n in range(1, 18)]
    assert len(written) == 1 + 17 + 18
    assert written[-1][:3] == ["target", "17", "17.1"]
    assert (tmp_path / "un-sdg" / "sdg-texts.csv").read_bytes().endswith(b'tax and other revenue collection"\n')
    assert (fetched.name, fetched.kind, fetched.format, fetched.source, fetched.url) == (
        "un-sdg/sdg-texts.csv", "reference", "sdg-texts", "UN Statistics Division",
        "https://unstats.un.org/SDGAPI/v1/sdg/Goal/List?includechildren=true")
    assert fetched.sha256 == sha256_hex((tmp_path / fetched.name).read_bytes())


def test_the_edition_is_the_newest_release_of_the_sdg_database(tmp_path):
    [fetched] = fetch_sdg_texts(tmp_path, get=answering(RECORDED.read_bytes()))

    assert fetched.edition == "2025.Q2.G.01"  # 9.c.1's series; 1.1.1's is 2025.Q1.G.01


def test_an_answer_without_releases_is_edited_by_its_checksum(tmp_path):
    bare = goals()
    for goal in bare:
        for target in goal["targets"]:
            target["indicators"] = []

    [fetched] = fetch_sdg_texts(tmp_path, get=answering(json.dumps(bare).encode()))

    assert fetched.edition == f"sha256:{fetched.sha256[:8]}"


def without(key):
    def change(data):
        del data[8][key]
    return change


def replace_target_code(data):
    data[8]["targets"][1]["code"] = "10.c"


CHANGES = {
    "16 goals": (lambda data: data.pop(), "expected 17 goals, found 16"),
    "no targets": (without("targets"), "goal 9 without targets"),
    "no title": (without("title"), "goal 9 without title"),
    "a target of another goal": (replace_target_code, "found '10.c'"),
    "an object": (lambda data: data.append("x"), "a JSON list of goals"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_an_answer_in_another_shape_is_refused_naming_unsd_and_the_url_and_nothing_is_written(tmp_path, change):
    data, (mutate, found) = copy.deepcopy(goals()), CHANGES[change]
    mutate(data)

    with pytest.raises(FormatChanged) as refused:
        fetch_sdg_texts(tmp_path, get=answering(json.dumps(data).encode()))

    assert str(refused.value).startswith(f"UN Statistics Division (UN SDG API) changed its format at {URL}: ")
    assert found in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_an_answer_that_is_not_json_is_refused(tmp_path):
    with pytest.raises(FormatChanged, match="expected JSON, found b'<html>"):
        fetch_sdg_texts(tmp_path, get=answering(b"<html><body>Service Unavailable</body></html>"))

    assert list(tmp_path.iterdir()) == []


def test_fetching_the_same_edition_again_writes_nothing(tmp_path):
    [first] = fetch_sdg_texts(tmp_path, get=answering(RECORDED.read_bytes()))
    path = tmp_path / first.name
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before, manifest = os.stat(path), (tmp_path / MANIFEST).read_bytes()

    [again] = fetch_sdg_texts(tmp_path, get=answering(RECORDED.read_bytes()))

    assert not again.changed and (again.edition, again.retrieved) == (first.edition, first.retrieved)
    assert (os.stat(path).st_ino, os.stat(path).st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (tmp_path / MANIFEST).read_bytes() == manifest
