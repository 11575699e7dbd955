"""The explorer's facets: where each facet's values come from, how it narrows the published
pledges, and how its counts are taken.

Multi-valued filters are OR within a facet and AND across facets. A facet's counts are the
published pledges per value given every OTHER active filter (classic faceting), so ticking a
value never makes the other values of the same facet vanish. Each facet costs one query for
its values and one GROUP BY for its counts. Membership filters go through IN subqueries on the
link tables, so no join multiplies rows and no count needs DISTINCT over the whole registry.

Every facet reads either registry (`registry.py`): today the live pledges and their link tables
(`LiveRegistry`), on a past day the pledge versions current at its end and the versions' link
tables, keyed by `history_id` (`HistoricalRegistry`), the lead entity's type and the reports as
they stood then. One definition per facet: only the tables named and the key differ
(`FacetContext.past`), so a past day's counts are the dashboard's tallies of that day.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coalition.common.asof import AsOf, as_of_now
from coalition.entities.models import Entity
from coalition.explore.daily import tallies_for
from coalition.explore.figures import reporting_statuses_from
from coalition.explore.registry import HistoricalRegistry, LiveRegistry, entity_versions, report_versions, version_links
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
from coalition.reporting.status import ReportingStatus

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
    """The day the facets describe. `as_of` a past day: they read the pledge versions current at
    its end (`past`); otherwise the live pledges, with memberships and statuses as of `today`."""

    today: datetime.date
    extra: dict = field(default_factory=dict)
    as_of: AsOf | None = None

    @property
    def past(self) -> bool:
        return self.as_of is not None and not self.as_of.is_today

    @property
    def registry(self):
        return HistoricalRegistry(self.as_of) if self.past else LiveRegistry(as_of_now())

    @property
    def key(self) -> str:
        """The pledges' column the link tables name: a pledge's id, or a version's."""
        return self.registry.key

    @property
    def link_key(self) -> str:
        """The link tables' column that names the pledge (or its version)."""
        return "history_id" if self.past else "pledge_id"

    def links(self, name: str):
        """The rows of the many-to-many link `name`: the live table, or the versions' one."""
        return version_links(name) if self.past else _through[name].objects

    def link_table(self, name: str) -> str:
        return self.links(name).model._meta.db_table

    def reports(self) -> dict:
        """The keyword that makes a reporting-status read take the reports as they stood then."""
        return {"reports": report_versions(self.as_of)} if self.past else {}


def _ids(ctx: FacetContext, queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values(ctx.key)


def _linked(ctx: FacetContext, queryset: QuerySet, name: str, condition: Q) -> QuerySet:
    """`queryset` narrowed to the pledges with a link through `name` matching `condition`."""
    return queryset.filter(**{f"{ctx.key}__in": ctx.links(name).filter(condition).values(ctx.link_key)})


def _link_counts(link: str, key: str, *, distinct: bool = False):
    """Counts per value of a link table's `key`, over the pledges of the queryset."""
    def count(ctx, queryset):
        rows = (
            ctx.links(link).filter(**{f"{ctx.link_key}__in": _ids(ctx, queryset)})
            .values(k=F(key)).annotate(n=Count(ctx.link_key, distinct=distinct)).order_by()
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
    return _linked(ctx, queryset, "framework_nodes", Q(frameworknode_id__in=ids))


def _tree_counts(link: str, column: str, label: Callable):
    """Distinct pledges per node, a parent counting the pledges of its children too (the trees
    are two levels deep). A child's count is its links (one per pledge); a top node's is the
    distinct pledges linked to it or to one of its children. One query."""
    def count(ctx, queryset):
        links = ctx.links(link).filter(**{f"{ctx.link_key}__in": _ids(ctx, queryset)})
        children = links.filter(**{f"{column}__parent__isnull": False}).values(k=F(column)).annotate(n=Count("pk"))
        tops = links.values(p=F(ctx.link_key), k=Coalesce(f"{column}__parent_id", column)).distinct().order_by()
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
    return _linked(ctx, queryset, "wsis_lines", Q(wsisactionline__code__in=values) | Q(wsisactionline__parent__code__in=values))


def _wsis_label(ctx, pk):
    if "wsis_keys" not in ctx.extra:
        ctx.extra["wsis_keys"] = {line.pk: code for code, line in ctx.extra["wsis"].items()}
    return ctx.extra["wsis_keys"].get(pk)


def _country_options(ctx):
    return [Option(c.iso3, c.name) for c in Country.objects.only("iso3", "name_en", "name_fr").order_by("name_en")]


def _narrow_countries(ctx, queryset, values):
    return _linked(ctx, queryset, "beneficiary_countries", Q(country__iso3__in=values))


def _beneficiary_options(ctx):
    return [Option(g.code, g.name) for g in BeneficiaryGroup.objects.order_by("order")]


def _narrow_beneficiaries(ctx, queryset, values):
    return _linked(ctx, queryset, "beneficiary_groups", Q(beneficiarygroup__code__in=values))


def _sdg_options(ctx):
    return [Option(str(g.number), str(g)) for g in SdgGoal.objects.order_by("number")]


def _narrow_sdgs(ctx, queryset, values):
    goals = [int(v) for v in values if v.isdigit()]
    targets = [v for v in values if not v.isdigit()]
    return _linked(ctx, queryset, "sdg_targets", Q(sdgtarget__goal__number__in=goals) | Q(sdgtarget__code__in=targets))


def _group_options(kinds):
    def options(ctx):
        groups = CountryGroup.objects.filter(kind__in=kinds).select_related("parent").order_by("kind", "order", "code")
        order = {kind: i for i, kind in enumerate(kinds)}
        rows = sorted(groups, key=lambda g: (order[g.kind], g.order, g.code))
        # Named with their classification, so that a chip reads "Region: Africa — ITU region".
        return [Option(g.code, group_label(g), str(KIND_PLURAL[g.kind])) for g in rows]
    return options


def _narrow_groups(ctx, queryset, values):
    return queryset.filter(ctx.registry.targeting_groups(values, ctx.today))


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
    ids = _ids(ctx, queryset)
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
        for mask, pledges in _mask_counts(ctx, ids, country_masks, bit):
            while mask:
                low = mask & -mask
                by_bit[low.bit_length() - 1] += pledges
                mask ^= low
        counts.update((code, n) for (_pk, code, _kind), n in zip(chunk, by_bit, strict=True) if n)
    cache[key] = counts
    return counts


def _mask_counts(ctx: FacetContext, ids: QuerySet, country_masks: dict[int, int], group_masks: dict[int, int]
                 ) -> list[tuple[int, int]]:
    """[(OR of a pledge's link masks, pledges with that OR)] over the pledges `ids` selects."""
    if not country_masks and not group_masks:
        return []
    ids_sql, ids_params = ids.query.sql_with_params()
    countries, regions = (ctx.link_table(name) for name in ("beneficiary_countries", "beneficiary_regions"))
    key = ctx.link_key
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(*_bit_or_sql(ids_sql, ids_params, countries, regions, country_masks, group_masks, key))
            return [(int(mask), n) for mask, n in cursor.fetchall() if mask]
        # SQLite has no BIT_OR (one MAX per bit costs seconds) and scans a CTE for every row it
        # joins: the links are read as they are and their masks ORed here.
        cursor.execute(
            f"SELECT {key}, country_id, 0 FROM {countries} WHERE {key} IN ({ids_sql}) UNION ALL "
            f"SELECT {key}, countrygroup_id, 1 FROM {regions} WHERE {key} IN ({ids_sql})",
            [*ids_params, *ids_params],
        )
        by_route = (country_masks, group_masks)
        per_pledge: dict[int, int] = {}
        for pledge_id, key, route in cursor.fetchall():
            mask = by_route[route].get(key)
            if mask:
                per_pledge[pledge_id] = per_pledge.get(pledge_id, 0) | mask
    return list(Counter(per_pledge.values()).items())


def _bit_or_sql(ids_sql, ids_params, countries, regions, country_masks, group_masks, key="pledge_id") -> tuple[str, list]:
    """PostgreSQL: the masks as two VALUES lists joined to the links, ORed per pledge, counted per OR.
    The pledges' subquery comes twice rather than once in a CTE: PostgreSQL cannot estimate a
    CTE's rows, and then probes the links one pledge at a time."""
    def values(masks: dict[int, int]) -> tuple[str, list[int]]:
        rows = sorted(masks.items()) or [(0, 0)]  # a row that matches no link: VALUES cannot be empty
        return ", ".join(["(%s, CAST(%s AS BIGINT))"] * len(rows)), [v for row in rows for v in row]

    (country_sql, country_params), (group_sql, group_params) = values(country_masks), values(group_masks)
    sql = (
        f"WITH country_mask(key, mask) AS (VALUES {country_sql}), group_mask(key, mask) AS (VALUES {group_sql}) "
        f"SELECT pledge_mask, COUNT(*) FROM (SELECT links.{key}, BIT_OR(links.mask) AS pledge_mask FROM ("
        f"SELECT l.{key}, m.mask FROM {countries} l JOIN country_mask m ON m.key = l.country_id "
        f"WHERE l.{key} IN ({ids_sql}) UNION ALL "
        f"SELECT r.{key}, m.mask FROM {regions} r JOIN group_mask m ON m.key = r.countrygroup_id "
        f"WHERE r.{key} IN ({ids_sql})) links GROUP BY links.{key}) per_pledge GROUP BY pledge_mask"
    )
    return sql, [*country_params, *group_params, *ids_params, *ids_params]


def _narrow_status(ctx, queryset, values):
    return pledge_annotate_reporting_status(queryset, today=ctx.today, **ctx.reports()).filter(reporting_status__in=values)


def _status_counts(ctx, queryset):
    return pledge_count_by_reporting_status(queryset, today=ctx.today, **ctx.reports())


def _narrow_field(lookup):
    return lambda ctx, queryset, values: queryset.filter(**{lookup: values})


_LEADS_LISTED = 10_000  # lead entities named in a list's query at most (SQLite allows 32,766 values)

# On a past day the lead entity's type is its version's then (as the tallies count it), read
# through this name: a subquery on the entity versions current at the day's end.
_LEAD_TYPE_THEN = "lead_type_then"


def _lead_types_then(ctx) -> QuerySet:
    return entity_versions(ctx.as_of)


def _narrow_stakeholders(ctx, queryset, values):
    if ctx.past:
        return queryset.filter(lead_entity_id__in=_lead_types_then(ctx).filter(entity_type__in=values).values("id"))
    return queryset.filter(lead_entity__entity_type__in=values)


def _with_lead_type_then(ctx, queryset):
    then = _lead_types_then(ctx).filter(id=OuterRef("lead_entity_id")).values("entity_type")[:1]
    return queryset.annotate(**{_LEAD_TYPE_THEN: Subquery(then)})


def _stakeholder_counts(ctx, queryset):
    if ctx.past:
        return _field_counts(_LEAD_TYPE_THEN)(ctx, _with_lead_type_then(ctx, queryset))
    return _field_counts("lead_entity__entity_type")(ctx, queryset)


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
           _narrow_stakeholders, _stakeholder_counts, column="lead_entity__entity_type",
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
           _status_counts, tallied=("standing",)),
    _Facet("campaign", gettext_lazy("Campaign or event"), _campaign_options, _narrow_field("campaign__slug__in"),
           _field_counts("campaign__slug"), by_count=True, column="campaign__slug", tallied=("campaign",)),
]


FACET_NAMES = [facet.name for facet in FACETS]


def facets_narrow(ctx: FacetContext, queryset: QuerySet, chosen: dict[str, list[str]], *, skip: str | None = None,
                  paged: bool = False) -> QuerySet:
    """`queryset` narrowed by every chosen facet value (OR within a facet, AND across), but `skip`'s.

    `paged`: the result is listed in order a page at a time rather than counted, and a facet
    with a way of testing one live pledge at a time (`narrow_paged`) uses it, the same pledges."""
    for facet in FACETS:
        values = chosen.get(facet.name)
        if values and facet.name != skip:
            narrow = (facet.narrow_paged if paged and not ctx.past else None) or facet.narrow
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
        narrowed = facets_narrow(ctx, base, chosen)
        column = {facet.name: facet.column for facet in together}
        if ctx.past and "stakeholder" in column:  # the lead's type as it stood then
            narrowed, column["stakeholder"] = _with_lead_type_then(ctx, narrowed), _LEAD_TYPE_THEN
        rows = narrowed.order_by().values(*column.values()).annotate(n=Count("pk"))
        for row in rows:
            for facet in together:
                if row[column[facet.name]] is not None:
                    key = str(row[column[facet.name]])
                    counts[facet.name][key] = counts[facet.name].get(key, 0) + row["n"]
    for facet in FACETS:
        if facet not in together:
            counts[facet.name] = facet.count(ctx, facets_narrow(ctx, base, chosen, skip=facet.name))
    return counts


# Facets whose single chosen value names a place with stored tallies of its own.
_PLACE_FACETS = {"country", "region", "group"}


def facets_tallied(ctx: FacetContext, chosen: dict[str, list[str]]) -> tuple[dict[str, dict[str, int]], int] | None:
    """({facet: {value: pledges}}, pledges in the result) read from the day's stored tallies (the
    dashboard's: today's, or those of the past day `ctx.as_of`), when the filters select the
    whole registry or one place (a country, region or group, nothing else): a query or two
    instead of a count per facet over the whole registry. None for any other filters, and for a
    context whose `today` is not today without a past `as_of`.

    The tallies hold the same counts as `facets_count` by construction (the same categories over
    the same registry); the tests hold the two equal, today and on past days.
    """
    if ctx.past:
        as_of = ctx.as_of
    elif ctx.today == timezone.localdate():
        as_of = as_of_now()
    else:
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
    if facet.name == "status":  # each pledge's reporting status on the tallies' day
        return {status: n for status, n in reporting_statuses_from(tallies).items() if n}
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
