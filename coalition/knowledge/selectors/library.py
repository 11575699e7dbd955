"""The public library as it stood at a moment: the published practices, searched and filtered.

A practice is in the library as of D when the version of it current at the end of D was
published (`common.intervals.current_at`): what the public saw that day, with its title, summary
and links as they stood then, read the same way for today as for last year. Its links are read
from their versioned rows, so a filter as of D uses the countries the practice named on D. The
words of a search are matched against the practices' search documents as they are now.

These selectors return versions of practices (historical rows): their `id` is the practice's,
their `pk` the version's.
"""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from coalition.actionplan.models import ReviewStatus
from coalition.common.asof import AsOf
from coalition.common.intervals import current_at
from coalition.knowledge.models import GoodPractice, SharedBy
from coalition.knowledge.search import practice_ids_matching, practice_ranks
from coalition.reference.models import Country, FrameworkNode, SdgGoal, WsisActionLine

PER_PAGE = 20
SORTS = ("newest", "relevance")
# The target column of each versioned link table.
LINK_TARGETS = {
    "countries": "country_id", "framework_nodes": "frameworknode_id", "sdg_targets": "sdgtarget_id",
    "wsis_lines": "wsisactionline_id", "pledges": "pledge_id", "actions": "action_id",
}


def published_versions(as_of: AsOf) -> QuerySet:
    """The version of each practice current at `as_of` that was published then."""
    history = GoodPractice.history.model
    return history.objects.filter(current_at(as_of.moment)).exclude(history_type="-").filter(
        status=ReviewStatus.PUBLISHED)


def link_versions(name: str) -> QuerySet:
    """The versioned rows of the link `name` (one per version of a practice and linked row)."""
    return GoodPractice.history.model._meta.get_field(f"historicalgoodpractice_{name}").related_model.objects.all()


def linked(name: str, targets) -> QuerySet:
    """The versions (their `history_id`) linked through `name` to one of `targets` (ids or a subquery)."""
    return link_versions(name).filter(**{f"{LINK_TARGETS[name]}__in": targets}).values("history_id")


def for_countries(countries) -> Q:
    """The versions that name one of `countries` (ids or a subquery), or are shared by one of them."""
    return Q(history_id__in=linked("countries", countries)) | Q(shared_by=SharedBy.MEMBER_STATE, country_id__in=countries)


@dataclass(frozen=True)
class LibraryFilters:
    """What the library is narrowed to: words, a country, a framework node (and the nodes under
    it), an SDG goal, a WSIS action line (and its sub-lines), who shares; and the order."""

    query: str = ""
    country: Country | None = None
    node: FrameworkNode | None = None
    goal: SdgGoal | None = None
    wsis: WsisActionLine | None = None
    shared_by: str = ""
    sort: str = "newest"

    def params(self) -> list[tuple[str, str]]:
        """The filters as query parameters (name, value), empty ones included."""
        return [
            ("q", self.query), ("country", self.country.iso3 if self.country else ""),
            ("node", str(self.node.pk) if self.node else ""), ("goal", str(self.goal.number) if self.goal else ""),
            ("wsis", self.wsis.code if self.wsis else ""), ("shared_by", self.shared_by),
            ("sort", self.sort if self.sort != self.default_sort else ""),
        ]

    @property
    def default_sort(self) -> str:
        return "relevance" if self.query else "newest"

    @property
    def active(self) -> bool:
        return any(value for name, value in self.params() if name != "sort")


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def library_filters_parse(params) -> LibraryFilters:
    """The filters asked for in `params` (a QueryDict). A value naming nothing known is left out,
    as if not asked for."""
    query = " ".join((params.get("q") or "").split())[:200]
    iso3 = (params.get("country") or "").strip().upper()[:3]
    node_id, goal_number = _int(params.get("node")), _int(params.get("goal"))
    wsis_code = (params.get("wsis") or "").strip().upper()[:8]
    shared_by = params.get("shared_by") or ""
    sort = params.get("sort") or ""
    return LibraryFilters(
        query=query,
        country=Country.objects.filter(iso3=iso3).first() if iso3 else None,
        node=FrameworkNode.objects.select_related("initiative").filter(pk=node_id).first() if node_id else None,
        goal=SdgGoal.objects.filter(number=goal_number).first() if goal_number else None,
        wsis=WsisActionLine.objects.filter(code=wsis_code).first() if wsis_code else None,
        shared_by=shared_by if shared_by in SharedBy.values else "",
        sort=sort if sort in SORTS and (sort != "relevance" or query) else ("relevance" if query else "newest"),
    )


def library_versions(*, as_of: AsOf, filters: LibraryFilters) -> QuerySet:
    """The versions of the practices published at `as_of` that match `filters` (unordered)."""
    versions = published_versions(as_of)
    if filters.country is not None:
        versions = versions.filter(for_countries([filters.country.pk]))
    if filters.node is not None:
        nodes = FrameworkNode.objects.filter(Q(pk=filters.node.pk) | Q(parent=filters.node.pk)).values("pk")
        versions = versions.filter(history_id__in=linked("framework_nodes", nodes))
    if filters.goal is not None:
        versions = versions.filter(history_id__in=linked("sdg_targets", filters.goal.targets.values("pk")))
    if filters.wsis is not None:
        lines = WsisActionLine.objects.filter(Q(pk=filters.wsis.pk) | Q(parent=filters.wsis.pk)).values("pk")
        versions = versions.filter(history_id__in=linked("wsis_lines", lines))
    if filters.shared_by:
        versions = versions.filter(shared_by=filters.shared_by)
    matching = practice_ids_matching(filters.query)
    if matching is not None:
        versions = versions.filter(id__in=matching)
    return versions


def versions_decorate(versions: list) -> list:
    """Give each version its countries as they stood (`country_list`; `places`: those but the
    member state sharing it) and whether the practice is still published today
    (`still_published`: its page opens), in two queries."""
    if not versions:
        return versions
    countries: dict[int, list[Country]] = {}
    rows = link_versions("countries").filter(history_id__in=[v.pk for v in versions]).select_related("country")
    for row in rows:
        countries.setdefault(row.history_id, []).append(row.country)
    published = set(GoodPractice.objects.filter(id__in=[v.id for v in versions], status=ReviewStatus.PUBLISHED)
                    .values_list("id", flat=True))
    for version in versions:
        version.country_list = sorted(countries.get(version.pk, []), key=lambda country: country.name)
        sharer = version.country_id if version.shared_by == SharedBy.MEMBER_STATE else None
        version.places = [country for country in version.country_list if country.pk != sharer]
        version.still_published = version.id in published
    return versions


def library_page(*, as_of: AsOf, filters: LibraryFilters, page_number) -> Page:
    """One page (PER_PAGE) of the library at `as_of` narrowed by `filters`: newest published
    first, or best match first for a search sorted by relevance. The versions carry their
    sharer (`entity`, `country`), `country_list` and `still_published`."""
    versions = library_versions(as_of=as_of, filters=filters).select_related("entity", "country")
    if filters.sort == "relevance" and filters.query:
        rows = list(versions.values_list("history_id", "id", "published_at"))
        ranks = practice_ranks(filters.query, among=[pk for _h, pk, _p in rows])
        rows.sort(key=lambda row: (ranks.get(row[1], 0.0), row[2].timestamp() if row[2] else 0, row[1]), reverse=True)
        page = Paginator([row[0] for row in rows], PER_PAGE).get_page(page_number)
        by_id = versions.in_bulk(list(page.object_list), field_name="history_id")
        page.object_list = [by_id[pk] for pk in page.object_list]
    else:
        page = Paginator(versions.order_by("-published_at", "-id"), PER_PAGE).get_page(page_number)
        page.object_list = list(page.object_list)
    versions_decorate(page.object_list)
    return page


def library_options(as_of: AsOf) -> dict[str, list]:
    """The values the library's filters offer at `as_of`: the countries, framework nodes, SDG
    goals and WSIS action lines that some published practice names then."""
    published = published_versions(as_of).values("history_id")

    def named(name: str) -> QuerySet:
        return link_versions(name).filter(history_id__in=published).values(LINK_TARGETS[name])

    sharers = published_versions(as_of).filter(shared_by=SharedBy.MEMBER_STATE).values("country_id")
    countries = sorted(Country.objects.filter(Q(pk__in=named("countries")) | Q(pk__in=sharers)),
                       key=lambda country: country.name)
    nodes = FrameworkNode.objects.filter(pk__in=named("framework_nodes")).select_related("initiative")
    goals = SdgGoal.objects.filter(targets__in=named("sdg_targets")).distinct().order_by("number")
    lines = WsisActionLine.objects.filter(pk__in=named("wsis_lines"))
    top_lines = WsisActionLine.objects.filter(Q(pk__in=lines.filter(parent=None).values("pk"))
                                              | Q(pk__in=lines.values("parent_id"))).order_by("order")
    return {"countries": countries, "nodes": list(nodes), "goals": list(goals), "wsis_lines": list(top_lines)}
