from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coalition.reference.models import Currency, ExchangeRate
from coalition.reference.selectors import Rate, rate_table, rates_for
from coalition.reference.services import usd_conversion, usd_value


def test_eur_converts_at_the_2022_annual_average(reference):
    rate = ExchangeRate.objects.get(currency__code="EUR", year=2022).usd_per_unit

    value = usd_value(amount=Decimal("1000000"), currency="EUR", year=2022)

    assert isinstance(value, Decimal)
    assert Decimal("1050000") <= value <= Decimal("1056000")
    assert value == (Decimal("1000000") * rate).quantize(Decimal("0.01"))


def test_usd_is_returned_as_is_to_the_cent(db):
    assert usd_value(amount=Decimal("12.345"), currency="USD", year=1950) == Decimal("12.35")


def test_a_preloaded_rate_table_avoids_queries(reference, django_assert_num_queries):
    rates = rate_table()

    with django_assert_num_queries(0):
        value = usd_value(amount=Decimal("1000000"), currency="EUR", year=2022, rates=rates)

    assert value == usd_value(amount=Decimal("1000000"), currency="EUR", year=2022)


def test_an_unknown_currency_is_refused_on_the_currency_field(reference):
    with pytest.raises(ValidationError) as caught:
        usd_value(amount=Decimal("1"), currency="XYZ", year=2022)

    assert "XYZ" in caught.value.message_dict["value_currency"][0]


def test_an_unknown_currency_is_refused_with_a_rate_table_too(reference):
    with pytest.raises(ValidationError) as caught:
        usd_value(amount=Decimal("1"), currency="XYZ", year=2022, rates=rate_table())

    assert "value_currency" in caught.value.message_dict


@pytest.mark.parametrize("use_table", [False, True])
def test_a_missing_rate_is_refused_on_the_year_field_never_zero(reference, use_table):
    with pytest.raises(ValidationError) as caught:
        usd_value(amount=Decimal("1"), currency="EUR", year=1950, rates=rate_table() if use_table else None)

    message = caught.value.message_dict["value_year"][0]
    assert "EUR" in message and "1950" in message


def test_a_float_amount_is_a_programming_error(db):
    with pytest.raises(TypeError, match="amount must be a Decimal, not float"):
        usd_value(amount=1.5, currency="USD", year=2022)


def test_a_missing_rate_says_how_to_load_the_official_annual_rates(reference):
    with pytest.raises(ValidationError) as caught:
        usd_value(amount=Decimal("1"), currency="KES", year=2019)

    message = caught.value.message_dict["value_year"][0]
    assert "No USD exchange rate for KES in 2019" in message
    assert "rates-csv" in message and "IMF" in message and "World Bank" in message
    assert "currency, year, usd_per_unit, source" in message


@pytest.mark.parametrize("use_table", [False, True])
def test_without_a_rate_a_conversion_is_pending_never_zero(reference, use_table):
    conversion = usd_conversion(amount=Decimal("5"), currency="KES", year=2019, rates=rate_table() if use_table else None)

    assert conversion.pending and conversion.usd is None and not conversion.provisional


def test_a_provisional_rate_gives_a_provisional_conversion(reference):
    kes = ExchangeRate.objects.create(currency=Currency.objects.get(code="KES"), year=2019,
                                      usd_per_unit=Decimal("0.01"), source="test", provisional=True)

    conversion = usd_conversion(amount=Decimal("250"), currency="KES", year=2019)

    assert (conversion.usd, conversion.provisional) == (Decimal("2.50"), True)
    assert rates_for({("KES", 2019), ("KES", 2018)}) == {("KES", 2019): Rate(kes.usd_per_unit, True)}
