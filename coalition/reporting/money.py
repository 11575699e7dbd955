"""Money disbursed awaiting an exchange rate: its conversion once the rate is there, and the
secretariat's list of every value (pledged or disbursed) still waiting for one.

Reports keep the amount, currency and year of the money disbursed whatever the reference data
says; `report_values_convert` converts them when rates are written (the rule is the pledges':
`pledges.services.money`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from coalition.pledges.models import PENDING_VALUE, Pledge
from coalition.pledges.services.money import money_values_convert
from coalition.reporting.models import PENDING_DISBURSED, ProgressReport
from coalition.reporting.validation import DISBURSED


def report_values_convert(*, actor=None, at: datetime.datetime | None = None) -> int:
    """Convert the reports' money disbursed awaiting a rate or converted at a provisional one
    (`pledges.services.money.money_values_convert`); returns the number of reports changed."""
    return money_values_convert(model=ProgressReport, money=DISBURSED, actor=actor, at=at)


def report_values_on_rates_changed(sender, actor=None, **kwargs) -> None:
    """`common.signals.rates_changed` receiver (connected in `ReportingConfig.ready`)."""
    report_values_convert(actor=actor)


def report_values_wanted(sender, **kwargs) -> dict[tuple[str, int], int]:
    """`common.signals.rates_wanted` receiver: {(currency code, year): reports awaiting that rate}."""
    rows = (ProgressReport.objects.filter(PENDING_DISBURSED)
            .values_list("disbursed_currency__code", "disbursed_year").annotate(n=Count("pk")).order_by())
    return {(code, year): n for code, year, n in rows}


@dataclass(frozen=True)
class RateWanted:
    """One currency and year some values await: how many, and how much in that currency."""

    currency: str
    year: int
    pledges: int = 0
    pledged: Decimal = Decimal(0)
    reports: int = 0
    disbursed: Decimal = Decimal(0)


@dataclass(frozen=True)
class MoneyAwaitingRates:
    """Every value awaiting a rate, by currency and year, and the first `limit` pledges and
    reports behind them; how many values count at a provisional rate."""

    wanted: list[RateWanted]
    pledges: list[Pledge]
    reports: list[ProgressReport]
    pledge_count: int
    report_count: int
    provisional_pledges: int
    provisional_reports: int


def money_awaiting_rates(*, limit: int = 100) -> MoneyAwaitingRates:
    """The secretariat's list of values awaiting an exchange rate (pledges in any state, reports
    in any state), read through the partial indexes on those rows: a handful of queries."""
    wanted: dict[tuple[str, int], dict] = {}
    pledged = (Pledge.objects.filter(PENDING_VALUE).values_list("value_currency__code", "value_year")
               .annotate(n=Count("pk"), total=Sum("value_amount")).order_by())
    for code, year, n, total in pledged:
        wanted.setdefault((code, year), {})
        wanted[(code, year)].update(pledges=n, pledged=total)
    disbursed = (ProgressReport.objects.filter(PENDING_DISBURSED).values_list("disbursed_currency__code", "disbursed_year")
                 .annotate(n=Count("pk"), total=Sum("disbursed_amount")).order_by())
    for code, year, n, total in disbursed:
        wanted.setdefault((code, year), {})
        wanted[(code, year)].update(reports=n, disbursed=total)
    pledges = (Pledge.objects.filter(PENDING_VALUE).select_related("lead_entity", "value_currency")
               .order_by("value_currency__code", "value_year", "pk"))
    reports = (ProgressReport.objects.filter(PENDING_DISBURSED)
               .select_related("pledge__lead_entity", "disbursed_currency")
               .order_by("disbursed_currency__code", "disbursed_year", "pk"))
    return MoneyAwaitingRates(
        wanted=[RateWanted(code, year, **values) for (code, year), values in sorted(wanted.items())],
        pledges=list(pledges[:limit]),
        reports=list(reports[:limit]),
        pledge_count=sum(values.get("pledges", 0) for values in wanted.values()),
        report_count=sum(values.get("reports", 0) for values in wanted.values()),
        provisional_pledges=Pledge.objects.filter(value_usd_provisional=True).count(),
        provisional_reports=ProgressReport.objects.filter(disbursed_usd_provisional=True).count(),
    )
