"""The public figures of the registry as of a date: key figures, breakdowns, growth and the map.

Everything is computed from one `Frame`: the pledges published at the moment (their versions
at that moment, links included), their partners, the lead entities' type and home country, the
accepted reports and the group memberships — all as they stood then (see `snapshot.py`). The
dashboard, the entity, country and group pages and the reports read these functions; nothing
re-derives a figure elsewhere.

Counting rules, shown beside the figures: a pledge counts once in each category it names
(so category totals can exceed the number of pledges) and its whole value goes to each; an
entity counts once whether it leads or partners; a country counts once however many pledges
name it; a pledge "targets" the LDCs when it names the LDC group or a country that was an LDC
on that date.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection
from django.utils.translation import gettext_lazy as _

from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    CountryGroupMembership,
    FrameworkNode,
    Initiative,
    SdgTarget,
    WsisActionLine,
)

from . import snapshot
from .models import Campaign, Entity, Pledge
from .snapshot import AsOf

ZERO = Decimal("0")
CENT = Decimal("0.01")
SPECIAL_GROUPS = ("LDC", "LLDC", "SIDS")
GROUP_ACRONYMS = {"LDC": _("LDCs"), "LLDC": _("LLDCs"), "SIDS": _("SIDS")}
# Home and implementation regions are ITU-D regions, the coalition's own regional frame.
REGION_KIND = CountryGroup.Kind.ITU_REGION

@dataclass(frozen=True)
class PledgeRow:
    id: int
    value_usd: Decimal | None
    pledge_type: str
    initiative_id: int
    lead_entity_id: int
    campaign_id: int | None
    published_at: datetime.datetime | None


@dataclass
class Frame:
    """The published registry at one moment, in memory, limited to a scope when one is given."""

    as_of: AsOf
    pledges: dict[int, PledgeRow]
    links: dict[str, dict[int, list[int]]]
    partners: dict[int, list[int]]
    entities: dict[int, tuple[str, int | None]]
    disbursed: dict[int, Decimal | None]  # pledges with an accepted report → latest disbursed USD
    members: dict[str, set[int]]  # group code → country ids, as of the date

    def linked(self, name: str, pledge_id: int) -> list[int]:
        return self.links[name].get(pledge_id, [])


@dataclass(frozen=True)
class Scope:
    """A subset of the registry: the pledges benefiting a country or group, or an entity's pledges."""

    country: Country | None = None
    group: CountryGroup | None = None
    entity: Entity | None = None


def frame_load(as_of: AsOf, *, scope: Scope | None = None, live: bool | None = None) -> Frame:
    """Read the published registry at `as_of` (a handful of queries, whatever its size).

    Now is read from the live tables, an earlier moment from the versions (`live` forces one).
    """
    registry = snapshot.published_registry(as_of, live=live)
    members = _memberships(as_of.date)
    if scope is not None:
        registry = registry.restrict(_scope_condition(registry, scope, members))
    pledges = {
        pk: PledgeRow(pk, _decimal(value), kind, initiative, lead, campaign, _moment(published))
        for pk, value, kind, initiative, lead, campaign, published in _fetch(registry.pledge_rows())
    }
    links: dict[str, dict[int, list[int]]] = {}
    for name in snapshot.LINK_TARGETS:
        by_pledge: dict[int, list[int]] = defaultdict(list)
        for pledge_id, target_id in _fetch(registry.link_rows(name)):
            by_pledge[pledge_id].append(target_id)
        links[name] = by_pledge
    partners: dict[int, list[int]] = defaultdict(list)
    for pledge_id, entity_id in _fetch(registry.partner_rows()):
        partners[pledge_id].append(entity_id)
    entity_ids = {row.lead_entity_id for row in pledges.values()} | {e for ids in partners.values() for e in ids}
    entities = {pk: (kind, country) for pk, kind, country in _fetch(registry.entity_rows()) if pk in entity_ids}
    disbursed: dict[int, Decimal | None] = {}
    for pledge_id, usd in _fetch(registry.accepted_report_rows()):  # each pledge's latest report comes last
        disbursed[pledge_id] = _decimal(usd)
    return Frame(as_of, pledges, links, dict(partners), entities, disbursed, members)


def _fetch(queryset) -> list[tuple]:
    """The rows of a values_list queryset as the driver returns them, without Django's per-value
    converters: a frame reads hundreds of thousands of small rows, and those converters were
    most of its time. Only ids, codes, money and moments are read, converted below."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _decimal(value) -> Decimal | None:
    # SQLite gives money back as int or float (the column has numeric affinity), PostgreSQL as Decimal.
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(CENT)


def _moment(value) -> datetime.datetime | None:
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)


def _memberships(day: datetime.date) -> dict[str, set[int]]:
    members: dict[str, set[int]] = defaultdict(set)
    for code, country_id in CountryGroupMembership.objects.as_of(day).values_list("group__code", "country_id"):
        members[code].add(country_id)
    return members


def _scope_condition(registry, scope: Scope, members: dict[str, set[int]]):
    """The condition on the registry's pledges that selects those in `scope`."""
    if scope.country is not None:
        return registry.linked_to("beneficiary_countries", [scope.country.pk])
    if scope.group is not None:
        return registry.linked_to("beneficiary_countries", sorted(members.get(scope.group.code, ()))) | registry.linked_to(
            "beneficiary_regions", [scope.group.pk]
        )
    if scope.entity is not None:
        return registry.led_or_partnered_by(scope.entity)
    raise ValueError("an empty scope")


# --- key figures ---------------------------------------------------------------------------------


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


def _share(part, whole) -> Decimal | None:
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


def pledge_targets_group(frame: Frame, pledge_id: int, code: str, group_ids: dict[str, int]) -> bool:
    """Whether the pledge names the group, or a country that belonged to it on the frame's date."""
    if group_ids.get(code) in frame.linked("beneficiary_regions", pledge_id):
        return True
    members = frame.members.get(code, set())
    return any(country in members for country in frame.linked("beneficiary_countries", pledge_id))


def key_figures(frame: Frame) -> KeyFigures:
    rows = frame.pledges.values()
    value = sum((row.value_usd or ZERO for row in rows), ZERO)
    entities = {row.lead_entity_id for row in rows} | {e for ids in frame.partners.values() for e in ids}
    countries = {c for ids in frame.links["beneficiary_countries"].values() for c in ids}
    groups = {g.code: g for g in CountryGroup.objects.filter(code__in=SPECIAL_GROUPS)}
    group_ids = {code: g.pk for code, g in groups.items()}
    shares = []
    for code in SPECIAL_GROUPS:
        if code not in groups:
            continue
        hits = [row for row in rows if pledge_targets_group(frame, row.id, code, group_ids)]
        hit_value = sum((row.value_usd or ZERO for row in hits), ZERO)
        shares.append(GroupShare(
            code, groups[code].name, len(hits), hit_value, _share(len(hits), len(frame.pledges)), _share(hit_value, value)
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
        reported_share=_share(len(frame.disbursed), len(frame.pledges)),
        disbursed_usd=disbursed,
        disbursed_share=_share(disbursed, value),
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


# --- breakdowns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    pledges: int
    value_usd: Decimal
    share: Decimal | None  # of all pledges in the frame


@dataclass(frozen=True)
class Breakdown:
    slug: str
    title: str
    category: str  # the column heading for the category
    rows: list[Row]
    note: str = ""
    explorer_param: str = ""  # the explorer filter a row's code feeds, when there is one

    def explorer_query(self, row: Row) -> str:
        """The explorer's query string listing the pledges of one row ("" when it has none)."""
        if not self.explorer_param or row.code in ("-", "*"):
            return ""
        if self.explorer_param == "node":  # framework codes are unique within an initiative
            initiative, code = row.code.split(":", 1)
            return urlencode({"initiative": initiative, "node": code})
        return urlencode({self.explorer_param: row.code})

    @property
    def linked_rows(self) -> list[tuple[Row, str]]:
        """(row, explorer query string) pairs, for tables that link each category to its pledges."""
        return [(row, self.explorer_query(row)) for row in self.rows]


@dataclass
class _Tally:
    pledges: set = field(default_factory=set)
    value: Decimal = ZERO

    def add(self, row: PledgeRow) -> None:
        if row.id not in self.pledges:
            self.pledges.add(row.id)
            self.value += row.value_usd or ZERO


def _rows(frame: Frame, tallies: dict, labels: dict, order=None) -> list[Row]:
    """Rows in `order` (categories without pledges left out), or by most pledges first."""
    total = len(frame.pledges)
    if order is None:
        order = sorted(tallies, key=lambda key: (-len(tallies[key].pledges), str(labels.get(key, key))))
    return [
        Row(str(key), str(labels.get(key, key)), len(tallies[key].pledges), tallies[key].value,
            _share(len(tallies[key].pledges), total))
        for key in order if key in tallies
    ]


def _tally(frame: Frame, keys_of) -> dict:
    tallies: dict = defaultdict(_Tally)
    for row in frame.pledges.values():
        for key in keys_of(row):
            tallies[key].add(row)
    return tallies


def _breakdown_initiative(frame: Frame) -> Breakdown:
    initiatives = {i.pk: i for i in Initiative.objects.all()}
    tallies = _tally(frame, lambda row: [initiatives[row.initiative_id].slug])
    labels = {i.slug: i.name for i in initiatives.values()}
    return Breakdown("initiative", _("Pledges by initiative"), _("Initiative"), _rows(frame, tallies, labels),
                     explorer_param="initiative")


def _framework(frame: Frame, *, depth: int) -> Breakdown:
    nodes = {n.pk: n for n in FrameworkNode.objects.select_related("initiative", "parent")}

    def at_depth(node_id):
        node, chain = nodes[node_id], []
        while node is not None:
            chain.append(node)
            node = nodes.get(node.parent_id) if node.parent_id else None
        chain.reverse()
        return chain[depth] if len(chain) > depth else None

    def keys(row):
        found = {at_depth(node_id) for node_id in frame.linked("framework_nodes", row.id)}
        return [f"{n.initiative.slug}:{n.code}" for n in found if n is not None]

    tallies = _tally(frame, keys)
    labels = {f"{n.initiative.slug}:{n.code}": f"{n.initiative.short_name} {n.code} {n.name}" for n in nodes.values()}
    order = [f"{n.initiative.slug}:{n.code}" for n in sorted(nodes.values(), key=lambda n: (n.initiative.name_en, n.order, n.code))]
    if depth == 0:
        return Breakdown("focus-area", _("Pledges by focus area"), _("Focus area or pillar"),
                         _rows(frame, tallies, labels, order), _("A pledge counts in each focus area it names."), "node")
    return Breakdown("pillar", _("Pledges by pillar or action"), _("Pillar or action"),
                     _rows(frame, tallies, labels, order), _("A pledge counts in each pillar it names."), "node")


def _breakdown_type(frame: Frame) -> Breakdown:
    tallies = _tally(frame, lambda row: [row.pledge_type])
    return Breakdown("type", _("Pledges by type"), _("Type"), _rows(frame, tallies, dict(Pledge.Type.choices)),
                     explorer_param="type")


def _breakdown_stakeholder(frame: Frame) -> Breakdown:
    tallies = _tally(frame, lambda row: [frame.entities.get(row.lead_entity_id, ("", None))[0]])
    return Breakdown("stakeholder", _("Pledges by stakeholder type"), _("Pledging entity's type"),
                     _rows(frame, tallies, dict(Entity.Type.choices)), explorer_param="stakeholder")


def _region_of(frame: Frame, regions: dict[str, CountryGroup]) -> dict[int, str]:
    return {country: code for code in regions for country in frame.members.get(code, ())}


def _breakdown_home_region(frame: Frame) -> Breakdown:
    regions = {g.code: g for g in CountryGroup.objects.of_kind(REGION_KIND)}
    region_of = _region_of(frame, regions)
    unknown = "-"
    tallies = _tally(frame, lambda row: [region_of.get(frame.entities.get(row.lead_entity_id, ("", None))[1], unknown)])
    labels = {code: g.name for code, g in regions.items()} | {unknown: _("No home country or outside the ITU regions")}
    return Breakdown("home-region", _("Pledges by the pledger's home region"), _("ITU region of the pledging entity"),
                     _rows(frame, tallies, labels, [*regions, unknown]))


def _breakdown_implementation_region(frame: Frame) -> Breakdown:
    regions = {g.code: g for g in CountryGroup.objects.of_kind(REGION_KIND)}
    region_of = _region_of(frame, regions)
    region_ids = {g.pk: code for code, g in regions.items()}
    wide = "*"

    def keys(row):
        found = {region_of[c] for c in frame.linked("beneficiary_countries", row.id) if c in region_of}
        found |= {region_ids[g] for g in frame.linked("beneficiary_regions", row.id) if g in region_ids}
        return found or {wide}

    labels = {code: g.name for code, g in regions.items()} | {wide: _("Global or other groups only")}
    return Breakdown("implementation-region", _("Pledges by implementation region"), _("ITU region"),
                     _rows(frame, _tally(frame, keys), labels, [*regions, wide]),
                     _("A pledge counts in each region where a country it names lies, or that it names."), "region")


def _breakdown_beneficiary_group(frame: Frame) -> Breakdown:
    groups = {g.pk: g for g in BeneficiaryGroup.objects.all()}
    tallies = _tally(frame, lambda row: [groups[g].code for g in frame.linked("beneficiary_groups", row.id)])
    labels = {g.code: g.name for g in groups.values()}
    return Breakdown("beneficiary-group", _("Pledges by beneficiary group"), _("Beneficiary group"),
                     _rows(frame, tallies, labels, [g.code for g in groups.values()]),
                     _("A pledge counts for each group it names; many name none."), "beneficiary")


def _breakdown_sdg(frame: Frame) -> Breakdown:
    targets = {t.pk: t for t in SdgTarget.objects.select_related("goal")}
    tallies = _tally(frame, lambda row: {targets[t].goal.number for t in frame.linked("sdg_targets", row.id)})
    goals = {t.goal.number: t.goal for t in targets.values()}
    labels = {number: f"{number}. {goal.short}" for number, goal in goals.items()}
    return Breakdown("sdg", _("Pledges by Sustainable Development Goal"), _("SDG"),
                     _rows(frame, tallies, labels, sorted(goals)),
                     _("A pledge counts for each goal whose targets it names."), "sdg")


def _breakdown_wsis(frame: Frame) -> Breakdown:
    lines = {line.pk: line for line in WsisActionLine.objects.all()}
    tallies = _tally(frame, lambda row: [lines[line].code for line in frame.linked("wsis_lines", row.id)])
    labels = {line.code: f"{line.code} {line.title}" for line in lines.values()}
    return Breakdown("wsis", _("Pledges by WSIS action line"), _("WSIS action line"),
                     _rows(frame, tallies, labels, [line.code for line in lines.values()]),
                     _("A pledge counts for each action line it names."), "wsis")


BREAKDOWNS = {
    "initiative": _breakdown_initiative,
    "focus-area": lambda frame: _framework(frame, depth=0),
    "pillar": lambda frame: _framework(frame, depth=1),
    "type": _breakdown_type,
    "stakeholder": _breakdown_stakeholder,
    "home-region": _breakdown_home_region,
    "implementation-region": _breakdown_implementation_region,
    "beneficiary-group": _breakdown_beneficiary_group,
    "sdg": _breakdown_sdg,
    "wsis": _breakdown_wsis,
}


def breakdown(frame: Frame, slug: str) -> Breakdown:
    """One breakdown of the frame's pledges by `slug` (a key of BREAKDOWNS). KeyError if unknown."""
    return BREAKDOWNS[slug](frame)


# --- over time and on the map --------------------------------------------------------------------


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
    counts: Counter = Counter()
    values: dict[datetime.date, Decimal] = defaultdict(lambda: ZERO)
    for row in frame.pledges.values():
        if row.published_at is None:
            continue
        day = row.published_at.date()
        month = day.replace(day=1)
        counts[month] += 1
        values[month] += row.value_usd or ZERO
    months, total, value = [], 0, ZERO
    if counts:
        month, last = min(counts), frame.as_of.date.replace(day=1)
        while month <= last:
            total += counts[month]
            value += values[month]
            months.append(Month(month, counts[month], total, value))
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
    tallies = _tally(frame, lambda row: frame.linked("beneficiary_countries", row.id))
    countries = Country.objects.in_bulk(list(tallies))
    rows = [
        MapRow(countries[pk].iso3, countries[pk].numeric, countries[pk].name, len(t.pledges), t.value)
        for pk, t in tallies.items()
    ]
    return sorted(rows, key=lambda r: (-r.pledges, r.name))
