"""Reads for the gap view: countries by offline population against what is pledged for them,
and, for a country's profile, the partners to approach.

Offline people come from `aggregates.country_offline` (population × (1 − share using the
Internet), latest year with data); pledges from the registry's stored tallies as of a date
(`explore.daily`), counted as on the country pages: a pledge counts for a country when it
names it as a beneficiary, with its whole estimated value. Regional and global pledges are
not spread over countries.

**The gap flag.** Among the countries listed (after the group filter), a country is flagged
when its offline population is above the median of the listed countries *and* the US dollars
pledged per offline person (in the chosen focus area, if any) are at or below the first
quartile of the listed countries. Both thresholds are recomputed for each list, and shown.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coalition.common.asof import AsOf
from coalition.common.i18n import fold
from coalition.common.spreadsheet import SafeCsvWriter
from coalition.entities.models import Entity
from coalition.explore.daily import registry_stamp, tallies_for
from coalition.explore.tallies import Tally, link_table, money, registry_sql
from coalition.indicators import aggregates
from coalition.indicators.selectors import POPULATION, editions_held, held_at, indicator_resolve
from coalition.reference.groups import KIND_PLURAL
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership, FrameworkNode

ZERO = Decimal("0")


# Which focus areas (initiative:code of a top-level framework node) work on the gap each
# indicator measures: authored here, shown on the profile page with the partners found.
INDICATOR_AREAS = {
    "internet-use": ("p2c:FA1", "p2c:FA2", "ap-is:P1"),
    "households-internet": ("p2c:FA1", "ap-is:P1"),
    "coverage-3g": ("p2c:FA1", "p2c:FA4", "ap-is:P1"),
    "coverage-4g": ("p2c:FA1", "p2c:FA4", "ap-is:P1"),
    "coverage-5g": ("p2c:FA1", "p2c:FA4", "ap-is:P1"),
    "mobile-ownership": ("p2c:FA1", "ap-is:P1"),
    "digital-skills-basic": ("p2c:FA2", "ap-is:P2"),
    "digital-skills-intermediate": ("p2c:FA2", "ap-is:P2"),
    "internet-gender-parity": ("p2c:FA2",),
    "mobile-broadband-price": ("p2c:FA1", "p2c:FA4", "ap-is:P1"),
    "fixed-broadband-price": ("p2c:FA1", "p2c:FA4", "ap-is:P1"),
}


# "Similar Internet use": within this many percentage points of the country's latest share.
SIMILAR_POINTS = 10.0


SORTS = {
    "offline": _("offline people, most first"),
    "usd_per_offline": _("US$ per offline person, least first"),
    "pledges": _("pledges, most first"),
    "value": _("value pledged, most first"),
    "online": _("Internet use, lowest first"),
    "name": _("name"),
}


DEFAULT_SORT = "offline"


def usd_per_person(value_usd: Decimal, persons: float | None) -> Decimal | None:
    """US dollars pledged per offline person (None when nobody is counted offline or no estimate)."""
    if not persons or persons < 1:
        return None
    return (Decimal(value_usd) / Decimal(str(round(persons)))).quantize(Decimal("0.01"))


class GapError(ValueError):
    """A parameter of the gap view names no group or focus area; `field` says which."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Area:
    key: str  # initiative slug:code, e.g. p2c:FA1
    label: str
    node_ids: frozenset[int]  # the node and everything under it


def focus_areas() -> list[Area]:
    """The top-level nodes of every initiative's framework (P2C focus areas, AP-IS pillars), each
    with the ids of the nodes under it, in framework order. One query."""
    nodes = list(FrameworkNode.objects.select_related("initiative").order_by("initiative__name_en", "order", "code"))
    by_id = {node.pk: node for node in nodes}

    def top(node):
        while node.parent_id is not None and node.parent_id in by_id:
            node = by_id[node.parent_id]
        return node

    under: dict[int, set[int]] = defaultdict(set)
    for node in nodes:
        under[top(node).pk].add(node.pk)
    return [
        Area(f"{node.initiative.slug}:{node.code}", f"{node.initiative.short_name} {node.code} {node.name}", frozenset(under[node.pk]))
        for node in nodes if node.parent_id is None
    ]


@dataclass(frozen=True)
class GapRow:
    country: Country
    offline: "aggregates.OfflineRow"
    pledges: int
    value_usd: Decimal
    usd_per_offline: Decimal | None
    flagged: bool = False


@dataclass(frozen=True)
class Quoted:
    """Where the figures of a column come from: the source and the editions of the values used."""

    label: str
    source: str
    editions: list[str]


@dataclass(frozen=True)
class GapTable:
    as_of: AsOf
    group: "aggregates.GroupRef"
    area: Area | None
    rows: list[GapRow]  # sorted
    without_data: int  # countries of the group with no offline estimate, left out
    median_offline: float | None
    quartile_usd: Decimal | None  # first quartile of US$ per offline person
    sources: list[Quoted] = ()  # Internet use, then population

    @property
    def flagged(self) -> list[GapRow]:
        return [row for row in self.rows if row.flagged]

    @property
    def offline_total(self) -> float:
        return sum(row.offline.offline for row in self.rows)


def group_ref(code: str | None) -> "aggregates.GroupRef":
    """The group `code` names (blank: the world). Raises GapError on the `group` field."""
    refs = {ref.code: ref for ref in aggregates.group_choices()}
    code = (code or aggregates.WORLD).strip()
    if code not in refs:
        raise GapError("group", _("Unknown group “%(code)s” in the parameter “group”: choose one from the list, such as LDC or ITU-AFR.")
                       % {"code": code[:40]})
    return refs[code]


def area_of(key: str | None, areas: list[Area]) -> Area | None:
    """The focus area `key` names (blank: all). Raises GapError on the `area` field."""
    if not key:
        return None
    for area in areas:
        if area.key == key:
            return area
    raise GapError("area", _("Unknown focus area “%(key)s” in the parameter “area”: choose one from the list, such as p2c:FA1.")
                   % {"key": key[:40]})


def _quantile(values: list, q: float):
    """The q-quantile (0..1) by linear interpolation between closest ranks (as numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    if isinstance(ordered[0], Decimal):
        return (ordered[low] + (ordered[high] - ordered[low]) * Decimal(str(fraction))).quantize(Decimal("0.01"))
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


def _sort_key(sort: str):
    return {
        "offline": lambda row: (-row.offline.offline, row.country.name),
        "usd_per_offline": lambda row: (row.usd_per_offline is None, row.usd_per_offline or ZERO, -row.offline.offline),
        "pledges": lambda row: (-row.pledges, -row.offline.offline),
        "value": lambda row: (-row.value_usd, -row.offline.offline),
        "online": lambda row: (row.offline.share_online, row.country.name),
        "name": lambda row: (fold(row.country.name),),
    }[sort]


def gap_table(*, as_of: AsOf, group: "aggregates.GroupRef", area: Area | None, sort: str = DEFAULT_SORT) -> GapTable:
    """Every country of `group` (on `as_of`'s date; the world: every country) with an offline
    estimate, the pledges naming it as of `as_of` (in `area` when given), US$ per offline person
    and the gap flag (see the module's docstring), sorted by `sort` (a key of SORTS).

    A handful of queries: the stored tallies, the members, the offline estimates, the countries.
    """
    tallies = tallies_for(as_of)
    counted = tallies.of("country") if area is None else {
        code.split("/", 1)[1]: tally for code, tally in tallies.of("focus-area-country").items()
        if code.split("/", 1)[0] == area.key
    }
    offline = aggregates.country_offline(as_of=held_at(as_of))
    if group.code == aggregates.WORLD:
        members = None
    else:
        members = set(CountryGroupMembership.objects.as_of(as_of.date).filter(group__code=group.code)
                      .values_list("country_id", flat=True))
    wanted = set(offline) if members is None else members & set(offline)
    countries = Country.objects.in_bulk(sorted(wanted))
    rows = []
    for country_id, country in countries.items():
        tally = counted.get(country.iso3, Tally())
        rows.append(GapRow(country, offline[country_id], tally.pledges, tally.value_usd,
                           usd_per_person(tally.value_usd, offline[country_id].offline)))
    median = _quantile([row.offline.offline for row in rows], 0.5)
    quartile = _quantile([row.usd_per_offline for row in rows if row.usd_per_offline is not None], 0.25)
    rows = [
        replace(row, flagged=(
            median is not None and quartile is not None and row.usd_per_offline is not None
            and row.offline.offline > median and row.usd_per_offline <= quartile
        ))
        for row in rows
    ]
    without = 0 if members is None else len(members - set(offline))
    return GapTable(as_of, group, area, sorted(rows, key=_sort_key(sort if sort in SORTS else DEFAULT_SORT)),
                    without, median, quartile, _quoted(rows, as_of))


def short_source(name: str) -> str:
    """A source's name without its parenthesis: "ITU DataHub (World Telecommunication/ICT
    Indicators Database)" → "ITU DataHub"; the full name is on the indicator's source link."""
    return name.split(" (")[0].strip()


def _quoted(rows: list[GapRow], as_of: AsOf) -> list[Quoted]:
    """The sources and editions of the Internet-use and population values the rows use."""
    pairs = {(row.country.pk, row.offline.year) for row in rows}
    quoted = []
    for label, code in ((_("Internet use"), aggregates.OFFLINE_INDICATOR), (_("Population"), POPULATION)):
        indicator, source = indicator_resolve(code)
        if source is not None:
            editions = editions_held(indicator=indicator, source=source, pairs=pairs, as_of=held_at(as_of))
            quoted.append(Quoted(label, short_source(source.name), editions))
    return quoted


def group_options() -> list[tuple[str, list["aggregates.GroupRef"]]]:
    """The groups the view offers, by kind (the world first), for a <select> with optgroups."""

    kinds: dict[str, list] = defaultdict(list)
    for ref in aggregates.group_choices():
        kinds[ref.kind].append(ref)
    order = [kind for kind in kinds if kind not in KIND_PLURAL] + [kind for kind in CountryGroup.Kind.values if kind in kinds]
    return [(str(KIND_PLURAL.get(kind, _("World"))), kinds[kind]) for kind in order]


@dataclass(frozen=True)
class Partner:
    """An entity whose published pledges serve countries comparable to the one profiled, in
    the focus areas where that country is behind."""

    entity: Entity
    pledges: int
    value_usd: Decimal
    countries: list[Country]  # the comparable countries its pledges name, most named first
    areas: list[Area]  # the gap's focus areas its pledges work in
    already_here: bool  # it already has a published pledge naming the profiled country


@dataclass(frozen=True)
class Approach:
    """The partners to approach for one country, and how they were found."""

    rule: str  # which countries count as comparable, in words
    areas: list[Area]  # the focus areas searched
    from_gap: bool  # the areas are those of the indicators behind (else every focus area)
    partners: list[Partner]


def comparable_countries(*, country: Country, as_of: AsOf, offline: dict) -> tuple[set[int], str]:
    """Countries in the same ITU region or income group as `country` on `as_of`'s date, with
    an Internet use within SIMILAR_POINTS of its own when both are known; and the rule in words."""
    kinds = (CountryGroup.Kind.ITU_REGION, CountryGroup.Kind.INCOME_GROUP)
    memberships = CountryGroupMembership.objects.as_of(as_of.date)
    groups = memberships.filter(country=country, group__kind__in=kinds).values("group_id")
    peers = set(memberships.filter(group_id__in=groups).values_list("country_id", flat=True))
    peers.discard(country.pk)
    own = offline.get(country.pk)
    if own is None:
        return peers, str(_("in the same ITU region or income group"))
    low, high = max(own.share_online - SIMILAR_POINTS, 0), min(own.share_online + SIMILAR_POINTS, 100)
    similar = {pk for pk in peers if pk in offline and low <= offline[pk].share_online <= high}
    return similar, str(_("in the same ITU region or income group, with %(low)s–%(high)s%% of people online") % {
        "low": round(low), "high": round(high)})


def partners_to_approach(*, country: Country, as_of: AsOf, offline: dict, behind: list[str], limit: int = 5) -> Approach:
    """Entities (lead or partner) ranked by their published pledges, as of `as_of`, that name a
    country comparable to `country` (see comparable_countries) and work in a focus area of the
    indicators where `country` is behind (INDICATOR_AREAS; every focus area when none is behind).
    Entities not yet pledging for `country` come first; then more such pledges, then the larger
    pledged value. Three queries over the registry, ranked and limited by the database; kept in
    Django's cache until anything the registry's figures read changes (`daily.registry_stamp`).
    """
    key = (f"partners:{country.pk}:{as_of.date}:{int(as_of.is_today)}:{get_language()}:{','.join(sorted(behind))}"
           f":{limit}:{registry_stamp()}")
    found = cache.get(key)
    if found is None:
        found = _partners_rank(country=country, as_of=as_of, offline=offline, behind=behind, limit=limit)
        cache.set(key, found, 24 * 3600)
    return found


def _partners_rank(*, country: Country, as_of: AsOf, offline: dict, behind: list[str], limit: int) -> Approach:
    peers, rule = comparable_countries(country=country, as_of=as_of, offline=offline)
    areas = focus_areas()
    keys = {key for code in behind for key in INDICATOR_AREAS.get(code, ())}
    wanted = [area for area in areas if area.key in keys] or areas
    area_of = {node: area.key for area in wanted for node in area.node_ids}
    if not peers or not area_of:
        return Approach(rule, wanted, wanted is not areas, [])
    sql = registry_sql(as_of)
    countries, nodes = link_table("beneficiary_countries"), link_table("framework_nodes")
    peer_list, node_list = ", ".join(["%s"] * len(peers)), ", ".join(["%s"] * len(area_of))
    # The pledges naming a comparable country in a wanted area, then every entity leading or
    # partnering one of them, and the entities already pledging for the country.
    extra = [
        (f"hits AS (SELECT p.id, p.value_usd, p.lead_entity_id, p.history_id FROM p"
         f" WHERE p.history_id IN (SELECT history_id FROM {countries} WHERE country_id IN ({peer_list}))"
         f" AND p.history_id IN (SELECT history_id FROM {nodes} WHERE frameworknode_id IN ({node_list})))",
         [*sorted(peers), *sorted(area_of)]),
        ("involved AS (SELECT lead_entity_id AS entity_id, id, value_usd, history_id FROM hits"
         " UNION SELECT pp.entity_id, hits.id, hits.value_usd, hits.history_id FROM hits JOIN pp ON pp.pledge_id = hits.id)", []),
        (f"here AS (SELECT p.id, p.lead_entity_id FROM p WHERE p.history_id IN"
         f" (SELECT history_id FROM {countries} WHERE country_id = %s))", [country.pk]),
        ("present AS (SELECT lead_entity_id AS entity_id FROM here"
         " UNION SELECT pp.entity_id FROM pp WHERE pp.pledge_id IN (SELECT id FROM here))", []),
    ]
    ranked = sql.rows(
        "SELECT involved.entity_id, COUNT(*), SUM(value_usd), MAX(CASE WHEN present.entity_id IS NULL THEN 0 ELSE 1 END)"
        " AS known FROM involved LEFT JOIN present ON present.entity_id = involved.entity_id"
        " GROUP BY involved.entity_id ORDER BY known, COUNT(*) DESC, COALESCE(SUM(value_usd), 0) DESC, involved.entity_id"
        " LIMIT %s", [limit], ctes=("p", "pp"), extra=extra,
    )
    if not ranked:
        return Approach(rule, wanted, wanted is not areas, [])
    top = [row[0] for row in ranked]
    top_list = ", ".join(["%s"] * len(top))
    named = sql.rows(
        f"SELECT involved.entity_id, l.country_id, COUNT(*) FROM involved JOIN {countries} l"
        f" ON l.history_id = involved.history_id WHERE l.country_id IN ({peer_list}) AND involved.entity_id IN ({top_list})"
        " GROUP BY involved.entity_id, l.country_id", [*sorted(peers), *top], ctes=("p", "pp"), extra=extra,
    )
    worked = sql.rows(
        f"SELECT DISTINCT involved.entity_id, l.frameworknode_id FROM involved JOIN {nodes} l"
        f" ON l.history_id = involved.history_id WHERE l.frameworknode_id IN ({node_list}) AND involved.entity_id IN ({top_list})",
        [*sorted(area_of), *top], ctes=("p", "pp"), extra=extra,
    )
    by_entity: dict[int, dict] = {pk: {"countries": {}, "areas": set()} for pk in top}
    for entity_id, country_id, pledges in named:
        by_entity[entity_id]["countries"][country_id] = pledges
    for entity_id, node_id in worked:
        by_entity[entity_id]["areas"].add(area_of[node_id])
    entities = Entity.objects.in_bulk(top)
    names = Country.objects.in_bulk({c for entry in by_entity.values() for c in entry["countries"]})
    return Approach(rule, wanted, wanted is not areas, [
        Partner(
            entities[pk], pledges, money(value),
            [names[c] for c, _n in sorted(by_entity[pk]["countries"].items(), key=lambda kv: (-kv[1], names[kv[0]].name))],
            [area for area in areas if area.key in by_entity[pk]["areas"]], bool(known),
        )
        for pk, pledges, value, known in ranked if pk in entities
    ])


def write_gap_csv(table: GapTable, *, stream) -> None:
    """Every row of the gap table (not only one page), stamped with the group, focus area and
    as-of date of its pledges; the offline estimate's year and whether it was imputed."""
    writer = SafeCsvWriter(stream)
    writer.writerow([
        "iso3", "iso_numeric", "country", "offline_persons", "population", "internet_use_percent", "data_year",
        "imputed", "pledges", "value_usd", "usd_per_offline_person", "flagged", "group", "focus_area", "as_of",
    ])
    for row in table.rows:
        writer.writerow([
            row.country.iso3, row.country.numeric, row.country.name, round(row.offline.offline), round(row.offline.population),
            f"{row.offline.share_online:.2f}", row.offline.year, int(row.offline.imputed), row.pledges, f"{row.value_usd:.2f}",
            "" if row.usd_per_offline is None else f"{row.usd_per_offline:.2f}", int(row.flagged), table.group.code,
            table.area.key if table.area else "", table.as_of.date.isoformat(),
        ])
