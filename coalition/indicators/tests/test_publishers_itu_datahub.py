"""ITU DataHub downloads (recorded answers in recorded/itu_datahub/, no network): a series' ZIP
becomes itu-datahub/<seriesCode>.csv, which the itu-datahub reader imports; an answer in another
shape is refused, naming ITU and the URL, with nothing written; the same edition again writes nothing."""

import io
import os
import zipfile
from pathlib import Path

import pytest

from coalition.common.actors import SYSTEM
from coalition.common.downloads import MANIFEST, FormatChanged, Manifest, sha256_hex
from coalition.common.tests.recorded import Recorded
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import Observation
from coalition.indicators.publishers.itu_datahub import download_url, fetch_series
from coalition.indicators.readers import reader_for
from coalition.indicators.tests.import_fixtures import sources  # noqa: F401 (fixture)

RECORDED = Path(__file__).resolve().parent / "recorded" / "itu_datahub"
INTERNET, BROADBAND = download_url("11624"), download_url("19303")


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def csv_in(name: str) -> bytes:
    with zipfile.ZipFile(RECORDED / name) as archive:
        return archive.read(archive.namelist()[0])


def test_a_series_is_written_as_its_code_with_the_newest_year_and_checksum_as_edition(tmp_path):
    get = Recorded({INTERNET: recorded("byid-11624.zip")})

    [fetched] = fetch_series(tmp_path, ["11624"], get=get)

    content = csv_in("byid-11624.zip")
    assert (tmp_path / "itu-datahub" / "i99H.csv").read_bytes() == content
    assert (fetched.name, fetched.kind, fetched.format, fetched.source) == (
        "itu-datahub/i99H.csv", "indicator", "itu-datahub", "itu-datahub")
    assert fetched.url == "https://api.datahub.itu.int/v2/data/download/byid/11624/iscollection/false"
    assert fetched.sha256 == sha256_hex(content)
    assert fetched.edition == f"2024-{sha256_hex(content)[:8]}"
    assert fetched.changed and fetched.retrieved
    assert Manifest(tmp_path).entries["itu-datahub/i99H.csv"]["edition"] == fetched.edition


def test_a_catalogue_code_is_asked_for_by_its_datahub_id(tmp_path):
    get = Recorded({INTERNET: recorded("byid-11624.zip"), BROADBAND: recorded("byid-19303.zip")})

    fetched = fetch_series(tmp_path, ["i99H", "i992b"], get=get)

    assert get.asked == [INTERNET, BROADBAND]
    # DataHub bundles the count (i4213tfbb) with the rate asked for; the file is named after the latter.
    assert [f.name for f in fetched] == ["itu-datahub/i99H.csv", "itu-datahub/i992b.csv"]


def test_the_written_files_import_through_the_itu_reader(sources, tmp_path):  # noqa: F811 (fixture)
    get = Recorded({INTERNET: recorded("byid-11624.zip"), BROADBAND: recorded("byid-19303.zip")})

    runs = []
    for fetched in fetch_series(tmp_path, ["11624", "19303"], get=get):
        source = sources[fetched.source]
        runs.append(indicator_import(actor=SYSTEM, reader=reader_for(fetched.format, tmp_path / fetched.name, source=source),
                                     source=source, edition_label=fetched.edition))

    assert [(run.status, run.created, run.skipped) for run in runs] == [("succeeded", 4, 0), ("succeeded", 2, 1)]
    assert "i4213tfbb" in runs[1].warnings[0]["message"]
    kenya = Observation.objects.filter(country__iso3="KEN", year=2023)
    assert {(o.indicator.code, float(o.value)) for o in kenya} == {("internet-use", 40.8), ("fixed-broadband-subscriptions", 2.4)}


def test_a_plain_csv_answer_is_kept_as_it_came(tmp_path):
    content = csv_in("byid-11624.zip")

    [fetched] = fetch_series(tmp_path, ["11624"], get=Recorded({INTERNET: content}))

    assert (tmp_path / fetched.name).read_bytes() == content


@pytest.mark.parametrize(("body", "found"), [
    (recorded("byid-11624-changed-layout.zip"), "a header without seriesID, seriesCode"),
    (b"<!DOCTYPE html><html><body>Access denied</body></html>", "not a ZIP or CSV"),
    (b'{"message":"Missing Authentication Token"}', "not a ZIP or CSV"),
    (recorded("byid-19303.zip"), "only the series ids 19257, 19303"),
    (b"PK\x03\x04 truncated", "a damaged one"),
])
def test_an_answer_in_another_shape_is_refused_naming_itu_and_the_url_and_nothing_is_written(tmp_path, body, found):
    with pytest.raises(FormatChanged) as refused:
        fetch_series(tmp_path, ["11624"], get=Recorded({INTERNET: body}))

    assert str(refused.value).startswith(f"ITU DataHub changed its format at {INTERNET}: expected ")
    assert found in str(refused.value)
    assert "Nothing was written" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_one_series_in_another_shape_stops_the_others_being_written(tmp_path):
    get = Recorded({INTERNET: recorded("byid-11624.zip"), BROADBAND: recorded("byid-11624-changed-layout.zip")})

    with pytest.raises(FormatChanged, match=BROADBAND):
        fetch_series(tmp_path, ["11624", "19303"], get=get)

    assert list(tmp_path.iterdir()) == []


def test_fetching_the_same_edition_again_writes_nothing(tmp_path):
    get = Recorded({INTERNET: recorded("byid-11624.zip")})
    [first] = fetch_series(tmp_path, ["11624"], get=get)
    path = tmp_path / first.name
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before, manifest = os.stat(path), (tmp_path / MANIFEST).read_bytes()
    messages = []

    [again] = fetch_series(tmp_path, ["11624"], get=get, progress=messages.append)

    assert not again.changed
    assert (again.edition, again.sha256, again.retrieved) == (first.edition, first.sha256, first.retrieved)
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (tmp_path / MANIFEST).read_bytes() == manifest
    assert messages == [f"GET {INTERNET}", f"itu-datahub/i99H.csv: unchanged (edition {first.edition})"]


def test_a_revised_value_is_a_new_edition_of_the_same_year(tmp_path):
    [first] = fetch_series(tmp_path, ["11624"], get=Recorded({INTERNET: recorded("byid-11624.zip")}))
    revised = csv_in("byid-11624.zip").replace(b'"40.8"', b'"41.2"')

    [again] = fetch_series(tmp_path, ["11624"], get=Recorded({INTERNET: revised}))

    assert again.changed and again.edition != first.edition and again.edition.startswith("2024-")
    assert (tmp_path / again.name).read_bytes() == revised


def test_a_series_that_is_neither_an_id_nor_a_known_code_is_refused_before_any_download(tmp_path):
    with pytest.raises(ValueError, match="'internet-use' is neither an ITU DataHub series id"):
        fetch_series(tmp_path, ["internet-use"], get=Recorded({}))


def test_a_recorded_zip_holds_one_csv_in_the_datahub_layout():
    with zipfile.ZipFile(io.BytesIO(recorded("byid-11624.zip"))) as archive:
        assert [name for name in archive.namelist() if name.endswith(".csv")] == ["11624.csv"]
    assert csv_in("byid-11624.zip").startswith(b'\xef\xbb\xbf"seriesID","seriesCode","seriesName",')
