"""The public explorer's reads: parse its filters, filter published pledges, count facets.

Multi-valued filters are OR within a facet and AND across facets. A facet's counts are the
published pledges per value given every OTHER active filter (classic faceting), so ticking a
value never makes the other values of the same facet vanish. Each facet costs one query for
its values and one GROUP BY for its counts; the page of results costs three more (count, rows,
beneficiary countries), whatever its length. Membership filters go through IN subqueries on
the link tables, so no join multiplies rows and no count needs DISTINCT over the whole registry.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    CountryGroupMembership,
    FrameworkNode,
    Initiative,
    SdgGoal,
    SdgTarget,
    WsisActionLine,
)

from .models import Campaign, Entity, Pledge
from .reporting import ReportingStatus
from .reporting_selectors import pledge_annotate_reporting_status
from .search import pledge_search, search_ranks, search_terms
from .selectors import pledge_list_published

PAGE_SIZE = 25
# Values shown before the rest of a long facet folds away under "more".
FACET_VISIBLE = 8
REGION_KINDS = (
    CountryGroup.Kind.ITU_REGION, CountryGroup.Kind.UN_REGION, CountryGroup.Kind.UN_SUBREGION,
    CountryGroup.Kind.ESCAP_SUBREGION,
)
GROUP_KINDS = (CountryGroup.Kind.DEVELOPMENT, CountryGroup.Kind.INCOME_GROUP, CountryGroup.Kind.ESCAP_MEMBERSHIP)
KIND_LABELS = {
    CountryGroup.Kind.ITU_REGION: gettext_lazy("ITU-D regions"),
    CountryGroup.Kind.UN_REGION: gettext_lazy("UN regions"),
    CountryGroup.Kind.UN_SUBREGION: gettext_lazy("UN sub-regions"),
    CountryGroup.Kind.ESCAP_SUBREGION: gettext_lazy("ESCAP subregions"),
    CountryGroup.Kind.DEVELOPMENT: gettext_lazy("Development status"),
    CountryGroup.Kind.INCOME_GROUP: gettext_lazy("Income groups"),
    CountryGroup.Kind.ESCAP_MEMBERSHIP: gettext_lazy("ESCAP membership"),
}
SORTS = {
    "newest": (gettext_lazy("Newest first"), (F("published_at").desc(), F("id").desc())),
    "oldest": (gettext_lazy("Oldest first"), (F("published_at").asc(), F("id").asc())),
    "value_desc": (gettext_lazy("Highest value first"), (F("value_usd").desc(nulls_last=True), F("id").desc())),
    "value_asc": (gettext_lazy("Lowest value first"), (F("value_usd").asc(nulls_last=True), F("id").asc())),
    "title": (gettext_lazy("Title, A to Z"), (Lower("title").asc(), F("id").asc())),
    "relevance": (gettext_lazy("Best match"), ()),  # ordered by `search.search_ranks`, see explorer_search
}

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
    options: Callable[["_Context"], list[Option]]
    narrow: Callable[["_Context", QuerySet, list[str]], QuerySet]
    count: Callable[["_Context", QuerySet], dict[str, int]]
    by_count: bool = False  # long, flat lists read best most-used first


@dataclass
class _Context:
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


# --- initiative, campaign, type, stakeholder -------------------------------------------------

def _initiative_options(ctx):
    return [Option(i.slug, i.name) for i in Initiative.objects.order_by("name_en")]


def _campaign_options(ctx):
    return [Option(c.slug, c.name) for c in Campaign.objects.order_by("-start_date")]


def _choice_options(choices):
    return lambda ctx: [Option(value, str(label)) for value, label in choices]


# --- framework nodes: "slug:code"; a focus area matches its pillars too ----------------------

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


# --- WSIS action lines: a line matches its sub-lines too --------------------------------------

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


# --- countries, beneficiary groups, SDGs -----------------------------------------------------

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


# --- regions and groups: named as beneficiary region, or a member country benefits ------------

def _group_options(kinds):
    def options(ctx):
        groups = CountryGroup.objects.filter(kind__in=kinds).select_related("parent").order_by("kind", "order", "code")
        order = {kind: i for i, kind in enumerate(kinds)}
        rows = sorted(groups, key=lambda g: (order[g.kind], g.order, g.code))
        return [Option(g.code, g.name, str(KIND_LABELS[g.kind])) for g in rows]
    return options


def _narrow_groups(ctx, queryset, values):
    members = CountryGroupMembership.objects.as_of(ctx.today).filter(group__code__in=values)
    named = _through["beneficiary_regions"].objects.filter(countrygroup__code__in=values)
    reached = _through["beneficiary_countries"].objects.filter(country_id__in=members.values("country_id"))
    return queryset.filter(Q(pk__in=named.values("pledge_id")) | Q(pk__in=reached.values("pledge_id")))


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


# --- reporting status ------------------------------------------------------------------------

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
    _Facet("group", gettext_lazy("Country group"), _group_options(GROUP_KINDS), _narrow_groups, _group_counts(GROUP_KINDS)),
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


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


@dataclass
class ExplorerFilters:
    """What the visitor asked for, cleaned: only known values, valid numbers and dates."""

    q: str = ""
    values: dict[str, list[str]] = field(default_factory=dict)
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None
    sort: str = "newest"
    page: int = 1
    sort_given: bool = False
    default_sort: str = "newest"

    def pairs(self, *, drop: tuple[str, str] | None = None, page: int | None = None) -> list[tuple[str, str]]:
        """The filters as query-string pairs in a stable order (the shareable URL)."""
        pairs = [("q", self.q)] if self.q else []
        for name in FACET_NAMES:
            pairs += [(name, v) for v in self.values.get(name, []) if (name, v) != drop]
        for name in ("value_min", "value_max", "published_from", "published_to"):
            value = getattr(self, name)
            if value is not None and (name, "") != drop:
                pairs.append((name, str(value)))
        if self.sort_given:
            pairs.append(("sort", self.sort))
        if page and page > 1:
            pairs.append(("page", str(page)))
        return pairs

    def querystring(self, **kwargs) -> str:
        pairs = self.pairs(**kwargs)
        return "?" + urlencode(pairs) if pairs else "?"


@dataclass
class ExplorerResult:
    filters: ExplorerFilters
    errors: list[str]
    facets: list[FacetCounts]
    page: Page
    total: int
    as_of: datetime.datetime
    chips: list[Chip]
    sorts: list[tuple[str, str]]

    @property
    def previous_query(self) -> str:
        return self.filters.querystring(page=self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_query(self) -> str:
        return self.filters.querystring(page=self.page.number + 1) if self.page.has_next() else ""


def _parse_decimal(raw: str, name: str, errors: list[str]) -> Decimal | None:
    raw = raw.strip().replace(",", "").replace(" ", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        errors.append(_("%(filter)s: “%(value)s” is not an amount in US dollars; ignored.") % {"filter": name, "value": raw})
        return None
    return value


def _parse_date(raw: str, name: str, errors: list[str]) -> datetime.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        errors.append(_("%(filter)s: “%(value)s” is not a date (YYYY-MM-DD); ignored.") % {"filter": name, "value": raw})
        return None


def _parse(params, options: dict[str, list[Option]], errors: list[str]) -> ExplorerFilters:
    filters = ExplorerFilters(q=" ".join(params.get("q", "").split())[:200])
    for facet in FACETS:
        known = {o.value for o in options[facet.name]}
        chosen = []
        for raw in params.getlist(facet.name):
            value = raw.strip()
            if not value or value in chosen:
                continue
            if facet.name == "node" and value not in known:
                value = _node_by_code(value, options[facet.name], params.getlist("initiative")) or value
            if facet.name == "sdg" and value not in known and SdgTarget.objects.filter(code=value).exists():
                known.add(value)
            if value in known:
                chosen.append(value)
            else:
                errors.append(
                    _("%(filter)s: no such value “%(value)s”; ignored.") % {"filter": facet.legend, "value": value[:60]}
                )
        if chosen:
            filters.values[facet.name] = chosen
    filters.value_min = _parse_decimal(params.get("value_min", ""), _("Minimum value"), errors)
    filters.value_max = _parse_decimal(params.get("value_max", ""), _("Maximum value"), errors)
    if filters.value_min is not None and filters.value_max is not None and filters.value_min > filters.value_max:
        errors.append(_("Value range: the minimum is above the maximum; range ignored."))
        filters.value_min = filters.value_max = None
    filters.published_from = _parse_date(params.get("published_from", ""), _("Published from"), errors)
    filters.published_to = _parse_date(params.get("published_to", ""), _("Published until"), errors)
    if filters.published_from and filters.published_to and filters.published_from > filters.published_to:
        errors.append(_("Publication dates: the start is after the end; dates ignored."))
        filters.published_from = filters.published_to = None
    has_search = bool(search_terms(filters.q))
    sort = params.get("sort", "").strip()
    if sort and (sort not in SORTS or (sort == "relevance" and not has_search)):
        errors.append(_("Sort: no such order “%(value)s”; ignored.") % {"value": sort[:40]})
        sort = ""
    default = "relevance" if has_search else "newest"
    filters.sort, filters.default_sort = sort or default, default
    filters.sort_given = filters.sort != default  # the default stays out of the shareable address
    page = params.get("page", "1").strip()
    filters.page = int(page) if page.isdigit() and int(page) > 0 else 1
    return filters


def _node_by_code(code: str, options: list[Option], initiatives: list[str]) -> str | None:
    """A bare framework code ("FA1") within the chosen initiatives, or the only initiative that has it."""
    matches = [o.value for o in options if o.value.split(":", 1)[1] == code]
    if initiatives:
        matches = [m for m in matches if m.split(":", 1)[0] in initiatives]
    return matches[0] if len(matches) == 1 else None


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _narrow_ranges(queryset: QuerySet, filters: ExplorerFilters) -> QuerySet:
    if filters.value_min is not None:
        queryset = queryset.filter(value_usd__gte=filters.value_min)
    if filters.value_max is not None:
        queryset = queryset.filter(value_usd__lte=filters.value_max)
    if filters.published_from is not None:
        queryset = queryset.filter(published_at__gte=_moment(filters.published_from))
    if filters.published_to is not None:
        queryset = queryset.filter(published_at__lt=_moment(filters.published_to + datetime.timedelta(days=1)))
    return queryset


def _chips(filters: ExplorerFilters, labels: dict[str, dict[str, str]]) -> list[Chip]:
    chips = []
    if filters.q:
        chips.append(Chip(_("Search: %(q)s") % {"q": filters.q}, filters.querystring(drop=("q", filters.q))))
    legends = {facet.name: facet.legend for facet in FACETS}
    for name in FACET_NAMES:
        for value in filters.values.get(name, []):
            label = labels[name].get(value, value)
            chips.append(Chip(f"{legends[name]}: {label}", filters.querystring(drop=(name, value))))
    for name, label in (
        ("value_min", _("At least")), ("value_max", _("At most")),
        ("published_from", _("Published from")), ("published_to", _("Published until")),
    ):
        if getattr(filters, name) is not None:
            chips.append(Chip(f"{label}: {getattr(filters, name)}", filters.querystring(drop=(name, ""))))
    return chips


def _facet_counts(facet: _Facet, options: list[Option], counts: dict[str, int], chosen: list[str]) -> FacetCounts:
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


def explorer_search(*, params, today: datetime.date | None = None, page_size: int | None = None) -> ExplorerResult:
    """The explorer's page for GET `params`: published pledges narrowed by every valid filter,
    sorted and paginated, with facet counts, removable chips and a message per ignored value.

    Rows carry `reporting_status` and `countries` (beneficiary countries, by name); lead
    entity, initiative and currency are joined. A constant number of queries (about two per
    facet and three for the page), whatever the page size.
    """
    today = today or timezone.localdate()
    ctx = _Context(today=today)
    errors: list[str] = []
    options = {facet.name: facet.options(ctx) for facet in FACETS}
    filters = _parse(params, options, errors)

    base = pledge_list_published()
    if search_terms(filters.q):
        base = pledge_search(base, filters.q)
    base = _narrow_ranges(base, filters)

    def narrowed(queryset, *, skip: str | None = None):
        for facet in FACETS:
            chosen = filters.values.get(facet.name)
            if chosen and facet.name != skip:
                queryset = facet.narrow(ctx, queryset, chosen)
        return queryset

    facets = [
        _facet_counts(facet, options[facet.name], facet.count(ctx, narrowed(base, skip=facet.name)),
                      filters.values.get(facet.name, []))
        for facet in FACETS
    ]

    results = narrowed(base)
    if "status" not in filters.values:
        results = pledge_annotate_reporting_status(results, today=today)
    results = results.prefetch_related(
        Prefetch("beneficiary_countries", queryset=Country.objects.order_by("name_en"), to_attr="countries")
    )
    if filters.sort == "relevance":
        # Ranks come from one full-text query; the filtered ids are sorted by them here and only
        # the page's pledges are read (a rank per row in SQL costs a full-text match per row).
        ranks = search_ranks(filters.q)
        ids = sorted(results.order_by().values_list("pk", flat=True), key=lambda pk: (-ranks.get(pk, 0.0), -pk))
        paginator = Paginator(ids, page_size or PAGE_SIZE)
        page = paginator.get_page(filters.page)
        rows = {pledge.pk: pledge for pledge in results.filter(pk__in=list(page.object_list))}
        page.object_list = [rows[pk] for pk in page.object_list]
    else:
        paginator = Paginator(results.order_by(*SORTS[filters.sort][1]), page_size or PAGE_SIZE)
        page = paginator.get_page(filters.page)
    filters.page = page.number
    for pledge in page.object_list:
        status = pledge.reporting_status
        pledge.reporting_label = ReportingStatus(status).label if status else ""

    labels = {facet.name: {o.value: o.label for o in options[facet.name]} for facet in FACETS}
    sorts = [(key, str(label)) for key, (label, _order) in SORTS.items() if key != "relevance" or search_terms(filters.q)]
    return ExplorerResult(
        filters=filters,
        errors=errors,
        facets=facets,
        page=page,
        total=paginator.count,
        as_of=timezone.now(),
        chips=_chips(filters, labels),
        sorts=sorts,
    )
