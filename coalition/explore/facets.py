"""The explorer's facets: where each facet's values come from, how it narrows the published
pledges, and how its counts are taken.

Multi-valued filters are OR within a facet and AND across facets. A facet's counts are the
published pledges per value given every OTHER active filter (classic faceting), so ticking a
value never makes the other values of the same facet vanish. Each facet costs one query for
its values and one GROUP BY for its counts. Membership filters go through IN subqueries on the
link tables, so no join multiplies rows and no count needs DISTINCT over the whole registry.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coalition.common.asof import as_of_now
from coalition.entities.models import Entity
from coalition.explore.daily import tallies_for
from coalition.explore.registry import LiveRegistry
from coalition.explore.tallies import Scope, Tallies
from coalition.pledges.models import Campaign, Pledge
from coalition.reference.groups import CLASSIFICATION_KINDS, KIND_PLURAL, REGION_KINDS, group_label
from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    CountryGroupMembership,
    FrameworkNode,
    Initiative,
    SdgGoal,
    WsisActionLine,
)
from coalition.reporting.selectors import pledge_annotate_reporting_status, pledge_count_by_reporting_status
from coalition.reporting.status import ReportingStatus, status_since

# Values shown before the rest of a long facet folds away under "more".
FACET_VISIBLE = 8


_through = {name: Pledge._meta.get_field(name).remote_field.through for name in (
    "framework_nodes", "beneficiary_countries", "beneficiary_regions", "beneficiary_groups", "sdg_targets", "wsis_lines",
)}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    section: str = ""
    depth: int = 0


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    section: str = ""
    depth: int = 0
    input_id: str = ""


@dataclass(frozen=True)
class FacetCounts:
    name: str
    legend: str
    values: list[FacetValue]
    hidden: list[FacetValue]

    @property
    def selected_count(self) -> int:
        return sum(1 for v in [*self.values, *self.hidden] if v.selected)


@dataclass
class _Facet:
    """One facet: where its values come from, how it narrows the pledges, how it is counted."""

    name: str
    legend: str
    options: Callable[["FacetContext"], list[Option]]
    narrow: Callable[["FacetContext", QuerySet, list[str]], QuerySet]
    count: Callable[["FacetContext", QuerySet], dict[str, int]]
    by_count: bool = False  # long, flat lists read best most-used first
    column: str = ""  # a value of the pledge itself: counted with the other such facets in one GROUP BY
    exclusive: bool = False  # every pledge has exactly one value: its counts add up to the total
    tallied: tuple[str, ...] = ()  # the kinds of stored tally that hold its counts (`facets_tallied`)
    narrow_paged: Callable | None = None  # `narrow` for a list read a page at a time (`facets_narrow`)


@dataclass
class FacetContext:
    today: datetime.date
    extra: dict = field(default_factory=dict)


def _ids(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values("pk")


def _link_counts(link: str, key: str, *, distinct: bool = False):
    """Counts per value of a link table's `key`, over the pledges of the queryset."""
    def count(ctx, queryset):
        rows = (
            _through[link].objects.filter(pledge_id__in=_ids(queryset))
            .values(k=F(key)).annotate(n=Count("pledge_id", distinct=distinct)).order_by()
        )
        return {str(row["k"]): row["n"] for row in rows}
    return count


def _field_counts(path: str):
    def count(ctx, queryset):
        rows = queryset.order_by().values(k=F(path)).annotate(n=Count("pk"))
        return {str(row["k"]): row["n"] for row in rows if row["k"] is not None}
    return count


def _initiative_options(ctx):
    return [Option(i.slug, i.name) for i in Initiative.objects.order_by("name_en")]


def _campaign_options(ctx):
    return [Option(c.slug, c.name) for c in Campaign.objects.order_by("-start_date")]


def _choice_options(choices):
    return lambda ctx: [Option(value, str(label)) for value, label in choices]


def _node_options(ctx):
    nodes = list(FrameworkNode.objects.select_related("initiative").order_by("initiative__name_en", "order", "code"))
    ctx.extra["nodes"] = {f"{n.initiative.slug}:{n.code}": n for n in nodes}
    children = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered = []

    def walk(node, depth):
        ordered.append(Option(f"{node.initiative.slug}:{node.code}", f"{node.code} {node.name}", node.initiative.name, depth))
        for child in children.get(node.pk, []):
            walk(child, depth + 1)

    for node in children.get(None, []):
        walk(node, 0)
    return ordered


def _node_ids_with_children(nodes: list) -> set[int]:
    ids = {n.pk for n in nodes}
    ids |= set(FrameworkNode.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


def _narrow_nodes(ctx, queryset, values):
    ids = _node_ids_with_children([ctx.extra["nodes"][v] for v in values])
    return queryset.filter(pk__in=_through["framework_nodes"].objects.filter(frameworknode_id__in=ids).values("pledge_id"))


def _tree_counts(link: str, column: str, label: Callable):
    """Distinct pledges per node, a parent counting the pledges of its children too (the trees
    are two levels deep). A child's count is its links (one per pledge); a top node's is the
    distinct pledges linked to it or to one of its children. One query."""
    def count(ctx, queryset):
        links = _through[link].objects.filter(pledge_id__in=_ids(queryset))
        children = links.filter(**{f"{column}__parent__isnull": False}).values(k=F(column)).annotate(n=Count("pk"))
        tops = links.values(p=F("pledge_id"), k=Coalesce(f"{column}__parent_id", column)).distinct().order_by()
        children_sql, children_params = children.order_by().query.sql_with_params()
        tops_sql, tops_params = tops.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT children.k, children.n FROM ({children_sql}) children UNION ALL "
                f"SELECT pairs.k, COUNT(*) FROM ({tops_sql}) pairs GROUP BY pairs.k",
                [*children_params, *tops_params],
            )
            by_id = dict(cursor.fetchall())
        return {label(ctx, int(pk)): n for pk, n in by_id.items() if label(ctx, int(pk))}
    return count


def _node_label(ctx, pk):
    if "node_keys" not in ctx.extra:
        ctx.extra["node_keys"] = {n.pk: key for key, n in ctx.extra["nodes"].items()}
    return ctx.extra["node_keys"].get(pk)


def _wsis_options(ctx):
    lines = list(WsisActionLine.objects.order_by("order", "code"))
    ctx.extra["wsis"] = {line.code: line for line in lines}
    return [Option(line.code, f"{line.code} {line.title}", "", 1 if line.parent_id else 0) for line in lines]


def _narrow_wsis(ctx, queryset, values):
    lines = _through["wsis_lines"].objects.filter(
        Q(wsisactionline__code__in=values) | Q(wsisactionline__parent__code__in=values)
    )
    return queryset.filter(pk__in=lines.values("pledge_id"))


def _wsis_label(ctx, pk):
    if "wsis_keys" not in ctx.extra:
        ctx.extra["wsis_keys"] = {line.pk: code for code, line in ctx.extra["wsis"].items()}
    return ctx.extra["wsis_keys"].get(pk)


def _country_options(ctx):
    return [Option(c.iso3, c.name) for c in Country.objects.only("iso3", "name_en", "name_fr").order_by("name_en")]


def _narrow_countries(ctx, queryset, values):
    links = _through["beneficiary_countries"].objects.filter(country__iso3__in=values)
    return queryset.filter(pk__in=links.values("pledge_id"))


def _beneficiary_options(ctx):
    return [Option(g.code, g.name) for g in BeneficiaryGroup.objects.order_by("order")]


def _narrow_beneficiaries(ctx, queryset, values):
    links = _through["beneficiary_groups"].objects.filter(beneficiarygroup__code__in=values)
    return queryset.filter(pk__in=links.values("pledge_id"))


def _sdg_options(ctx):
    return [Option(str(g.number), str(g)) for g in SdgGoal.objects.order_by("number")]


def _narrow_sdgs(ctx, queryset, values):
    goals = [int(v) for v in values if v.isdigit()]
    targets = [v for v in values if not v.isdigit()]
    links = _through["sdg_targets"].objects.filter(Q(sdgtarget__goal__number__in=goals) | Q(sdgtarget__code__in=targets))
    return queryset.filter(pk__in=links.values("pledge_id"))


def _group_options(kinds):
    def options(ctx):
        groups = CountryGroup.objects.filter(kind__in=kinds).select_related("parent").order_by("kind", "order", "code")
        order = {kind: i for i, kind in enumerate(kinds)}
        rows = sorted(groups, key=lambda g: (order[g.kind], g.order, g.code))
        # Named with their classification, so that a chip reads "Region: Africa — ITU region".
        return [Option(g.code, group_label(g), str(KIND_PLURAL[g.kind])) for g in rows]
    return options


def _narrow_groups(ctx, queryset, values):
    return queryset.filter(LiveRegistry(as_of_now()).targeting_groups(values, ctx.today))


def _narrow_groups_paged(ctx, queryset, values):
    return queryset.filter(LiveRegistry(as_of_now()).targeting_groups_each(values, ctx.today))


_MASK_BITS = 62  # groups per counting query: one bit each in a signed 64-bit integer


def _group_counts(kinds):
    """Distinct pledges per group, over both routes (group named, or a member country reached).

    Each group is a bit; each country's mask holds the bits of the groups it belonged to on the
    day, each named region its own bit. One query ORs the masks of each pledge's links and
    returns how many pledges share each OR (a few hundred distinct masks), and the bits are
    added up here. Joining the links to the memberships instead multiplies every link by its
    country's memberships (seconds at 100,000 pledges), and reading the links into Python cost
    more than a second. Region and group facets over the same pledges share one query.
    """
    def count(ctx, queryset):
        counts = _groups_counted(ctx, queryset)
        wanted = ctx.extra["group_codes"][kinds]
        return {code: n for code, n in counts.items() if code in wanted}
    return count


def _groups_counted(ctx, queryset) -> dict[str, int]:
    ids = _ids(queryset)
    key = str(ids.query)
    cache = ctx.extra.setdefault("group_counts", {})
    if key in cache:
        return cache[key]
    kinds = (*REGION_KINDS, *CLASSIFICATION_KINDS)
    groups = list(CountryGroup.objects.filter(kind__in=kinds).order_by("pk").values_list("pk", "code", "kind"))
    ctx.extra["group_codes"] = {
        family: {code for _pk, code, kind in groups if kind in family} for family in (REGION_KINDS, CLASSIFICATION_KINDS)
    }
    members = list(CountryGroupMembership.objects.as_of(ctx.today).filter(group__kind__in=kinds).values_list(
        "country_id", "group_id"
    ))
    counts: dict[str, int] = {}
    for start in range(0, len(groups), _MASK_BITS):
        chunk = groups[start:start + _MASK_BITS]
        bit = {pk: 1 << index for index, (pk, _code, _kind) in enumerate(chunk)}
        country_masks: dict[int, int] = {}
        for country_id, group_id in members:
            if group_id in bit:
                country_masks[country_id] = country_masks.get(country_id, 0) | bit[group_id]
        by_bit = [0] * len(chunk)
        for mask, pledges in _mask_counts(ids, country_masks, bit):
            while mask:
                low = mask & -mask
                by_bit[low.bit_length() - 1] += pledges
                mask ^= low
        counts.update((code, n) for (_pk, code, _kind), n in zip(chunk, by_bit, strict=True) if n)
    cache[key] = counts
    return counts


def _mask_counts(ids: QuerySet, country_masks: dict[int, int], group_masks: dict[int, int]) -> list[tuple[int, int]]:
    """[(OR of a pledge's link masks, pledges with that OR)] over the pledges `ids` selects."""
    if not country_masks and not group_masks:
        return []
    ids_sql, ids_params = ids.query.sql_with_params()
    countries, regions = (Pledge._meta.get_field(name).remote_field.through._meta.db_table
                          for name in ("beneficiary_countries", "beneficiary_regions"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(*_bit_or_sql(ids_sql, ids_params, countries, regions, country_masks, group_masks))
            return [(int(mask), n) for mask, n in cursor.fetchall() if mask]
        # SQLite has no BIT_OR (one MAX per bit costs seconds) and scans a CTE for every row it
        # joins: the links are read as they are and their masks ORed here.
        cursor.execute(
            f"SELECT pledge_id, country_id, 0 FROM {countries} WHERE pledge_id IN ({ids_sql}) UNION ALL "
            f"SELECT pledge_id, countrygroup_id, 1 FROM {regions} WHERE pledge_id IN ({ids_sql})",
            [*ids_params, *ids_params],
        )
        by_route = (country_masks, group_masks)
        per_pledge: dict[int, int] = {}
        for pledge_id, key, route in cursor.fetchall():
            mask = by_route[route].get(key)
            if mask:
                per_pledge[pledge_id] = per_pledge.get(pledge_id, 0) | mask
    return list(Counter(per_pledge.values()).items())


def _bit_or_sql(ids_sql, ids_params, countries, regions, country_masks, group_masks) -> tuple[str, list]:
    """PostgreSQL: the masks as two VALUES lists joined to the links, ORed per pledge, counted per OR.
    The pledges' subquery comes twice rather than once in a CTE: PostgreSQL cannot estimate a
    CTE's rows, and then probes the links one pledge at a time."""
    def values(masks: dict[int, int]) -> tuple[str, list[int]]:
        rows = sorted(masks.items()) or [(0, 0)]  # a row that matches no link: VALUES cannot be empty
        return ", ".join(["(%s, CAST(%s AS BIGINT))"] * len(rows)), [v for row in rows for v in row]

    (country_sql, country_params), (group_sql, group_params) = values(country_masks), values(group_masks)
    sql = (
        f"WITH country_mask(key, mask) AS (VALUES {country_sql}), group_mask(key, mask) AS (VALUES {group_sql}) "
        "SELECT pledge_mask, COUNT(*) FROM (SELECT links.pledge_id, BIT_OR(links.mask) AS pledge_mask FROM ("
        f"SELECT l.pledge_id, m.mask FROM {countries} l JOIN country_mask m ON m.key = l.country_id "
        f"WHERE l.pledge_id IN ({ids_sql}) UNION ALL "
        f"SELECT r.pledge_id, m.mask FROM {regions} r JOIN group_mask m ON m.key = r.countrygroup_id "
        f"WHERE r.pledge_id IN ({ids_sql})) links GROUP BY links.pledge_id) per_pledge GROUP BY pledge_mask"
    )
    return sql, [*country_params, *group_params, *ids_params, *ids_params]


def _narrow_status(ctx, queryset, values):
    return pledge_annotate_reporting_status(queryset, today=ctx.today).filter(reporting_status__in=values)


def _status_counts(ctx, queryset):
    return pledge_count_by_reporting_status(queryset, today=ctx.today)


def _narrow_field(lookup):
    return lambda ctx, queryset, values: queryset.filter(**{lookup: values})


_LEADS_LISTED = 10_000  # lead entities named in a list's query at most (SQLite allows 32,766 values)


def _narrow_stakeholders_paged(ctx, queryset, values):
    # The lead entities' ids read first (4,545 private companies at a million pledges), so that
    # a list walked in order tests each pledge's own column before any other facet's costlier
    # test of its links. More than that many entities: the join, as counts use.
    leads = list(Entity.objects.filter(entity_type__in=values).values_list("pk", flat=True)[:_LEADS_LISTED + 1])
    if len(leads) > _LEADS_LISTED:
        return queryset.filter(lead_entity__entity_type__in=values)
    return queryset.filter(lead_entity_id__in=leads)


FACETS = [
    _Facet("initiative", gettext_lazy("Initiative"), _initiative_options, _narrow_field("initiative__slug__in"),
           _field_counts("initiative__slug"), exclusive=True, column="initiative__slug", tallied=("initiative",)),
    _Facet("node", gettext_lazy("Focus area and pillar"), _node_options, _narrow_nodes,
           _tree_counts("framework_nodes", "frameworknode", _node_label), tallied=("focus-area", "pillar")),
    _Facet("type", gettext_lazy("Pledge type"), _choice_options(Pledge.Type.choices), _narrow_field("pledge_type__in"),
           _field_counts("pledge_type"), exclusive=True, column="pledge_type", tallied=("type",)),
    _Facet("stakeholder", gettext_lazy("Stakeholder type"), _choice_options(Entity.Type.choices),
           _narrow_field("lead_entity__entity_type__in"), _field_counts("lead_entity__entity_type"), column="lead_entity__entity_type",
           tallied=("stakeholder",), narrow_paged=_narrow_stakeholders_paged),
    _Facet("country", gettext_lazy("Beneficiary country"), _country_options, _narrow_countries,
           _link_counts("beneficiary_countries", "country__iso3"), by_count=True, tallied=("country",)),
    _Facet("region", gettext_lazy("Region"), _group_options(REGION_KINDS), _narrow_groups, _group_counts(REGION_KINDS),
           tallied=("group",), narrow_paged=_narrow_groups_paged),
    _Facet("group", gettext_lazy("Country group"), _group_options(CLASSIFICATION_KINDS), _narrow_groups,
           _group_counts(CLASSIFICATION_KINDS), tallied=("group",), narrow_paged=_narrow_groups_paged),
    _Facet("beneficiary", gettext_lazy("Beneficiary group"), _beneficiary_options, _narrow_beneficiaries,
           _link_counts("beneficiary_groups", "beneficiarygroup__code"), tallied=("beneficiary-group",)),
    _Facet("sdg", gettext_lazy("Sustainable Development Goal"), _sdg_options, _narrow_sdgs,
           _link_counts("sdg_targets", "sdgtarget__goal__number", distinct=True), tallied=("sdg",)),
    _Facet("wsis", gettext_lazy("WSIS action line"), _wsis_options, _narrow_wsis,
           _tree_counts("wsis_lines", "wsisactionline", _wsis_label), tallied=("wsis-rollup",)),
    _Facet("status", gettext_lazy("Reporting status"), _choice_options(ReportingStatus.choices), _narrow_status,
           _status_counts, tallied=("reporting-start",)),
    _Facet("campaign", gettext_lazy("Campaign or event"), _campaign_options, _narrow_field("campaign__slug__in"),
           _field_counts("campaign__slug"), by_count=True, column="campaign__slug", tallied=("campaign",)),
]


FACET_NAMES = [facet.name for facet in FACETS]


def facets_narrow(ctx: FacetContext, queryset: QuerySet, chosen: dict[str, list[str]], *, skip: str | None = None,
                  paged: bool = False) -> QuerySet:
    """`queryset` narrowed by every chosen facet value (OR within a facet, AND across), but `skip`'s.

    `paged`: the result is listed in order a page at a time rather than counted, and a facet
    with a way of testing one pledge at a time (`narrow_paged`) uses it, the same pledges."""
    for facet in FACETS:
        values = chosen.get(facet.name)
        if values and facet.name != skip:
            narrow = (facet.narrow_paged if paged else None) or facet.narrow
            queryset = narrow(ctx, queryset, values)
    return queryset


def facets_count(ctx: FacetContext, base: QuerySet, chosen: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """{facet: {value: pledges}}: for each facet, the pledges of `base` narrowed by every OTHER
    facet's chosen values, per value. The facets whose values are the pledge's own columns and
    that have no value chosen see the same pledges: one GROUP BY over their columns together
    (a few hundred combinations) counts them all. Every other facet costs one query."""
    counts: dict[str, dict[str, int]] = {facet.name: {} for facet in FACETS}
    together = [facet for facet in FACETS if facet.column and facet.name not in chosen]
    if together:
        columns = [facet.column for facet in together]
        rows = facets_narrow(ctx, base, chosen).order_by().values(*columns).annotate(n=Count("pk"))
        for row in rows:
            for facet in together:
                if row[facet.column] is not None:
                    key = str(row[facet.column])
                    counts[facet.name][key] = counts[facet.name].get(key, 0) + row["n"]
    for facet in FACETS:
        if facet not in together:
            counts[facet.name] = facet.count(ctx, facets_narrow(ctx, base, chosen, skip=facet.name))
    return counts


# Facets whose single chosen value names a place with stored tallies of its own.
_PLACE_FACETS = {"country", "region", "group"}


def facets_tallied(ctx: FacetContext, chosen: dict[str, list[str]]) -> tuple[dict[str, dict[str, int]], int] | None:
    """({facet: {value: pledges}}, pledges in the result) read from today's stored tallies, when
    the filters select the whole registry or one place (a country, region or group, nothing else):
    a query or two instead of a count per facet over the whole registry. None for any other
    filters, and on a day other than today (the explorer lists today's pledges).

    The tallies hold the same counts as `facets_count` by construction (the same categories over
    the registry as it stands now); the tests hold the two equal.
    """
    if ctx.today != timezone.localdate():
        return None
    place = None
    if chosen:
        if len(chosen) != 1:
            return None
        ((name, values),) = chosen.items()
        if name not in _PLACE_FACETS or len(values) != 1:
            return None
        place = _place_scope(name, values[0])
        if place is None:
            return None
    as_of = as_of_now()
    whole = tallies_for(as_of)
    here = whole if place is None else tallies_for(as_of, place)
    counts = {}
    for facet in FACETS:
        tallies = whole if chosen.get(facet.name) else here  # a facet's counts leave its own filter out
        counts[facet.name] = _from_tallies(ctx, facet, tallies)
    return counts, here.get("all").pledges


def _place_scope(name: str, value: str) -> Scope | None:
    if name == "country":
        country = Country.objects.filter(iso3=value).first()
        return Scope(country=country) if country is not None else None
    group = CountryGroup.objects.filter(code=value).first()
    return Scope(group=group) if group is not None else None


def _from_tallies(ctx: FacetContext, facet: _Facet, tallies: Tallies) -> dict[str, int]:
    if facet.name == "status":  # pledges per day their reporting clock started, bucketed as of today
        counts: dict[str, int] = {}
        for day, tally in tallies.of("reporting-start").items():
            status = status_since(datetime.date.fromisoformat(day), today=ctx.today)
            counts[status] = counts.get(status, 0) + tally.pledges
        return counts
    return {code: tally.pledges for kind in facet.tallied for code, tally in tallies.of(kind).items()}


def facet_total(counts: dict[str, dict[str, int]], chosen: dict[str, list[str]]) -> int:
    """The number of pledges in the result, from the counts of a facet in which every pledge has
    exactly one value (its counts exclude its own filter, so only its chosen values are added)."""
    facet = next(facet for facet in FACETS if facet.exclusive)
    by_value, values = counts[facet.name], chosen.get(facet.name)
    return sum(by_value.get(value, 0) for value in values) if values else sum(by_value.values())


def facet_counts(facet: _Facet, options: list[Option], counts: dict[str, int], chosen: list[str]) -> FacetCounts:
    values = [
        FacetValue(o.value, o.label, counts.get(o.value, 0), o.value in chosen, o.section, o.depth,
                   f"f-{facet.name}-{o.value}".replace(":", "-").replace(".", "-"))
        for o in options
        if counts.get(o.value) or o.value in chosen
    ]
    extra_chosen = [v for v in chosen if v not in {o.value for o in options}]
    values += [FacetValue(v, v, counts.get(v, 0), True, input_id=f"f-{facet.name}-{v}".replace(".", "-")) for v in extra_chosen]
    if facet.by_count:
        values.sort(key=lambda v: (not v.selected, -v.count, v.label))
    if len(values) > FACET_VISIBLE + 2:
        return FacetCounts(facet.name, str(facet.legend), values[:FACET_VISIBLE], values[FACET_VISIBLE:])
    return FacetCounts(facet.name, str(facet.legend), values, [])
