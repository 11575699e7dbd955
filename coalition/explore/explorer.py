"""The public explorer's reads: parse its filters, filter published pledges, count facets.

Multi-valued filters are OR within a facet and AND across facets. A facet's counts are the
published pledges per value given every OTHER active filter (classic faceting), so ticking a
value never makes the other values of the same facet vanish. Each facet costs one query for
its values and one GROUP BY for its counts; the page of results costs three more (count, rows,
beneficiary countries), whatever its length. Membership filters go through IN subqueries on
the link tables, so no join multiplies rows and no count needs DISTINCT over the whole registry.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.explore.facets import FACET_NAMES, FACETS, FacetContext, FacetCounts, Option, facet_counts
from coalition.pledges.search import pledge_search, search_ranks, search_terms
from coalition.pledges.selectors import pledge_list_published
from coalition.reference.models import Country, SdgTarget
from coalition.reporting.selectors import pledge_annotate_reporting_status
from coalition.reporting.status import ReportingStatus

PAGE_SIZE = 25


SORTS = {
    "newest": (gettext_lazy("Newest first"), (F("published_at").desc(), F("id").desc())),
    "oldest": (gettext_lazy("Oldest first"), (F("published_at").asc(), F("id").asc())),
    "value_desc": (gettext_lazy("Highest value first"), (F("value_usd").desc(nulls_last=True), F("id").desc())),
    "value_asc": (gettext_lazy("Lowest value first"), (F("value_usd").asc(nulls_last=True), F("id").asc())),
    "title": (gettext_lazy("Title, A to Z"), (Lower("title").asc(), F("id").asc())),
    "relevance": (gettext_lazy("Best match"), ()),  # ordered by `search.search_ranks`, see explorer_search
}


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
        errors.append(_("%(filter)s: “%(value)s” is not an amount in US dollars; ignored.") % {"filter": name, "value": raw[:40]})
        return None
    return value


def _parse_date(raw: str, name: str, errors: list[str]) -> datetime.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        errors.append(_("%(filter)s: “%(value)s” is not a date (YYYY-MM-DD); ignored.") % {"filter": name, "value": raw[:40]})
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
    if filters.published_to is not None and filters.published_to < datetime.date.max:
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


def explorer_search(*, params, today: datetime.date | None = None, page_size: int | None = None) -> ExplorerResult:
    """The explorer's page for GET `params`: published pledges narrowed by every valid filter,
    sorted and paginated, with facet counts, removable chips and a message per ignored value.

    Rows carry `reporting_status` and `countries` (beneficiary countries, by name); lead
    entity, initiative and currency are joined. A constant number of queries (about two per
    facet and three for the page), whatever the page size.
    """
    today = today or timezone.localdate()
    ctx = FacetContext(today=today)
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
        facet_counts(facet, options[facet.name], facet.count(ctx, narrowed(base, skip=facet.name)),
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
