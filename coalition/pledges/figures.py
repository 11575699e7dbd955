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
from .reporting import ReportStatus
from .snapshot import AsOf

ZERO = Decimal("0")
SPECIAL_GROUPS = ("LDC", "LLDC", "SIDS")
# Home and implementation regions are ITU-D regions, the coalition's own regional frame.
REGION_KIND = CountryGroup.Kind.ITU_REGION

HistoricalPledge = Pledge.history.model


def _link_model(name: str):
    """The table of a pledge version's many-to-many snapshot (one row per version and target)."""
    return HistoricalPledge._meta.get_field(f"historicalpledge_{name}").related_model


LINKS = {
    "framework_nodes": (_link_model("framework_nodes"), "frameworknode_id"),
    "beneficiary_countries": (_link_model("beneficiary_countries"), "country_id"),
    "beneficiary_regions": (_link_model("beneficiary_regions"), "countrygroup_id"),
    "beneficiary_groups": (_link_model("beneficiary_groups"), "beneficiarygroup_id"),
    "sdg_targets": (_link_model("sdg_targets"), "sdgtarget_id"),
    "wsis_lines": (_link_model("wsis_lines"), "wsisactionline_id"),
}


@dataclass(frozen=True)
class PledgeRow:
    id: int
    version: int
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


def frame_load(as_of: AsOf, *, scope: Scope | None = None) -> Frame:
    """Read the published registry at `as_of` (a handful of queries, whatever its size)."""
    versions = snapshot.published_pledge_versions(as_of)
    members = _memberships(as_of.date)
    if scope is not None:
        versions = versions.filter(history_id__in=_scope_versions(as_of, scope, members))
    pledges = {
        row[0]: PledgeRow(*row)
        for row in versions.values_list(
            "id", "history_id", "value_usd", "pledge_type", "initiative_id", "lead_entity_id", "campaign_id",
            "published_at",
        )
    }
    version_ids = versions.values("history_id")
    links: dict[str, dict[int, list[int]]] = {}
    for name, (model, target) in LINKS.items():
        by_pledge: dict[int, list[int]] = defaultdict(list)
        for pledge_id, target_id in model.objects.filter(history_id__in=version_ids).values_list("history__id", target):
            by_pledge[pledge_id].append(target_id)
        links[name] = by_pledge
    partners: dict[int, list[int]] = defaultdict(list)
    for pledge_id, entity_id in snapshot.partner_versions(as_of).filter(pledge_id__in=versions.values("id")).values_list(
        "pledge_id", "entity_id"
    ):
        partners[pledge_id].append(entity_id)
    entity_ids = {row.lead_entity_id for row in pledges.values()} | {e for ids in partners.values() for e in ids}
    entities = {
        pk: (kind, country)
        for pk, kind, country in snapshot.entity_versions(as_of).values_list("id", "entity_type", "home_country_id")
        if pk in entity_ids
    }
    disbursed: dict[int, Decimal | None] = {}
    accepted = (
        snapshot.report_versions(as_of).filter(status=ReportStatus.ACCEPTED, pledge_id__in=versions.values("id"))
        .order_by("pledge_id", "period_end", "submitted_at", "id")
        .values_list("pledge_id", "disbursed_usd")
    )
    for pledge_id, usd in accepted:  # ordered oldest first: the latest report wins
        disbursed[pledge_id] = usd
    return Frame(as_of, pledges, links, dict(partners), entities, disbursed, members)


def _memberships(day: datetime.date) -> dict[str, set[int]]:
    members: dict[str, set[int]] = defaultdict(set)
    for code, country_id in CountryGroupMembership.objects.as_of(day).values_list("group__code", "country_id"):
        members[code].add(country_id)
    return members


def _scope_versions(as_of: AsOf, scope: Scope, members: dict[str, set[int]]):
    countries_model = LINKS["beneficiary_countries"][0]
    regions_model = LINKS["beneficiary_regions"][0]
    if scope.country is not None:
        return countries_model.objects.filter(country=scope.country).values("history_id")
    if scope.group is not None:
        by_country = countries_model.objects.filter(country_id__in=members.get(scope.group.code, set()))
        by_region = regions_model.objects.filter(countrygroup=scope.group)
        return by_country.values("history_id").union(by_region.values("history_id"))
    if scope.entity is not None:
        partnered = snapshot.partner_versions(as_of).filter(entity=scope.entity).values("pledge_id")
        versions = snapshot.published_pledge_versions(as_of)
        return (versions.filter(lead_entity=scope.entity) | versions.filter(id__in=partnered)).values("history_id")
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


def growth_year_on_year(current: KeyFigures, *, scope: Scope | None = None) -> Growth:
    earlier = key_figures(frame_load(current.as_of.year_earlier(), scope=scope))

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
