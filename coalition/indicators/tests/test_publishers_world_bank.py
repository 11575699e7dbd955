"""WDI series from the World Bank API, written as tidy CSV, from recorded answers (no network)."""

import json
import os
from pathlib import Path

import pytest

from coalition.common.actors import SYSTEM
from coalition.common.downloads import DownloadError, FormatChanged, Manifest
from coalition.common.tests.recorded import Recorded
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import Observation
from coalition.indicators.publishers.world_bank import fetch_indicators
from coalition.indicators.readers import reader_for
from coalition.indicators.tests.import_fixtures import sources  # noqa: F401 (fixture)
from coalition.reference.models import ImportRun

RECORDED = Path(__file__).resolve().parent / "recorded" / "world_bank"
URL = "https://api.worldbank.org/v2/country/all/indicator/{}?format=json&per_page=4&page={}"
POPULATION, INTERNET = "SP.POP.TOTL", "IT.NET.USER.ZS"


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def edited(name: str, change) -> bytes:
    """A recorded answer changed in place by `change(answer)`: how the publisher might have changed it."""
    answer = json.loads(recorded(name))
    change(answer)
    return json.dumps(answer).encode()


def api(**replaced: bytes) -> Recorded:
    """The recorded answers by URL; `replaced` swaps one by its file name (dots as underscores)."""
    names = {URL.format(POPULATION, 1): "SP.POP.TOTL.page-1.json", URL.format(POPULATION, 2): "SP.POP.TOTL.page-2.json",
             URL.format(INTERNET, 1): "IT.NET.USER.ZS.json"}
    return Recorded({url: replaced.get(name.removesuffix(".json").replace(".", "_").replace("-", "_")) or recorded(name)
                     for url, name in names.items()})


def fetch(dest, get, series=(INTERNET, POPULATION)):
    return fetch_indicators(dest, list(series), get=get, per_page=4)


def test_each_series_is_one_tidy_csv_joined_from_all_its_pages(tmp_path):
    get = api()

    internet, population = fetch(tmp_path, get)

    assert get.asked == [URL.format(INTERNET, 1), URL.format(POPULATION, 1), URL.format(POPULATION, 2)]
    assert (tmp_path / "world-bank" / "SP.POP.TOTL.csv").read_text() == (
        "country,indicator,year,value\n"
        "BTN,SP.POP.TOTL,2023,786385\n"
        "BTN,SP.POP.TOTL,2024,791524\n"
        "KEN,SP.POP.TOTL,2023,55339003\n"
        "KEN,SP.POP.TOTL,2024,56432944\n"
        "VUT,SP.POP.TOTL,2023,327777\n"  # 2024 is null: left out
        "WLD,SP.POP.TOTL,2024,8142056446\n"  # aggregates are kept: the reader skips them
        "XKX,SP.POP.TOTL,2024,1527134\n"
    )
    assert (tmp_path / "world-bank" / "IT.NET.USER.ZS.csv").read_text() == (
        "country,indicator,year,value\n"
        "KEN,IT.NET.USER.ZS,2023,40.8\n"
        "LDC,IT.NET.USER.ZS,2023,36.5281034759\n"  # the API's digits, as written
        "NPL,IT.NET.USER.ZS,2023,55.8183730161\n"  # "Not classified", with no ISO3 code, is left out
    )
    assert [(f.name, f.kind, f.format, f.source, f.edition, f.url, f.changed) for f in (internet, population)] == [
        ("world-bank/IT.NET.USER.ZS.csv", "indicator", "tidy", "wb-wdi", "2025-12-16", URL.format(INTERNET, 1), True),
        ("world-bank/SP.POP.TOTL.csv", "indicator", "tidy", "wb-wdi", "2025-12-16", URL.format(POPULATION, 1), True),
    ]
    assert Manifest(tmp_path).of_kind("indicator") == [internet, population]


def test_the_written_files_import_through_the_tidy_reader(sources, countries, tmp_path):  # noqa: F811
    source = sources["wb-wdi"]
    runs = {}
    for fetched in fetch(tmp_path, api()):
        reader = reader_for(fetched.format, tmp_path / fetched.name, source=source)
        runs[fetched.name] = indicator_import(actor=SYSTEM, reader=reader, source=source, edition_label=fetched.edition)

    population, internet = runs["world-bank/SP.POP.TOTL.csv"], runs["world-bank/IT.NET.USER.ZS.csv"]
    assert population.status == internet.status == ImportRun.Status.SUCCEEDED, (population.errors, internet.errors)
    assert (population.created, internet.created) == (5, 2)
    kenya = Observation.objects.get(indicator__code="population", country=countries["KEN"], year=2024)
    assert (kenya.value, kenya.edition.label) == (56432944, "2025-12-16")
    nepal = Observation.objects.get(indicator__code="internet-use", country=countries["NPL"], year=2023)
    assert nepal.value == pytest.approx(55.8183730161)
    messages = " ".join(warning["message"] for warning in population.warnings + internet.warnings)
    assert "WLD (World) is a World Bank aggregate" in messages and "XKX" in messages and "LDC" in messages


def test_fetching_the_same_edition_again_writes_nothing(tmp_path):
    first = fetch(tmp_path, api())
    paths = [tmp_path / fetched.name for fetched in first]
    for path in paths:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    manifest = (tmp_path / "fetched.json").read_bytes()

    again = fetch(tmp_path, api())

    assert [fetched.changed for fetched in again] == [False, False]
    assert [(f.edition, f.sha256, f.retrieved) for f in again] == [(f.edition, f.sha256, f.retrieved) for f in first]
    assert [path.stat().st_mtime_ns for path in paths] == [1_000_000_000, 1_000_000_000]
    assert (tmp_path / "fetched.json").read_bytes() == manifest


def test_a_new_edition_rewrites_only_the_series_it_updates(tmp_path):
    fetch(tmp_path, api())
    internet_path = tmp_path / "world-bank" / "IT.NET.USER.ZS.csv"
    os.utime(internet_path, ns=(1_000_000_000, 1_000_000_000))

    def revised(answer):
        answer[0]["lastupdated"] = "2026-03-02"
        for record in answer[1]:
            if record["countryiso3code"] == "VUT" and record["date"] == "2024":
                record["value"] = 335169

    internet, population = fetch(tmp_path, api(SP_POP_TOTL_page_1=edited("SP.POP.TOTL.page-1.json", revised),
                                               SP_POP_TOTL_page_2=edited("SP.POP.TOTL.page-2.json", revised)))

    assert (population.changed, population.edition) == (True, "2026-03-02")
    assert "VUT,SP.POP.TOTL,2024,335169\n" in (tmp_path / population.name).read_text()
    assert internet.changed is False and internet_path.stat().st_mtime_ns == 1_000_000_000
    assert Manifest(tmp_path).entries["world-bank/SP.POP.TOTL.csv"]["edition"] == "2026-03-02"


def _rename(old, new):
    def change(answer):
        for record in answer[1]:
            record[new] = record.pop(old)
    return change


def _set(field, value):
    def change(answer):
        answer[1][0][field] = value
    return change


@pytest.mark.parametrize("change, found", [
    (_rename("countryiso3code", "countryIso3Code"), "found a record without countryiso3code"),
    (_set("value", "1527134"), "expected a number or null as the value, found str '1527134'"),
    (_set("date", "2024Q1"), "expected a year (four digits) as the date"),
    (_set("indicator", {"id": "SP.POP.TOTL.NEW", "value": "Population"}), "expected values of SP.POP.TOTL"),
    (lambda answer: answer[0].pop("lastupdated"), "expected a page header that, like page 1's, has lastupdated"),
])
def test_a_changed_format_is_refused_naming_the_publisher_and_the_url_and_nothing_is_written(tmp_path, change, found):
    get = api(SP_POP_TOTL_page_2=edited("SP.POP.TOTL.page-2.json", change))

    with pytest.raises(FormatChanged) as refused:
        fetch(tmp_path, get)

    message = str(refused.value)
    assert message.startswith("World Bank changed its format at https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL")
    assert found in message and "Nothing was written" in message
    assert list(tmp_path.iterdir()) == []  # IT.NET.USER.ZS, read first and fine, is not written either


def test_the_api_s_own_error_message_is_surfaced_and_nothing_is_written(tmp_path):
    get = Recorded({URL.format("XX.NOT.REAL", 1): recorded("unknown-indicator.json")})

    with pytest.raises(DownloadError) as refused:
        fetch(tmp_path, get, series=["XX.NOT.REAL"])

    assert str(refused.value) == (f"The World Bank refused {URL.format('XX.NOT.REAL', 1)}: Invalid format: "
                                  "The indicator was not found. It may have been deleted or archived. (error 175)")
    assert list(tmp_path.iterdir()) == []


def test_a_series_code_that_is_not_one_is_refused_before_any_request(tmp_path):
    get = Recorded({})

    with pytest.raises(ValueError, match="is not a World Bank series code"):
        fetch(tmp_path, get, series=[POPULATION, "../../etc/passwd"])

    assert get.asked == []
