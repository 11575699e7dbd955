"""The public figures of the registry as of a date: key figures, growth and the map (the
breakdowns are in `breakdowns.py`).

Everything is read from one `Tallies` (`tallies.py`): the registry's counts at the moment,
computed by the database from the versions current then, or read back from the day's stored
tallies (`daily.py`). The dashboard, the entity, country and group pages and the reports read
these functions; nothing re-derives a figure elsewhere.

Counting rules, shown beside the figures: a pledge counts once in each category it names
(so category totals can exceed the number of pledges) and its whole value goes to each; an
entity counts once whether it leads or partners; a country counts once however many pledges
name it; a pledge "targets" the LDCs when it names the LDC group or a country that was an LDC
on that date.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coalition.common.asof import AsOf
from coalition.explore.tallies import ZERO, Tallies
from coalition.pledges.models import Campaign
from coalition.reference.models import Country, CountryGroup
from coalition.reporting.models import VerificationLevel
from coalition.reporting.status import (
    ACTIVE_STATUSES,
    AT_RISK_STATUSES,
    CLOSED_STATUSES,
    STATUS_ORDER,
    reporting_periods,
)

SPECIAL_GROUPS = ("LDC", "LLDC", "SIDS")


GROUP_ACRONYMS = {"LDC": _("LDCs"), "LLDC": _("LLDCs"), "SIDS": _("SIDS")}


@dataclass(frozen=True)
class GroupShare:
    code: str
    name: str
    pledges: int
    value_usd: Decimal
    share_pledges: Decimal | None
    share_value: Decimal | None

    @property
    def plural(self) -> str:
        """LDCs, LLDCs, SIDS (PMA, PDSL, PEID in French): the acronym for the whole group."""
        return str(GROUP_ACRONYMS.get(self.code, self.code))


@dataclass(frozen=True)
class MoneyPending:
    """What the figures at a date leave out for lack of an exchange rate, and what they count at
    a provisional one. `pledged` and `disbursed` are [(currency code, amount in that currency)],
    largest first."""

    pledges: int = 0
    pledged: tuple[tuple[str, Decimal], ...] = ()
    reports: int = 0
    disbursed: tuple[tuple[str, Decimal], ...] = ()
    provisional_pledges: int = 0
    provisional_reports: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.pledges or self.reports or self.provisional_pledges or self.provisional_reports)


def money_pending(tallies: Tallies) -> MoneyPending:
    """The values awaiting an exchange rate at the tallies' date (pledges, and money disbursed in
    the latest accepted reports), by currency, and how many count at a provisional rate: read off
    the stored tallies ("pending", "provisional"… in `tallies.py`), so it costs no query."""

    def by_currency(kind: str) -> tuple[int, tuple[tuple[str, Decimal], ...]]:
        rows = tallies.of(kind)
        amounts = sorted(((code, tally.value_usd) for code, tally in rows.items()), key=lambda row: (-row[1], row[0]))
        return sum(tally.pledges for tally in rows.values()), tuple(amounts)

    pledges, pledged = by_currency("pending")
    reports, disbursed = by_currency("pending-disbursed")
    return MoneyPending(
        pledges=pledges, pledged=pledged, reports=reports, disbursed=disbursed,
        provisional_pledges=tallies.get("provisional").pledges,
        provisional_reports=tallies.get("provisional-disbursed").pledges,
    )


def reporting_statuses_from(tallies: Tallies) -> dict[str, int]:
    """{reporting status: published pledges} on the tallies' date (every status, zeros included),
    read off the stored "standing" tallies: the explorer's status facet, the annual report."""
    counted = tallies.of("standing")
    return {str(status): counted[status].pledges if status in counted else 0 for status in STATUS_ORDER}


# The four parts of the value pledged, in the order they are shown.
PARTS = ("delivered", "to_deliver", "at_risk", "closed_undelivered")
PART_LABELS = {
    "delivered": _("Delivered"),
    "to_deliver": _("To deliver"),
    "at_risk": _("At risk"),
    "closed_undelivered": _("Closed undelivered"),
}
PART_HELP = {
    "delivered": _("Money disbursed, from each pledge's latest accepted report, up to its value."),
    "to_deliver": _("The rest of the pledges still reporting (on time, due or overdue)."),
    "at_risk": _("The rest of the inactive pledges: no accepted report for %(period)s."),
    "closed_undelivered": _("The rest of the pledges whose reporting has closed: completed, discontinued or ended."),
}


@dataclass(frozen=True)
class ValueParts:
    """The value pledged (US dollars) split into four parts that add up to it: delivered, to
    deliver (pledges still reporting), at risk (inactive pledges) and closed undelivered
    (pledges whose reporting closed). `pledges` counts the pledges behind each part of the
    rest; `beyond_pledged` is money disbursed above the pledges' values (not in the parts);
    `by_level` the delivered part by verification level of the report that states it."""

    pledged: Decimal
    delivered: Decimal
    to_deliver: Decimal
    at_risk: Decimal
    closed_undelivered: Decimal
    pledges: dict[str, int]
    beyond_pledged: Decimal
    by_level: list[tuple[str, str, Decimal]]  # (level, label, delivered)

    def rows(self) -> list[tuple[str, str, str, Decimal, Decimal | None]]:
        """(part, label, explanation, US dollars, share of the value pledged) in order."""
        help_texts = {part: str(text) for part, text in PART_HELP.items()}
        help_texts["at_risk"] = str(PART_HELP["at_risk"]) % {"period": inactive_period()}
        return [(part, str(PART_LABELS[part]), help_texts[part], getattr(self, part),
                 share_of(getattr(self, part), self.pledged)) for part in PARTS]

    def parts(self) -> list[dict]:
        """The rows as a page draws them: each part with its pledges and where its segment of a
        bar of the value pledged starts and how wide it is (percent)."""
        drawn, start = [], 0.0
        for part, label, help_text, value, share in self.rows():
            width = float(share or 0) * 100
            drawn.append({"part": part, "label": label, "help": help_text, "value": value, "share": share,
                          "pledges": self.pledges[part], "x": round(start, 3), "width": round(width, 3)})
            start += width
        return drawn


def inactive_period() -> str:
    """How long a pledge goes without an accepted report before it is inactive ("3 years")."""
    _due, _overdue, inactive = reporting_periods()
    if inactive % 365 == 0:
        return ngettext("%(n)s year", "%(n)s years", inactive // 365) % {"n": inactive // 365}
    return ngettext("%(n)s day", "%(n)s days", inactive) % {"n": inactive}


def value_parts(tallies: Tallies) -> ValueParts:
    """The four parts of the value pledged at the tallies' date (`ValueParts`), read off the
    "standing" tallies: no query. By construction the parts add up to the value pledged."""
    pledged = tallies.of("standing")
    delivered = tallies.of("standing-delivered")
    groups = {"to_deliver": ACTIVE_STATUSES, "at_risk": AT_RISK_STATUSES, "closed_undelivered": CLOSED_STATUSES}
    rest, pledges = {}, {}
    for part, statuses in groups.items():
        value = sum((pledged[s].value_usd for s in statuses if s in pledged), ZERO)
        value -= sum((delivered[s].value_usd for s in statuses if s in delivered), ZERO)
        rest[part] = value
        pledges[part] = sum(pledged[s].pledges for s in statuses if s in pledged)
    total_delivered = sum((tally.value_usd for tally in delivered.values()), ZERO)
    pledges["delivered"] = sum(tally.pledges for tally in delivered.values())
    levels = dict(VerificationLevel.choices)
    by_level = [(level, str(levels.get(level, _("Not assessed"))), tally.value_usd)
                for level, tally in sorted(tallies.of("delivered-level").items(),
                                           key=lambda item: _LEVEL_ORDER.index(item[0]) if item[0] in _LEVEL_ORDER else 9)]
    return ValueParts(
        pledged=sum((tally.value_usd for tally in pledged.values()), ZERO), delivered=total_delivered,
        pledges=pledges, beyond_pledged=max(tallies.get("reported").value_usd - total_delivered, ZERO),
        by_level=by_level, **rest,
    )


_LEVEL_ORDER = [VerificationLevel.VERIFIED, VerificationLevel.DOCUMENTED, VerificationLevel.SELF_REPORTED, ""]


@dataclass(frozen=True)
class KeyFigures:
    as_of: AsOf
    pledges: int
    value_usd: Decimal
    pledges_with_value: int
    entities: int
    countries: int
    groups: list[GroupShare]
    reported: int
    reported_share: Decimal | None
    disbursed_usd: Decimal
    disbursed_share: Decimal | None  # of the pledged value
    pending: MoneyPending = MoneyPending()  # left out for lack of an exchange rate
    parts: ValueParts | None = None  # the value pledged in four parts


def share_of(part, whole) -> Decimal | None:
    """`part` over `whole` as a fraction (0 to 1); None when the whole is nothing."""
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


def key_figures(tallies: Tallies) -> KeyFigures:
    everything = tallies.get("all")
    groups = {g.code: g for g in CountryGroup.objects.filter(code__in=SPECIAL_GROUPS)}
    shares = []
    for code in SPECIAL_GROUPS:
        if code not in groups:
            continue
        hit = tallies.get("group", code)
        shares.append(GroupShare(
            code, groups[code].name, hit.pledges, hit.value_usd, share_of(hit.pledges, everything.pledges),
            share_of(hit.value_usd, everything.value_usd),
        ))
    reported = tallies.get("reported")
    return KeyFigures(
        as_of=tallies.as_of,
        pledges=everything.pledges,
        value_usd=everything.value_usd,
        pledges_with_value=tallies.get("with-value").pledges,
        entities=tallies.get("entities").pledges,
        countries=tallies.get("countries").pledges,
        groups=shares,
        reported=reported.pledges,
        reported_share=share_of(reported.pledges, everything.pledges),
        disbursed_usd=reported.value_usd,
        disbursed_share=share_of(reported.value_usd, everything.value_usd),
        pending=money_pending(tallies),
        parts=value_parts(tallies),
    )


@dataclass(frozen=True)
class Growth:
    """Key figures now against the same day a year earlier (both computed from history)."""

    earlier: KeyFigures
    pledges: Decimal | None
    value_usd: Decimal | None
    entities: Decimal | None


def growth_between(current: KeyFigures, earlier: KeyFigures) -> Growth:
    """Relative change of the headline figures from `earlier` to `current` (None from zero)."""

    def change(now, then):
        return None if not then else (Decimal(now) - Decimal(then)) / Decimal(then)

    return Growth(
        earlier, change(current.pledges, earlier.pledges), change(current.value_usd, earlier.value_usd),
        change(current.entities, earlier.entities),
    )


@dataclass(frozen=True)
class Month:
    month: datetime.date  # first day
    published: int
    cumulative_pledges: int
    cumulative_value_usd: Decimal


@dataclass(frozen=True)
class Event:
    """A campaign or event marked on the growth chart; `url` is its campaign page as of the
    chart's date."""

    slug: str
    name: str
    date: datetime.date
    url: str = ""


def cumulative_by_month(tallies: Tallies) -> list[Month]:
    """Pledges and value by month of first publication, and their running totals, from the first
    month with a publication to the tallies' month (months without one included), for the
    pledges still published on the date (of the tallies' scope, when they have one)."""
    by_month = {datetime.date.fromisoformat(f"{code}-01"): tally for code, tally in tallies.of("month").items()}
    months, total, value = [], 0, ZERO
    if by_month:
        month, last = min(by_month), tallies.as_of.date.replace(day=1)
        while month <= last:
            tally = by_month.get(month)
            published, added = (tally.pledges, tally.value_usd) if tally else (0, ZERO)
            total += published
            value += added
            months.append(Month(month, published, total, value))
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def growth_by_month(tallies: Tallies) -> tuple[list[Month], list[Event]]:
    """Cumulative pledges and value by month of first publication, for the pledges still
    published on the date, and the campaigns and events that fall in the period, each linked
    to its campaign page as of the same date."""
    months = cumulative_by_month(tallies)
    events = []
    if months:
        campaigns = Campaign.objects.filter(start_date__gte=months[0].month, start_date__lte=tallies.as_of.date)
        query = "" if tallies.as_of.is_today else "?" + urlencode({"as_of": tallies.as_of.query_value})
        events = [Event(c.slug, c.name, c.start_date, reverse("explore:campaign", args=[c.slug]) + query)
                  for c in campaigns.order_by("start_date")]
    return months, events


@dataclass(frozen=True)
class MapRow:
    iso3: str
    numeric: str
    name: str
    pledges: int
    value_usd: Decimal


def by_country(tallies: Tallies) -> list[MapRow]:
    """Pledges naming each beneficiary country (the map's numbers), most pledges first."""
    counted = tallies.of("country")
    countries = Country.objects.filter(iso3__in=list(counted))
    rows = [
        MapRow(c.iso3, c.numeric, c.name, counted[c.iso3].pledges, counted[c.iso3].value_usd) for c in countries
    ]
    return sorted(rows, key=lambda r: (-r.pledges, r.name))
