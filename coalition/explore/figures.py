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

from django.utils.translation import gettext_lazy as _

from coalition.common.asof import AsOf
from coalition.explore.tallies import ZERO, Tallies
from coalition.pledges.models import Campaign
from coalition.reference.models import Country, CountryGroup

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
    slug: str
    name: str
    date: datetime.date


def growth_by_month(tallies: Tallies) -> tuple[list[Month], list[Event]]:
    """Cumulative pledges and value by month of first publication, for the pledges still
    published on the date, and the campaigns and events that fall in the period."""
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
    events = []
    if months:
        campaigns = Campaign.objects.filter(start_date__gte=months[0].month, start_date__lte=tallies.as_of.date)
        events = [Event(c.slug, c.name, c.start_date) for c in campaigns.order_by("start_date")]
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
