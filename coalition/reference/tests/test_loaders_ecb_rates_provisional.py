"""A year not over gets a provisional rate, the year-to-date average of the ECB daily rates, which
the first load after the year closes replaces with the final average (issue 15)."""

import datetime
from decimal import Decimal

import pytest

from coalition.reference.models import ExchangeRate, ImportRun
from coalition.reference.testing import ecb_history_load

YEAR = 2031  # past the fixture's rates, so nothing final is stored for it


def rate(code, year=YEAR):
    return ExchangeRate.objects.get(currency__code=code, year=year)


def cross(usd, gbp):
    return Decimal(str(usd)) / Decimal(str(gbp))


@pytest.fixture
def spring():
    """Three days of the running year: GBP every day, NOK on the first only (its series stopped)."""
    return [
        (datetime.date(YEAR, 1, 2), {"USD": 1.10, "GBP": 0.85, "NOK": 11.5}),
        (datetime.date(YEAR, 3, 3), {"USD": 1.20, "GBP": 0.80}),
        (datetime.date(YEAR, 5, 5), {"USD": 1.15, "GBP": 0.90}),
    ]


def test_the_running_year_gets_the_year_to_date_average_marked_provisional(reference, tmp_path, spring):
    run = ecb_history_load(tmp_path, spring, today=datetime.date(YEAR, 6, 1))

    assert run.status == ImportRun.Status.SUCCEEDED
    expected = ((cross(1.10, 0.85) + cross(1.20, 0.80) + cross(1.15, 0.90)) / 3).quantize(Decimal("1e-12"))
    assert rate("GBP").usd_per_unit == expected
    assert rate("GBP").provisional and rate("GBP").observations == 3
    assert f"year to {YEAR}-05-05" in rate("GBP").source
    assert rate("EUR").usd_per_unit == Decimal("1.15") and rate("EUR").provisional


def test_a_series_quoted_on_too_few_of_the_year_s_days_gets_no_provisional_rate(reference, tmp_path, spring):
    run = ecb_history_load(tmp_path, spring, today=datetime.date(YEAR, 6, 1))

    assert not ExchangeRate.objects.filter(currency__code="NOK", year=YEAR).exists()
    assert any("NOK" in w["message"] and "1 of the 3 days" in w["message"] for w in run.warnings)


def test_the_first_load_after_the_year_closes_writes_the_final_average_and_clears_provisional(
    reference, tmp_path, spring, monkeypatch,
):
    monkeypatch.setattr("coalition.reference.loaders.ecb_rates.MIN_OBSERVATIONS", 1)
    ecb_history_load(tmp_path, spring, today=datetime.date(YEAR, 6, 1))
    whole_year = [*spring, (datetime.date(YEAR, 12, 30), {"USD": 1.00, "GBP": 0.80}),
                  (datetime.date(YEAR + 1, 1, 2), {"USD": 1.00, "GBP": 0.80})]

    ecb_history_load(tmp_path, whole_year, today=datetime.date(YEAR + 1, 1, 5))

    expected = ((cross(1.10, 0.85) + cross(1.20, 0.80) + cross(1.15, 0.90) + cross(1.00, 0.80)) / 4).quantize(
        Decimal("1e-12"))
    assert rate("GBP").usd_per_unit == expected
    assert not rate("GBP").provisional and rate("GBP").observations == 4
    assert "provisional" not in rate("GBP").source
    assert rate("GBP", YEAR + 1).provisional  # and the new year starts provisional


def test_a_provisional_rate_the_file_no_longer_gives_is_removed(reference, tmp_path):
    quoted = [(datetime.date(YEAR, 1, 2), {"USD": 1.1, "NOK": 11.5})]
    ecb_history_load(tmp_path, quoted, today=datetime.date(YEAR, 1, 3))
    assert rate("NOK").provisional

    stopped = [*quoted, *[(datetime.date(YEAR, 2, day), {"USD": 1.1}) for day in range(1, 20)]]
    run = ecb_history_load(tmp_path, stopped, today=datetime.date(YEAR, 3, 1))

    assert not ExchangeRate.objects.filter(currency__code="NOK", year=YEAR).exists()
    assert run.deleted >= 1
