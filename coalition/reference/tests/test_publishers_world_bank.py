"""The World Bank API reader: income groups and exchange rates from recorded answers, no network."""

import datetime
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from coalition.common.downloads import DownloadError, FormatChanged, Manifest
from coalition.common.tests.recorded import Recorded
from coalition.reference.importing import run_import
from coalition.reference.loaders.income_groups import IncomeGroupLoader
from coalition.reference.loaders.rates_csv import RateCsvLoader
from coalition.reference.models import ExchangeRate, ImportRun
from coalition.reference.publishers import world_bank
from coalition.reference.publishers.world_bank import (
    fetch_exchange_rates,
    fetch_income_groups,
    fiscal_year,
    national_currency,
    pages,
)
from coalition.reference.selectors import group_members_as_of

RECORDED = Path(__file__).resolve().parent / "recorded" / "world_bank"
COUNTRY_URL = "https://api.worldbank.org/v2/country?format=json&per_page=4&page={}"
RATES_URL = "https://api.worldbank.org/v2/country/all/indicator/PA.NUS.FCRF?format=json&per_page=6&page={}"
FETCHED_ON = datetime.date(2026, 12, 5)
WITHOUT_ECB = {"XOF", "KES", "BTN", "VES", "USD"}


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def edited(name: str, change) -> bytes:
    """A recorded answer changed in place by `change(answer)`: how the publisher might have changed it."""
    answer = json.loads(recorded(name))
    change(answer)
    return json.dumps(answer).encode()


def countries(page_2: bytes | None = None) -> Recorded:
    return Recorded({COUNTRY_URL.format(1): recorded("country.page-1.json"),
                     COUNTRY_URL.format(2): page_2 or recorded("country.page-2.json")})


def rates(page_1: bytes | None = None, page_2: bytes | None = None) -> Recorded:
    return Recorded({RATES_URL.format(1): page_1 or recorded("exchange-rates.page-1.json"),
                     RATES_URL.format(2): page_2 or recorded("exchange-rates.page-2.json")})


def income_groups(dest, get, today=FETCHED_ON):
    return fetch_income_groups(dest, get=get, today=today, per_page=4)


def exchange_rates(dest, get):
    return fetch_exchange_rates(dest, currencies_without_ecb=WITHOUT_ECB, get=get, per_page=6)


def members(code, date):
    return set(group_members_as_of(group_code=code, date=date).values_list("iso3", flat=True))


# --- Reading the API ------------------------------------------------------------------------------


def test_pages_reads_every_page_the_header_announces_and_joins_their_records():
    get = countries()
    messages = []

    header, records = pages("/v2/country?format=json&per_page=4", get=get, progress=messages.append)

    assert get.asked == [COUNTRY_URL.format(1), COUNTRY_URL.format(2)]
    assert header["total"] == 7 and header["pages"] == 2
    assert [record["id"] for record in records] == ["BTN", "FRA", "KEN", "NAM", "VEN", "WLD", "XKX"]
    assert messages == [f"World Bank: {COUNTRY_URL.format(1)}", f"World Bank: page 2 of 2, {COUNTRY_URL.format(2)}"]


def test_pages_reads_an_answer_with_no_records_as_none():
    get = Recorded({"https://api.worldbank.org/v2/country/all/indicator/X.Y?format=json&page=1":
                    b'[{"page":0,"pages":0,"per_page":50,"total":0,"sourceid":null,"lastupdated":null},null]'})

    assert pages("/v2/country/all/indicator/X.Y?format=json", get=get)[1] == []


def test_pages_surfaces_the_api_s_own_error_message():
    get = Recorded({COUNTRY_URL.format(1): recorded("error.json")})

    with pytest.raises(DownloadError) as refused:
        pages("/v2/country?format=json&per_page=4", get=get)

    assert not isinstance(refused.value, FormatChanged)
    assert str(refused.value) == (f"The World Bank refused {COUNTRY_URL.format(1)}: "
                                  "Invalid value: The provided parameter value is not valid (error 120)")


def test_pages_refuses_pages_that_do_not_add_up():
    get = countries(page_2=edited("country.page-2.json", lambda answer: answer[1].pop()))

    with pytest.raises(DownloadError, match="announced 7 records and its 2 pages held 6"):
        pages("/v2/country?format=json&per_page=4", get=get)


def test_pages_refuses_pages_of_two_editions():
    def updated(answer):
        answer[0]["lastupdated"] = "2026-01-28"

    get = rates(page_2=edited("exchange-rates.page-2.json", updated))

    with pytest.raises(DownloadError, match="changed while .* was being read .* fetch again"):
        pages("/v2/country/all/indicator/PA.NUS.FCRF?format=json&per_page=6", get=get)


# --- Income groups --------------------------------------------------------------------------------


def test_income_groups_are_written_in_the_loader_s_format_from_every_page(tmp_path):
    get = countries()

    [fetched] = income_groups(tmp_path, get)

    assert (tmp_path / "world-bank" / "income-groups.csv").read_text() == (
        "Country Code,Region,IncomeGroup\n"
        "BTN,South Asia,Lower middle income\n"
        "FRA,Europe & Central Asia,High income\n"
        "KEN,Sub-Saharan Africa,Lower middle income\n"
        "NAM,Sub-Saharan Africa,Lower middle income\n"
        "VEN,Latin America & Caribbean,\n"  # "Not classified"
        "WLD,,\n"  # an aggregate
        "XKX,Europe & Central Asia,Upper middle income\n"
    )
    assert get.asked == [COUNTRY_URL.format(1), COUNTRY_URL.format(2)]
    assert (fetched.name, fetched.kind, fetched.format, fetched.source) == (
        "world-bank/income-groups.csv", "reference", "income-groups", "World Bank")
    assert (fetched.edition, fetched.options, fetched.url, fetched.changed) == (
        "FY2027", {"valid_from": "2026-07-01"}, COUNTRY_URL.format(1), True)
    assert Manifest(tmp_path).of_kind("reference") == [fetched]


@pytest.mark.parametrize("today, edition, valid_from", [
    (datetime.date(2026, 12, 5), "FY2027", datetime.date(2026, 7, 1)),
    (datetime.date(2026, 7, 1), "FY2027", datetime.date(2026, 7, 1)),
    (datetime.date(2026, 6, 30), "FY2026", datetime.date(2025, 7, 1)),
    (datetime.date(2027, 1, 1), "FY2027", datetime.date(2026, 7, 1)),
])
def test_the_edition_is_the_fiscal_year_in_force_on_the_fetch_date(today, edition, valid_from):
    assert fiscal_year(today) == (edition, valid_from)


def test_the_downloaded_income_groups_load_through_the_real_loader(reference, tmp_path):
    [fetched] = income_groups(tmp_path, countries())
    valid_from = datetime.date.fromisoformat(fetched.options["valid_from"])

    run = run_import(loader=IncomeGroupLoader(tmp_path / fetched.name, valid_from=valid_from))

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert "NAM" in members("WB-UMC", valid_from - datetime.timedelta(days=1))
    assert "NAM" in members("WB-LMC", valid_from) and "NAM" not in members("WB-UMC", valid_from)
    assert "FRA" in members("WB-HIC", valid_from) and "KEN" in members("WB-LMC", valid_from)
    messages = " ".join(warning["message"] for warning in run.warnings)
    assert "VEN is not classified" in messages and "XKX (Kosovo)" in messages and "WLD" not in messages


def test_fetching_the_same_edition_again_writes_nothing(tmp_path):
    [first] = income_groups(tmp_path, countries())
    path = tmp_path / first.name
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    manifest = (tmp_path / "fetched.json").read_bytes()

    [again] = income_groups(tmp_path, countries(), today=FETCHED_ON + datetime.timedelta(days=30))

    assert again.changed is False and (again.edition, again.sha256, again.retrieved) == (first.edition, first.sha256, first.retrieved)
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert (tmp_path / "fetched.json").read_bytes() == manifest


def test_a_new_fiscal_year_rewrites_the_file(tmp_path):
    income_groups(tmp_path, countries())
    path = tmp_path / "world-bank" / "income-groups.csv"
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))

    [fetched] = income_groups(tmp_path, countries(), today=datetime.date(2027, 7, 2))

    assert fetched.changed is True and (fetched.edition, fetched.options) == ("FY2028", {"valid_from": "2027-07-01"})
    assert path.stat().st_mtime_ns != 1_000_000_000
    assert Manifest(tmp_path).entries["world-bank/income-groups.csv"]["edition"] == "FY2028"


def _rename_income_level(answer):
    for record in answer[1]:
        record["incomeGroup"] = record.pop("incomeLevel")


def _unknown_income_level(answer):
    answer[1][0]["incomeLevel"]["value"] = "Lower-middle income"


@pytest.mark.parametrize("page_2, found", [
    (json.dumps({"page": 2, "countries": []}).encode(), "found an object with keys page, countries"),
    (edited("country.page-2.json", _rename_income_level), "found a record without incomeLevel"),
    (edited("country.page-2.json", _unknown_income_level), "found 'Lower-middle income'"),
    (edited("country.page-2.json", lambda answer: answer[0].pop("pages")), "expected a page header with a whole number 'pages'"),
    (b"<!DOCTYPE html><html><body>Service maintenance</body></html>", "found text that is not JSON ('<!DOCTYPE html>"),
])
def test_a_changed_format_is_refused_naming_the_publisher_and_the_url_and_nothing_is_written(tmp_path, page_2, found):
    with pytest.raises(FormatChanged) as refused:
        income_groups(tmp_path, countries(page_2=page_2))

    message = str(refused.value)
    assert message.startswith(f"World Bank changed its format at {COUNTRY_URL.format(2)}: expected ")
    assert found in message and "Nothing was written" in message
    assert list(tmp_path.iterdir()) == []


def test_an_api_error_writes_nothing(tmp_path):
    with pytest.raises(DownloadError, match="refused .*Invalid value"):
        income_groups(tmp_path, Recorded({COUNTRY_URL.format(1): recorded("error.json")}))

    assert list(tmp_path.iterdir()) == []


# --- Exchange rates -------------------------------------------------------------------------------


def test_exchange_rates_are_us_dollars_per_unit_one_row_per_currency_and_year(tmp_path):
    get = rates()

    [fetched] = exchange_rates(tmp_path, get)

    source = '"World Bank WDI PA.NUS.FCRF ({}), official rate, period average, updated 2025-12-16"'
    assert (tmp_path / "world-bank" / "exchange-rates.csv").read_text() == (
        "currency,year,usd_per_unit,source\n"
        f"BTN,2024,0.011950772378,{source.format('BTN')}\n"  # 1 / 83.6766, to 12 places
        f"KES,2023,0.00715071445,{source.format('KEN')}\n"  # 1 / 139.846166
        f"KES,2024,0.007417345882,{source.format('KEN')}\n"
        f"XOF,2024,0.001648613407,{source.format('BEN')}\n"  # 1 / 606.570343, as Benin and Senegal say
    )
    assert get.asked == [RATES_URL.format(1), RATES_URL.format(2)]
    assert (fetched.name, fetched.kind, fetched.format, fetched.source, fetched.edition, fetched.url) == (
        "world-bank/exchange-rates.csv", "reference", "rates-csv", "World Bank", "2025-12-16", RATES_URL.format(1))


def test_a_shared_currency_takes_the_value_most_of_its_countries_report(tmp_path):
    def senegal_agrees_with_ivory_coast(answer):
        # Côte d'Ivoire's figure becomes the one most countries give; Benin, first by code, is the odd one.
        for record in answer[1]:
            if record["countryiso3code"] == "SEN":
                record["value"] = 606.570344

    exchange_rates(tmp_path, rates(page_2=edited("exchange-rates.page-2.json", senegal_agrees_with_ivory_coast)))

    xof = [line for line in (tmp_path / "world-bank" / "exchange-rates.csv").read_text().splitlines() if line.startswith("XOF")]
    assert xof == ['XOF,2024,0.001648613405,"World Bank WDI PA.NUS.FCRF (CIV), official rate, period average, updated 2025-12-16"']


@pytest.mark.parametrize("territory, currency", [
    ("BT", "BTN"), ("LS", "LSL"), ("NA", "NAD"), ("PA", "PAB"), ("BJ", "XOF"), ("KE", "KES"), ("EC", "USD"), ("1W", None),
])
def test_a_country_s_currency_is_its_own_where_a_foreign_one_circulates_beside_it(territory, currency):
    assert national_currency(territory, datetime.date(2025, 12, 16)) == currency


def test_the_downloaded_rates_load_through_the_real_loader(reference, tmp_path):
    [fetched] = exchange_rates(tmp_path, rates())

    run = run_import(loader=RateCsvLoader(tmp_path / fetched.name))

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    kes = ExchangeRate.objects.get(currency__code="KES", year=2024)
    assert (kes.usd_per_unit, kes.provisional) == (Decimal("0.007417345882"), False)
    assert ExchangeRate.objects.get(currency__code="XOF", year=2024).usd_per_unit == Decimal("0.001648613407")


def test_fetching_the_same_rates_edition_again_writes_nothing_and_a_new_one_rewrites(tmp_path):
    exchange_rates(tmp_path, rates())
    path = tmp_path / "world-bank" / "exchange-rates.csv"
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))

    [again] = exchange_rates(tmp_path, rates())

    assert again.changed is False and path.stat().st_mtime_ns == 1_000_000_000

    def revised(answer):
        answer[0]["lastupdated"] = "2026-01-28"
        for record in answer[1]:
            if record["countryiso3code"] == "KEN" and record["date"] == "2024":
                record["value"] = 129.0

    [new] = exchange_rates(tmp_path, rates(page_1=edited("exchange-rates.page-1.json", revised),
                                           page_2=edited("exchange-rates.page-2.json", revised)))

    assert new.changed is True and new.edition == "2026-01-28"
    assert "KES,2024,0.007751937984," in path.read_text()


def test_a_rate_that_is_not_a_number_is_a_format_change(tmp_path):
    def text_value(answer):
        answer[1][0]["value"] = "606.57"

    with pytest.raises(FormatChanged, match=r"format at .*PA\.NUS\.FCRF.*page=1: expected a number or null"):
        exchange_rates(tmp_path, rates(page_1=edited("exchange-rates.page-1.json", text_value)))

    assert list(tmp_path.iterdir()) == []


def test_the_module_reads_the_real_api_host():
    assert world_bank.page_url("/v2/country?format=json&per_page=400", 3) == (
        "https://api.worldbank.org/v2/country?format=json&per_page=400&page=3")
