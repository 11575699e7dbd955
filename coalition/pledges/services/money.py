"""Money awaiting an exchange rate: converting it once the rate is there.

A pledge's value (and a report's money disbursed, `reporting.money`) is never refused for lack
of a rate: its amount, currency and year are kept and its US dollars stay empty until a rate
for that currency and year is stored. Values converted at a provisional rate (a year not over)
are converted again when the rate changes, and when the year's final rate replaces it.
`money_values_convert` does both for any model holding money (`validation.MoneyFields`); the
reference app asks for it after every write of rates (`common.signals.rates_changed`).
"""

import datetime

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from coalition.common.signals import registry_changed
from coalition.common.versions import BULK_CHUNK, versions_bulk_record
from coalition.pledges.models import Pledge
from coalition.pledges.validation import PLEDGE_VALUE, USD_COLUMN_MAXIMUM, MoneyFields
from coalition.reference.selectors import rates_for
from coalition.reference.services import Conversion, usd_conversion

# The reason the versions written by a conversion record (a code: `pledge_fields.history_reason`).
CONVERTED = "converted"


def money_pending(money: MoneyFields) -> Q:
    """The rows whose amount awaits a rate (stated, no US dollars)."""
    return Q(**{f"{money.prefix}_usd__isnull": True, f"{money.prefix}_amount__isnull": False,
                f"{money.prefix}_currency__isnull": False, f"{money.prefix}_year__isnull": False})


@transaction.atomic
def money_values_convert(
    *, model: type[models.Model], money: MoneyFields, actor=None, at: datetime.datetime | None = None,
) -> int:
    """Convert the amounts of `model` (fields named by `money`) that await a rate or were
    converted at a provisional one, with the rates stored now; returns the number of rows changed.

    Rows whose US dollars or provisional mark come out the same are left alone. Each changed row
    is updated and gets one version (by `actor`, reason CONVERTED, at `at`, by default the moment
    its rows are locked); the version counter that guards edit forms is not raised, since nobody
    edited the content. Reads the candidates through the two partial indexes, locks them, and
    writes in bulk (a few queries per BULK_CHUNK rows, none per row). Ends with
    `registry_changed` from the day of the first version written when something changed, so the
    stored daily figures from then on are counted again.
    """
    prefix = money.prefix
    amount, currency, year = f"{prefix}_amount", f"{prefix}_currency", f"{prefix}_year"
    usd, provisional = f"{prefix}_usd", f"{prefix}_usd_provisional"
    ids = set(model.objects.filter(money_pending(money)).values_list("pk", flat=True))
    ids |= set(model.objects.filter(**{provisional: True}).values_list("pk", flat=True))
    if not ids:
        return 0
    changed, first = 0, None
    ordered = sorted(ids)
    for start in range(0, len(ordered), BULK_CHUNK):
        rows = list(model.objects.select_for_update(of=("self",)).select_related(currency)
                    .filter(pk__in=ordered[start:start + BULK_CHUNK]).order_by("pk"))
        stated = [row for row in rows if getattr(row, amount) is not None and getattr(row, currency) is not None
                  and getattr(row, year) is not None]
        rates = rates_for({(getattr(row, currency).code, getattr(row, year)) for row in stated})
        updated, moment = [], at or timezone.now()  # after the lock: no version of these rows is later
        for row in stated:
            key = (getattr(row, currency).code, getattr(row, year))
            conversion = (usd_conversion(amount=getattr(row, amount), currency=key[0], year=key[1], rates=rates)
                          if key in rates else Conversion(None))  # the currency is a known one: no lookup
            value = conversion.usd if conversion.usd is None or conversion.usd < USD_COLUMN_MAXIMUM else None
            now = (value, conversion.provisional and value is not None)
            if now != (getattr(row, usd), getattr(row, provisional)):
                setattr(row, usd, now[0])
                setattr(row, provisional, now[1])
                updated.append(row)
        if updated:
            model.objects.bulk_update(updated, [usd, provisional], batch_size=BULK_CHUNK)
            versions_bulk_record(updated, actor=actor, reason=CONVERTED, at=moment)
            changed, first = changed + len(updated), first or moment
    if changed:
        registry_changed.send(sender=model, since=timezone.localdate(first))
    return changed


def pledge_values_convert(*, actor=None, at: datetime.datetime | None = None) -> int:
    """Convert the pledges' values awaiting a rate or converted at a provisional one (see
    `money_values_convert`); returns the number of pledges changed."""
    return money_values_convert(model=Pledge, money=PLEDGE_VALUE, actor=actor, at=at)


def pledge_values_on_rates_changed(sender, actor=None, **kwargs) -> None:
    """`common.signals.rates_changed` receiver (connected in `PledgesConfig.ready`)."""
    pledge_values_convert(actor=actor)


def pledge_values_wanted(sender, **kwargs) -> dict[tuple[str, int], int]:
    """`common.signals.rates_wanted` receiver: {(currency code, year): pledges awaiting that rate}."""
    rows = (Pledge.objects.filter(money_pending(PLEDGE_VALUE))
            .values_list("value_currency__code", "value_year").annotate(n=models.Count("pk")).order_by())
    return {(code, year): n for code, year, n in rows}

