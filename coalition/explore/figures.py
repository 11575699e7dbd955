"""The public figures of the registry as of a date: key figures, growth and the map (the
breakdowns are in `breakdowns.py`).

Everything is computed from one `Frame` (`frame.py`): the pledges published at the moment (their
versions at that moment, links included), their partners, the lead entities' type and home
country, the accepted reports and the group memberships — all as they stood then (see
`registry.py`). The dashboard, the entity, country and group pages and the reports read these
functions; nothing re-derives a figure elsewhere.

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
from coalition.explore.frame import ZERO, Frame, Tally, pledge_targets_group, pledged_total, share_of, tally_by
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


def key_figures(frame: Frame) -> KeyFigures:
    rows = frame.pledges.values()
    value = pledged_total(rows)
    entities = {row.lead_entity_id for row in rows} | {e for ids in frame.partners.values() for e in ids}
    countries = {c for ids in frame.links["beneficiary_countries"].values() for c in ids}
    groups = {g.code: g for g in CountryGroup.objects.filter(code__in=SPECIAL_GROUPS)}
    group_ids = {code: g.pk for code, g in groups.items()}
    shares = []
    for code in SPECIAL_GROUPS:
        if code not in groups:
            continue
        hits = [row for row in rows if pledge_targets_group(frame, row.id, code, group_ids)]
        hit_value = pledged_total(hits)
        shares.append(GroupShare(
            code, groups[code].name, len(hits), hit_value, share_of(len(hits), len(frame.pledges)), share_of(hit_value, value)
        ))
    disbursed = sum((usd or ZERO for usd in frame.disbursed.values()), ZERO)
    return KeyFigures(
        as_of=frame.as_of,
        pledges=len(frame.pledges),
        value_usd=value,
        pledges_with_value=sum(1 for row in rows if row.value_usd is not None),
        entities=len(entities),
        countries=len(countries),
        groups=shares,
        reported=len(frame.disbursed),
        reported_share=share_of(len(frame.disbursed), len(frame.pledges)),
        disbursed_usd=disbursed,
        disbursed_share=share_of(disbursed, value),
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


def growth_by_month(frame: Frame) -> tuple[list[Month], list[Event]]:
    """Cumulative pledges and value by month of first publication, for the pledges still
    published on the frame's date, and the campaigns and events that fall in the period."""
    by_month = tally_by(frame, lambda row: [row.published_at.date().replace(day=1)] if row.published_at else [])
    months, total, value = [], 0, ZERO
    if by_month:
        month, last = min(by_month), frame.as_of.date.replace(day=1)
        while month <= last:
            tally = by_month.get(month, Tally())
            total += tally.count
            value += tally.value
            months.append(Month(month, tally.count, total, value))
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    events = []
    if months:
        campaigns = Campaign.objects.filter(start_date__gte=months[0].month, start_date__lte=frame.as_of.date)
        events = [Event(c.slug, c.name, c.start_date) for c in campaigns.order_by("start_date")]
    return months, events


@dataclass(frozen=True)
class MapRow:
    iso3: str
    numeric: str
    name: str
    pledges: int
    value_usd: Decimal


def by_country(frame: Frame) -> list[MapRow]:
    """Pledges naming each beneficiary country (the map's numbers), most pledges first."""
    tallies = tally_by(frame, lambda row: frame.linked("beneficiary_countries", row.id))
    countries = Country.objects.in_bulk(list(tallies))
    rows = [
        MapRow(countries[pk].iso3, countries[pk].numeric, countries[pk].name, len(t.pledges), t.value)
        for pk, t in tallies.items()
    ]
    return sorted(rows, key=lambda r: (-r.pledges, r.name))
