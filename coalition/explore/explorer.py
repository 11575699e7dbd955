"""The public explorer's reads: parse its filters, filter published pledges, count facets.

Multi-valued filters are OR within a facet and AND across facets. A facet's counts are the
published pledges per value given every OTHER active filter (classic faceting), so ticking a
value never makes the other values of the same facet vanish (see `facets`). The total comes
from those counts, never from a COUNT over the result. With no filter, or only a country,
region or group, the counts and the total are read from today's stored tallies (`daily`), the
dashboard's, instead of being counted over the whole registry. The result list is paginated by keyset:
a page link carries an opaque cursor (`?after=` / `?before=`) holding the sort key and id of
the row it continues from, so any page costs what the first one does, and a pledge published
meanwhile neither repeats nor skips a row. Old `?page=N` links still work (by offset).
Membership filters go through IN subqueries on the link tables, so no join multiplies rows.

`?as_of=YYYY-MM-DD` (a past day) shows the registry as it stood at the end of that day, read
through the dashboard's read model (`registry.HistoricalRegistry`): the pledge versions current
then, narrowed and counted by the same facet definitions (`facets`), their counts and total read
from that day's stored tallies when the filters allow, exactly as today's are; each row is the
pledge as it stood (title, value, lead entity's name, countries, reporting status) and links to
its page as of the day. A search on a past day matches today's search index, restricted to the
pledges published then: the words of a pledge changed since are those of today (the page says
so). Every link the page makes (pages, chips, sorts, the form) carries the day.
"""

import bisect
import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.common.asof import AsOf, as_of_now
from coalition.common.cursors import BadCursor, cursor_make, cursor_read
from coalition.explore.facets import (
    FACET_NAMES,
    FACETS,
    FacetContext,
    FacetCounts,
    Option,
    facet_counts,
    facet_total,
    facets_count,
    facets_narrow,
    facets_tallied,
)
from coalition.explore.registry import entity_names_as_of, published_pledge_versions, version_links
from coalition.pledges.search import pledge_search, pledges_of_entities_named_like, search_ranks, search_terms
from coalition.pledges.selectors import pledge_list_published
from coalition.reference.models import Country, SdgTarget
from coalition.reporting.selectors import pledge_annotate_reporting_status
from coalition.reporting.status import ReportingStatus

PAGE_SIZE = 25


@dataclass(frozen=True)
class Sort:
    """One order of the result list: a key (an annotation or field, `None` for relevance, which is
    ranked in Python) and its direction; the pledge id breaks ties in the same direction, and a
    pledge without a value (a nullable key) comes last either way."""

    label: str
    key: str | None
    descending: bool
    nullable: bool = False
    expression: object = None  # annotated as `key` when the key is not a field

    def order(self, *, reverse: bool = False) -> tuple:
        descending = self.descending != reverse
        # NULLS FIRST/LAST only where the key can be null, so that the order is the index's.
        nulls = ({"nulls_first": True} if reverse else {"nulls_last": True}) if self.nullable else {}
        key = F(self.key).desc(**nulls) if descending else F(self.key).asc(**nulls)
        return (key, F("id").desc() if descending else F("id").asc())

    def beyond(self, value, pk: int, *, reverse: bool = False) -> Q:
        """The rows after (`reverse`: before) the row whose key is `value` and id `pk`."""
        further = "lt" if self.descending != reverse else "gt"
        tie = Q(**{"id__" + further: pk})
        if value is None:  # the row is among those without a value, which come last
            same = Q(**{self.key + "__isnull": True}) & tie
            return (same | Q(**{self.key + "__isnull": False})) if reverse else same
        beyond = Q(**{f"{self.key}__{further}": value}) | (Q(**{self.key: value}) & tie)
        # The same rows with a plain bound on the key as well: an index walk starts at the bound,
        # where the OR alone is only a filter on every row before it.
        beyond &= Q(**{f"{self.key}__{further}e": value})
        if self.nullable and not reverse:
            beyond |= Q(**{self.key + "__isnull": True})
        return beyond


SORTS = {
    "newest": Sort(gettext_lazy("Newest first"), "published_at", descending=True),
    "oldest": Sort(gettext_lazy("Oldest first"), "published_at", descending=False),
    "value_desc": Sort(gettext_lazy("Highest value first"), "value_usd", descending=True, nullable=True),
    "value_asc": Sort(gettext_lazy("Lowest value first"), "value_usd", descending=False, nullable=True),
    "title": Sort(gettext_lazy("Title, A to Z"), "sort_title", descending=False, expression=Lower("title")),
    "relevance": Sort(gettext_lazy("Best match"), None, descending=True),  # ranked by `search.search_ranks`
}


def cursor_encode(*, sort: str, value, pk: int, offset: int) -> str:
    """An opaque page position: the sort, the key and id of the row to continue from, and how
    many rows come before the page (for "Page N of M" and the list's numbering)."""
    if isinstance(value, datetime.datetime):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = str(value)
    return cursor_make(key=sort, value=value, pk=pk, offset=offset)


def cursor_decode(token: str, *, sort: str):
    """(key value, id, offset) from a cursor made for `sort`; BadCursor for anything else."""
    value, pk, offset = cursor_read(token, key=sort)
    key = SORTS[sort].key
    try:
        if value is None:
            if sort not in ("value_desc", "value_asc"):
                raise BadCursor
        elif key == "published_at":
            value = datetime.datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise BadCursor
        elif key == "value_usd":
            value = Decimal(value)
            if not value.is_finite():
                raise BadCursor
        elif key == "sort_title":
            if not isinstance(value, str):
                raise BadCursor
        elif type(value) not in (int, float) or not math.isfinite(value):  # a relevance rank
            raise BadCursor
    except (ValueError, TypeError, InvalidOperation) as error:
        raise BadCursor from error
    return value, pk, offset


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
    page: int | None = None  # an old `?page=N` link
    after: str = ""
    before: str = ""
    sort_given: bool = False
    default_sort: str = "newest"
    as_of: str = ""  # a past day asked for ("YYYY-MM-DD"), carried by every link; "" for today

    def pairs(self, *, drop: tuple[str, str] | None = None, position: tuple[str, str] | None = None) -> list[tuple[str, str]]:
        """The filters as query-string pairs in a stable order (the shareable URL)."""
        pairs = [("as_of", self.as_of)] if self.as_of else []
        pairs += [("q", self.q)] if self.q else []
        for name in FACET_NAMES:
            pairs += [(name, v) for v in self.values.get(name, []) if (name, v) != drop]
        for name in ("value_min", "value_max", "published_from", "published_to"):
            value = getattr(self, name)
            if value is not None and (name, "") != drop:
                pairs.append((name, str(value)))
        if self.sort_given:
            pairs.append(("sort", self.sort))
        if position:
            pairs.append(position)
        return pairs

    def querystring(self, **kwargs) -> str:
        pairs = self.pairs(**kwargs)
        return "?" + urlencode(pairs) if pairs else "?"

    @property
    def today_query(self) -> str:
        """The same filters on today's registry (a past day's "back to today")."""
        pairs = [pair for pair in self.pairs() if pair[0] != "as_of"]
        return "?" + urlencode(pairs) if pairs else ""

    @property
    def cleared(self) -> str:
        """The address of the explorer with no filter, on the same day."""
        return "?" + urlencode([("as_of", self.as_of)]) if self.as_of else ""


@dataclass
class ResultPage:
    """One page of results and the links around it."""

    object_list: list
    offset: int
    size: int
    total: int
    next_query: str = ""
    previous_query: str = ""
    current_query: str = ""

    @property
    def number(self) -> int:
        return self.offset // self.size + 1

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def start_index(self) -> int:
        return self.offset + 1

    @property
    def has_next(self) -> bool:
        return bool(self.next_query)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_query)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


@dataclass
class ExplorerResult:
    filters: ExplorerFilters
    errors: list[str]
    facets: list[FacetCounts]
    page: ResultPage
    total: int
    as_of: AsOf  # the day shown: today (now), or the end of a past day
    chips: list[Chip]
    sorts: list[tuple[str, str]]
    # The entities named like a search that found no pledge, whose pledges are shown instead.
    named_like: list = field(default_factory=list)

    @property
    def previous_query(self) -> str:
        return self.page.previous_query

    @property
    def next_query(self) -> str:
        return self.page.next_query


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
        if facet.name not in options:  # not asked for
            continue
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
    page = params.get("page", "").strip()
    filters.page = int(page) if page.isascii() and page.isdigit() and len(page) < 10 and int(page) > 0 else None
    filters.after, filters.before = params.get("after", "").strip(), params.get("before", "").strip()
    return filters


def _node_by_code(code: str, options: list[Option], initiatives: list[str]) -> str | None:
    """A bare framework code ("FA1") within the chosen initiatives, or the only initiative that has it."""
    matches = [o.value for o in options if o.value.split(":", 1)[1] == code]
    if initiatives:
        matches = [m for m in matches if m.split(":", 1)[0] in initiatives]
    return matches[0] if len(matches) == 1 else None


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _has_ranges(filters: ExplorerFilters) -> bool:
    return any(value is not None for value in (
        filters.value_min, filters.value_max, filters.published_from, filters.published_to
    ))


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


@dataclass
class Selection:
    """The published pledges an explorer address selects, before sorting and paging.

    `base` is narrowed by the search and the value and date ranges, `pledges` by the facets as
    well, in the form a list read in order a page at a time wants (`facets_narrow(paged=True)`);
    the facets are counted over `base` given the other facets' values. `options` holds the
    values of the facets the address names."""

    filters: ExplorerFilters
    errors: list[str]
    options: dict[str, list[Option]]
    context: FacetContext
    base: QuerySet
    pledges: QuerySet
    named_like: list = field(default_factory=list)
    as_of: AsOf = field(default_factory=as_of_now)

    @property
    def past(self) -> bool:
        """The selection holds pledge versions (of a past day), not live pledges."""
        return not self.as_of.is_today


def explorer_selection(*, params, today: datetime.date | None = None, as_of: AsOf | None = None) -> Selection:
    """The explorer's filters read from GET-style `params` (a QueryDict) and the published pledges
    they select: the one definition of the filters that the explorer page, the API and the
    downloads share. Unknown values, bad numbers and dates are left out with a message each in
    `errors` (the page shows them; the API refuses the request with them).

    `as_of` a past day: the pledge versions published at its end (`published_pledge_versions`,
    their `id` the pledge's), narrowed by the same filters as they stood then. Otherwise the
    live published pledges, with group memberships and reporting status as of `today` (by
    default the day's date)."""
    as_of = as_of or as_of_now()
    today = today or as_of.date
    ctx = FacetContext(today=today, as_of=None if as_of.is_today else as_of)
    errors: list[str] = []
    # Only the facets asked for are read (the API lists pledges without drawing the facets).
    options = {facet.name: facet.options(ctx) for facet in FACETS if any(v.strip() for v in params.getlist(facet.name))}
    filters = _parse(params, options, errors)
    filters.as_of = as_of.query_value

    if ctx.past:
        base = published_pledge_versions(as_of).select_related("initiative", "value_currency", "campaign")
    else:
        base = pledge_list_published()
    named_like = []
    if search_terms(filters.q):
        searched = pledge_search(base, filters.q)
        if not searched.exists():  # perhaps a name typed with a slip
            named, named_like = pledges_of_entities_named_like(base, filters.q)
            searched = named if named_like else searched
        base = searched
    base = _narrow_ranges(base, filters)
    return Selection(
        filters=filters, errors=errors, options=options, context=ctx, base=base,
        pledges=facets_narrow(ctx, base, filters.values, paged=True), named_like=named_like, as_of=as_of,
    )


def explorer_search(*, params, today: datetime.date | None = None, as_of: AsOf | None = None,
                    page_size: int | None = None) -> ExplorerResult:
    """The explorer's page for GET `params`: published pledges narrowed by every valid filter,
    sorted and paginated, with facet counts, removable chips and a message per ignored value;
    with a past `as_of`, the registry as it stood at the end of that day (`explorer_selection`).

    Rows carry `reporting_status` and `countries` (beneficiary countries, by name); lead
    entity, initiative and currency are joined (on a past day, the lead entity's name as it
    stood, read with the countries after the page). A constant number of queries (about two per
    facet and two for the page), whatever the page size and however deep the page.
    """
    selection = explorer_selection(params=params, today=today, as_of=as_of)
    filters, errors, ctx = selection.filters, selection.errors, selection.context
    today = ctx.today
    options = {facet.name: selection.options.get(facet.name) or facet.options(ctx) for facet in FACETS}

    tallied = None if search_terms(filters.q) or _has_ranges(filters) else facets_tallied(ctx, filters.values)
    if tallied is not None:
        counts, total = tallied
    else:
        counts = facets_count(ctx, selection.base, filters.values)
        total = facet_total(counts, filters.values)
    facets = [
        facet_counts(facet, options[facet.name], counts[facet.name], filters.values.get(facet.name, []))
        for facet in FACETS
    ]
    results = selection.pledges
    if "status" not in filters.values:
        results = pledge_annotate_reporting_status(results, today=today, **ctx.reports())
    if not selection.past:
        results = results.prefetch_related(
            Prefetch("beneficiary_countries", queryset=Country.objects.order_by("name_en"), to_attr="countries")
        )
    page = _page(results, filters, total=total, size=page_size or PAGE_SIZE, errors=errors)
    if selection.past:
        _as_they_stood(page.object_list, selection.as_of)
    for pledge in page.object_list:
        status = pledge.reporting_status
        pledge.reporting_label = ReportingStatus(status).label if status else ""

    labels = {facet.name: {o.value: o.label for o in options[facet.name]} for facet in FACETS}
    sorts = [(key, str(sort.label)) for key, sort in SORTS.items() if key != "relevance" or search_terms(filters.q)]
    return ExplorerResult(
        filters=filters,
        errors=errors,
        facets=facets,
        page=page,
        total=total,
        as_of=selection.as_of,
        chips=_chips(filters, labels),
        sorts=sorts,
        named_like=selection.named_like,
    )


def _as_they_stood(versions: list, as_of: AsOf) -> None:
    """Give a past page's pledge versions what a row shows as it stood then: `lead_entity_name`
    (the lead entity's version current at the moment) and `countries` (the version's beneficiary
    countries, by name). Two or three queries, whatever the page's length."""
    names = entity_names_as_of({v.lead_entity_id for v in versions}, as_of)
    links = version_links("beneficiary_countries").filter(history_id__in=[v.history_id for v in versions])
    by_version: dict[int, list] = {}
    for link in links.select_related("country").order_by("country__name_en"):
        by_version.setdefault(link.history_id, []).append(link.country)
    for version in versions:
        version.lead_entity_name = names.get(version.lead_entity_id, "")
        version.countries = by_version.get(version.history_id, [])


def _page(results: QuerySet, filters: ExplorerFilters, *, total: int, size: int, errors: list[str]) -> ResultPage:
    """The page the cursor (or old page number) points at, in the chosen order, with its links.

    A damaged cursor, or one made for another order, is reported and the first page shown.
    """
    sort = SORTS[filters.sort]
    token, reverse = (filters.before, True) if filters.before else (filters.after, False)
    cursor = None
    if token:
        try:
            cursor = cursor_decode(token, sort=filters.sort)
        except BadCursor:
            reverse = False
            errors.append(_("This page link is damaged or was made for another order; showing the first page."))
    offset = 0
    if cursor is None and filters.page:  # an old numbered link: by offset, within the last page
        offset = min(filters.page - 1, max(0, math.ceil(total / size) - 1)) * size

    if sort.key is None:
        rows, more, offset = _page_by_rank(results, filters.q, cursor, reverse=reverse, offset=offset, size=size)
    else:
        if sort.expression is not None:
            results = results.annotate(**{sort.key: sort.expression})
        if cursor is not None:
            value, pk, offset = cursor
            results = results.filter(sort.beyond(value, pk, reverse=reverse))
        rows = list(results.order_by(*sort.order(reverse=reverse))[offset if cursor is None else 0:][:size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
            offset = max(0, offset - len(rows))

    page = ResultPage(rows, offset=offset, size=size, total=total)

    def position(direction: str, pledge) -> tuple[str, str]:
        value = getattr(pledge, "search_rank", None) if sort.key is None else getattr(pledge, sort.key)
        at = offset + len(rows) if direction == "after" else offset
        return (direction, cursor_encode(sort=filters.sort, value=value, pk=pledge.id, offset=at))

    has_next = (more if not reverse else True) and bool(rows)
    has_previous = (more if reverse else offset > 0) and bool(rows)
    if has_next:
        page.next_query = filters.querystring(position=position("after", rows[-1]))
    if has_previous:
        # The page before the second one is the first: its plain address, not a cursor.
        first = not reverse and offset - size <= 0
        page.previous_query = filters.querystring() if first else filters.querystring(position=position("before", rows[0]))
    if cursor is not None:
        page.current_query = filters.querystring(position=("before" if reverse else "after", token))
    elif offset:
        page.current_query = filters.querystring(position=("page", str(offset // size + 1)))
    else:
        page.current_query = filters.querystring()
    return page


def _page_by_rank(results: QuerySet, q: str, cursor, *, reverse: bool, offset: int, size: int):
    """A page in order of relevance: the filtered ids sorted by their rank from one full-text
    query (a rank per row in SQL costs a full-text match per row), then only the page's pledges
    read. The cursor holds the rank and id of the row to continue from."""
    ranks = search_ranks(q, among=results)
    # By the pledge's `id` (a version's primary key is its `history_id`).
    order = sorted((-ranks.get(pk, 0.0), -pk) for pk in results.order_by().values_list("id", flat=True))
    if cursor is not None:
        rank, pk, _offset = cursor
        if reverse:
            end = bisect.bisect_left(order, (-rank, -pk))
            start = max(0, end - size)
        else:
            start = bisect.bisect_right(order, (-rank, -pk))
            end = start + size
    else:
        start, end = offset, offset + size
    chosen = order[start:end]
    more = start > 0 if reverse else end < len(order)
    pledges = {pledge.id: pledge for pledge in results.filter(id__in=[-pk for _rank, pk in chosen])}
    rows = []
    for rank, pk in chosen:
        if -pk in pledges:
            pledge = pledges[-pk]
            pledge.search_rank = -rank
            rows.append(pledge)
    return rows, more, start
