"""Derived money facts, and the writes of exchange rates outside the importers.

Reference tables are otherwise written by the importers (see importing.py). Every write of
exchange rates ends with `rates_written`, which tells the apps holding converted money
(`common.signals.rates_changed`) to convert the values that were waiting for a rate.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coalition.common.signals import rates_changed
from coalition.reference.models import Currency, ExchangeRate
from coalition.reference.selectors import Rate

CENT = Decimal("0.01")
# The documentation page that says how to load official annual rates (`rate_missing_message`).
RATES_DOCUMENTATION = "docs/reference-data.md#rates-for-every-currency"


@dataclass(frozen=True)
class Conversion:
    """An amount in US dollars, or None while no rate is stored for its currency and year."""

    usd: Decimal | None
    provisional: bool = False

    @property
    def pending(self) -> bool:
        return self.usd is None


def usd_conversion(
    *, amount: Decimal, currency: str, year: int, rates: Mapping[tuple[str, int], Decimal | Rate] | None = None,
) -> Conversion:
    """`amount` of `currency` in US dollars at that year's stored annual average rate, to the cent.

    USD is returned as is (rounded to the cent). Otherwise the rate comes from `rates` when
    given ({(code, year): Decimal or Rate}, e.g. a `selectors.rate_table()` snapshot, so bulk
    callers make no query per value) or from the ExchangeRate table. No rate stored for that
    currency and year gives a pending conversion (`usd` None), never zero; a provisional rate
    (a year not over yet) a provisional one. Raises ValidationError on `value_currency` only for
    a code that is not an ISO 4217 currency we know. Reads only; writes nothing.
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    code = (currency or "").strip().upper()
    if code == "USD":
        return Conversion(amount.quantize(CENT, rounding=ROUND_HALF_UP))
    if rates is not None:
        rate = rates.get((code, year))
        if rate is None and not any(key[0] == code for key in rates) and not _is_known(code):
            raise _unknown_currency(currency)
    else:
        if not _is_known(code):
            raise _unknown_currency(currency)
        found = ExchangeRate.objects.filter(currency__code=code, year=year).values_list(
            "usd_per_unit", "provisional").first()
        rate = Rate(*found) if found else None
    if rate is None:
        return Conversion(None)
    if not isinstance(rate, Rate):
        rate = Rate(rate)
    return Conversion((amount * rate.usd_per_unit).quantize(CENT, rounding=ROUND_HALF_UP), rate.provisional)


def usd_value(*, amount: Decimal, currency: str, year: int, rates: dict | None = None) -> Decimal:
    """Like `usd_conversion`, for callers that cannot do without the US dollars (the demo's
    generator): raises ValidationError on `value_year` when no rate is stored for that currency
    and year, saying how an administrator loads one."""
    conversion = usd_conversion(amount=amount, currency=currency, year=year, rates=rates)
    if conversion.usd is None:
        raise ValidationError({"value_year": rate_missing_message((currency or "").strip().upper(), year)})
    return conversion.usd


def rate_missing_message(code: str, year: int | str) -> str:
    """What to say when no rate is stored for `code` in `year`: how an administrator loads the
    official annual rates of every currency (the rates-csv route)."""
    return _("No USD exchange rate for %(code)s in %(year)s yet.") % {"code": code, "year": year} + " " + rates_csv_hint()


def rates_csv_hint() -> str:
    """How to load the official annual rates of the currencies ECB does not quote."""
    return _(
        "An administrator can load the official annual rates (IMF International Financial Statistics, or the "
        "World Bank’s indicator PA.NUS.FCRF) for every currency through the rates-csv route: "
        "“coalition reference import rates-csv exchange-rates.csv”, a CSV with the columns currency, year, "
        "usd_per_unit, source (see %(docs)s)."
    ) % {"docs": RATES_DOCUMENTATION}


def rates_written(*, actor=None) -> None:
    """Say that exchange rates were created, changed or deleted: the apps holding converted money
    convert the values awaiting a rate or converted at a provisional one, in the caller's
    transaction (`common.signals.rates_changed`)."""
    rates_changed.send(sender=ExchangeRate, actor=actor)


def _rates_editor_check(actor) -> None:
    if not (getattr(actor, "is_staff", False) and actor.has_perm("reference.change_exchangerate")):
        raise PermissionDenied(_("Only administrators change exchange rates."))


@transaction.atomic
def exchange_rate_save(*, actor, rate: ExchangeRate) -> ExchangeRate:
    """Create or correct one stored rate by hand (the admin), then convert the values that were
    waiting for it. The actor needs the permission to change exchange rates."""
    _rates_editor_check(actor)
    if rate.usd_per_unit is None or rate.usd_per_unit <= 0:
        raise ValidationError({"usd_per_unit": _("A rate is a positive number of US dollars per unit.")})
    rate.save()
    rates_written(actor=actor)
    return rate


@transaction.atomic
def exchange_rates_delete(*, actor, rates) -> int:
    """Delete stored rates (a queryset or a list); values converted at a provisional one among
    them go back to waiting for a rate. Returns the number deleted."""
    _rates_editor_check(actor)
    ids = [rate.pk for rate in rates]
    deleted = ExchangeRate.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        rates_written(actor=actor)
    return deleted


def _is_known(code: str) -> bool:
    return Currency.objects.filter(code=code).exists()


def _unknown_currency(currency: str) -> ValidationError:
    return ValidationError(
        {"value_currency": _("%(code)s is not a known ISO 4217 currency code.") % {"code": repr(currency)}}
    )
