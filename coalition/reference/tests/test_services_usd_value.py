from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coalition.reference.models import ExchangeRate
from coalition.reference.selectors import rate_table
from coalition.reference.services import usd_value


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
