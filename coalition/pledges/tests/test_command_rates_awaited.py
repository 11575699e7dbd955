"""The rates commands say which values still await a rate and how to load the official annual
rates of every currency (the rates-csv route) (issue 15)."""

from io import StringIO

import pytest
from django.core.management import call_command

from coalition.pledges.services import pledge_create
from coalition.reference.models import Currency


@pytest.fixture
def shillings(pledger_a, pledge_data):
    Currency.objects.create(code="KES", name_en="Kenyan Shilling")
    Currency.objects.create(code="NGN", name_en="Naira")
    return pledge_create(actor=pledger_a, data={**pledge_data, "value_amount": "2000000", "value_currency": "KES",
                                                "value_year": 2024})


def test_importing_rates_csv_names_what_still_awaits_a_rate_and_how_to_load_it(shillings, tmp_path):
    path = tmp_path / "exchange-rates.csv"
    path.write_text("currency,year,usd_per_unit,source\nNGN,2024,0.00068,IMF IFS\n")
    out = StringIO()

    call_command("reference", "import", "rates-csv", str(path), stdout=out)

    text = out.getvalue()
    assert "values awaiting an exchange rate: 1: KES 2024 (1)" in text
    assert "currencies without any exchange rate: 1 (KES)" in text
    assert "coalition reference import rates-csv exchange-rates.csv" in text
    assert "currency, year, usd_per_unit, source" in text and "reference-data.md" in text


def test_once_every_value_has_its_rate_the_command_says_nothing_more(shillings, tmp_path):
    path = tmp_path / "exchange-rates.csv"
    path.write_text("currency,year,usd_per_unit,source\nNGN,2024,0.00068,IMF IFS\nKES,2024,0.0077,IMF IFS\n")
    out = StringIO()

    call_command("reference", "import", "rates-csv", str(path), stdout=out)

    shillings.refresh_from_db()
    assert shillings.value_usd is not None
    assert "awaiting" not in out.getvalue() and "rates-csv" not in out.getvalue()
