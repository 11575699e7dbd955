"""The explorer's facets: where each facet's values come from, how it narrows the published
pledges, and how its counts are taken.

Multi-valued filters are OR within a facet and AND across facets. A facet's counts are the
published pledges per value given every OTHER active filter (classic faceting), so ticking a
value never makes the other values of the same facet vanish. Each facet costs one query for
its values and one GROUP BY for its counts. Membership filters go through IN subqueries on the
link tables, so no join multiplies rows and no count needs DISTINCT over the whole registry.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy

from coalition.common.asof import as_of_now
from coalition.entities.models import Entity
from coalition.explore.registry import LiveRegistry
from coalition.pledges.models import Campaign, Pledge
from coalition.reference.groups import CLASSIFICATION_KINDS, KIND_PLURAL, REGION_KINDS
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
from coalition.reporting.selectors import pledge_annotate_reporting_status
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


def _pair_counts(*pair_querysets: QuerySet) -> dict[str, int]:
    """Distinct pledges per key over the UNION of (p, k) pairs: one GROUP BY query."""
    union = pair_querysets[0].union(*pair_querysets[1:])
    sql, params = union.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pairs.k, COUNT(*) FROM ({sql}) pairs GROUP BY pairs.k", params)
        return {str(k): n for k, n in cursor.fetchall()}


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
    """Distinct pledges per node, a parent counting the pledges of its children too."""
    def count(ctx, queryset):
        links = _through[link].objects.filter(pledge_id__in=_ids(queryset))
        direct = links.annotate(p=F("pledge_id"), k=F(column)).values("p", "k")
        via_child = links.filter(**{f"{column}__parent__isnull": False}).annotate(
            p=F("pledge_id"), k=F(f"{column}__parent_id")
        ).values("p", "k")
        by_id = _pair_counts(direct, via_child)
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
    return [Option(c.iso3, c.name) for c in Country.objects.order_by("name_en")]


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
        return [Option(g.code, g.name, str(KIND_PLURAL[g.kind])) for g in rows]
    return options


def _narrow_groups(ctx, queryset, values):
    return queryset.filter(LiveRegistry(as_of_now()).targeting_groups(values, ctx.today))


def _group_counts(kinds):
    """Distinct pledges per group, over both routes (group named, or a member country reached).

    Done in Python over the (pledge, country) links: a UNION of pairs in SQL multiplies every
    link by the country's memberships and took seconds at 100,000 pledges. The links are read
    once for the region and the group facets when their other filters are the same.
    """
    def count(ctx, queryset):
        ids = _ids(queryset)
        key = str(ids.query)
        cache = ctx.extra.setdefault("country_links", {})
        if key not in cache:
            cache[key] = list(_through["beneficiary_countries"].objects.filter(pledge_id__in=ids).values_list(
                "pledge_id", "country_id"
            ))
        groups_of: dict[int, list[str]] = {}
        members = CountryGroupMembership.objects.as_of(ctx.today).filter(group__kind__in=kinds)
        for country_id, code in members.values_list("country_id", "group__code"):
            groups_of.setdefault(country_id, []).append(code)
        pairs = set(
            _through["beneficiary_regions"].objects.filter(pledge_id__in=ids, countrygroup__kind__in=kinds)
            .values_list("pledge_id", "countrygroup__code")
        )
        for pledge_id, country_id in cache[key]:
            for code in groups_of.get(country_id, ()):
                pairs.add((pledge_id, code))
        counts: dict[str, int] = {}
        for _pledge_id, code in pairs:
            counts[code] = counts.get(code, 0) + 1
        return counts
    return count


def _narrow_status(ctx, queryset, values):
    return pledge_annotate_reporting_status(queryset, today=ctx.today).filter(reporting_status__in=values)


def _status_counts(ctx, queryset):
    rows = (
        pledge_annotate_reporting_status(queryset.order_by(), today=ctx.today)
        .values("reporting_status").annotate(n=Count("pk")).order_by()
    )
    return {row["reporting_status"]: row["n"] for row in rows if row["reporting_status"]}


def _narrow_field(lookup):
    return lambda ctx, queryset, values: queryset.filter(**{lookup: values})


FACETS = [
    _Facet("initiative", gettext_lazy("Initiative"), _initiative_options, _narrow_field("initiative__slug__in"),
           _field_counts("initiative__slug")),
    _Facet("node", gettext_lazy("Focus area and pillar"), _node_options, _narrow_nodes,
           _tree_counts("framework_nodes", "frameworknode", _node_label)),
    _Facet("type", gettext_lazy("Pledge type"), _choice_options(Pledge.Type.choices), _narrow_field("pledge_type__in"),
           _field_counts("pledge_type")),
    _Facet("stakeholder", gettext_lazy("Stakeholder type"), _choice_options(Entity.Type.choices),
           _narrow_field("lead_entity__entity_type__in"), _field_counts("lead_entity__entity_type")),
    _Facet("country", gettext_lazy("Beneficiary country"), _country_options, _narrow_countries,
           _link_counts("beneficiary_countries", "country__iso3"), by_count=True),
    _Facet("region", gettext_lazy("Region"), _group_options(REGION_KINDS), _narrow_groups, _group_counts(REGION_KINDS)),
    _Facet("group", gettext_lazy("Country group"), _group_options(CLASSIFICATION_KINDS), _narrow_groups, _group_counts(CLASSIFICATION_KINDS)),
    _Facet("beneficiary", gettext_lazy("Beneficiary group"), _beneficiary_options, _narrow_beneficiaries,
           _link_counts("beneficiary_groups", "beneficiarygroup__code")),
    _Facet("sdg", gettext_lazy("Sustainable Development Goal"), _sdg_options, _narrow_sdgs,
           _link_counts("sdg_targets", "sdgtarget__goal__number", distinct=True)),
    _Facet("wsis", gettext_lazy("WSIS action line"), _wsis_options, _narrow_wsis,
           _tree_counts("wsis_lines", "wsisactionline", _wsis_label)),
    _Facet("status", gettext_lazy("Reporting status"), _choice_options(ReportingStatus.choices), _narrow_status,
           _status_counts),
    _Facet("campaign", gettext_lazy("Campaign or event"), _campaign_options, _narrow_field("campaign__slug__in"),
           _field_counts("campaign__slug"), by_count=True),
]


FACET_NAMES = [facet.name for facet in FACETS]


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
