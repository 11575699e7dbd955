import datetime
from decimal import Decimal

from coalition.reference.importing import run_import
from coalition.reference.loaders.ecb_rates import EcbRateLoader
from coalition.reference.models import ExchangeRate, ImportRun

HISTORY = """Date,USD,GBP,RUB,
2023-01-03,1.2,0.8,N/A,
2022-12-30,1.1,0.9,N/A,
2022-06-01,1.0,0.8,80,
2021-12-31,1.2,0.85,90,
"""


def load(tmp_path, text=HISTORY, **options):
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(text)
    return run_import(loader=EcbRateLoader(path, today=datetime.date(2023, 6, 1), **options))


def rate(code, year):
    return ExchangeRate.objects.get(currency__code=code, year=year)


def test_a_year_is_the_mean_of_daily_cross_rates_through_the_euro(reference, tmp_path, monkeypatch):
    monkeypatch.setattr("coalition.reference.loaders.ecb_rates.MIN_OBSERVATIONS", 1)

    load(tmp_path)

    # GBP 2022: (1.1/0.9 + 1.0/0.8) / 2
    expected = ((Decimal("1.1") / Decimal("0.9") + Decimal("1.0") / Decimal("0.8")) / 2).quantize(Decimal("1e-12"))
    assert rate("GBP", 2022).usd_per_unit == expected
    assert rate("GBP", 2022).observations == 2
    assert rate("EUR", 2022).usd_per_unit == Decimal("1.05")


def test_currencies_fixed_to_the_euro_follow_the_euro(reference, tmp_path, monkeypatch):
    monkeypatch.setattr("coalition.reference.loaders.ecb_rates.MIN_OBSERVATIONS", 1)

    load(tmp_path)

    assert rate("XOF", 2022).usd_per_unit == (Decimal("1.05") / Decimal("655.957")).quantize(Decimal("1e-12"))
    assert "655.957" in rate("XOF", 2022).source


def test_a_running_year_never_replaces_a_final_rate(reference, tmp_path, monkeypatch):
    monkeypatch.setattr("coalition.reference.loaders.ecb_rates.MIN_OBSERVATIONS", 1)
    before = rate("GBP", 2023)  # the fixture's final rate

    load(tmp_path)

    assert rate("GBP", 2023).usd_per_unit == before.usd_per_unit
    assert not rate("GBP", 2023).provisional


def test_a_year_with_too_few_daily_rates_is_skipped_with_a_warning(reference, tmp_path):
    run = load(tmp_path)

    assert run.status == ImportRun.Status.SUCCEEDED
    assert not ExchangeRate.objects.filter(source__contains="eurofxref-hist.csv", provisional=False).exists()
    assert any("only 2 daily rates" in w["message"] for w in run.warnings)


def test_a_malformed_number_is_refused_with_its_line_and_currency(reference, tmp_path):
    run = load(tmp_path, HISTORY.replace("0.85", "zero"))

    assert run.status == ImportRun.Status.FAILED
    assert run.errors[0] == {"row": 5, "column": "GBP", "message": "'zero' is not a number"}


def test_the_bundled_history_gives_complete_years_and_the_running_one_as_provisional(reference):
    run = run_import(loader=EcbRateLoader(currencies={"USD", "EUR", "RUB"}, today=datetime.date(2026, 11, 23)))

    assert run.status == ImportRun.Status.SUCCEEDED
    assert rate("EUR", 2025).observations > 240
    assert not rate("EUR", 2025).provisional
    assert rate("EUR", 2026).provisional
    assert not ExchangeRate.objects.filter(currency__code="RUB", year=2022).exists()  # quotes stop in March
