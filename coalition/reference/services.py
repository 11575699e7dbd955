"""Derived money facts. Reference writes go through the importers (see importing.py)."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coalition.reference.models import Currency, ExchangeRate

CENT = Decimal("0.01")


def usd_value(*, amount: Decimal, currency: str, year: int, rates: dict | None = None) -> Decimal:
    """`amount` of `currency` in US dollars at that year's stored annual average rate, to the cent.

    USD is returned as is (rounded to the cent). Otherwise the rate comes from `rates` when
    given (a `selectors.rate_table()` snapshot, so bulk callers make no query per value) or
    from the ExchangeRate table. Raises ValidationError on `value_currency` for a code that is
    not an ISO 4217 currency we know, and on `value_year` when no rate is stored for that
    currency and year: a missing rate is never treated as zero. Reads only; writes nothing.
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    code = (currency or "").strip().upper()
    if code == "USD":
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if rates is not None:
        rate = rates.get((code, year))
        if rate is None and not any(key[0] == code for key in rates) and not _is_known(code):
            raise _unknown_currency(currency)
    else:
        if not _is_known(code):
            raise _unknown_currency(currency)
        rate = (
            ExchangeRate.objects.filter(currency__code=code, year=year)
            .values_list("usd_per_unit", flat=True)
            .first()
        )
    if rate is None:
        raise ValidationError(
            {
                "value_year": _(
                    "No USD exchange rate for %(code)s in %(year)s. Choose another value year, "
                    "or ask an administrator to import the %(year)s rate for %(code)s."
                ) % {"code": code, "year": year}
            }
        )
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _is_known(code: str) -> bool:
    return Currency.objects.filter(code=code).exists()


def _unknown_currency(currency: str) -> ValidationError:
    return ValidationError(
        {"value_currency": _("%(code)s is not a known ISO 4217 currency code.") % {"code": repr(currency)}}
    )
