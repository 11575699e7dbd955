"""Reads for the public place pages: an entity, a country, a group or region, and their lists.

Figures come from `figures` (the registry's tallies as of a date: `tallies.py`, stored by day in
`daily.py`); this module adds what the pages list around them: the pledges behind a place, page
by page, an entity's lead and partner totals and reporting record, and the per-country and
per-group counts of the lists. Every read is a constant number of queries whatever the size of
the registry.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, Exists, OuterRef, QuerySet, Sum, Value
from django.utils.translation import gettext_lazy as _

from coalition.common.i18n import fold
from coalition.common.spelling import words_match
from coalition.entities.models import Entity
from coalition.explore.registry import HistoricalRegistry, LiveRegistry
from coalition.explore.tallies import Scope, Tallies, Tally, money, scope_condition
from coalition.pledges.models import Pledge, Status
from coalition.reference.groups import KIND_PLURAL
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership
from coalition.reference.selectors import country_groups_as_of
from coalition.reporting.models import ProgressReport, ReportStatus
from coalition.reporting.selectors import pledge_list_with_reporting_status
from coalition.reporting.status import ReportingStatus

PLEDGES_PER_PAGE = 25


class _CountedPaginator(Paginator):
    """A paginator told how many rows there are, so it does not count them again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached property


def pledge_page(*, tallies: Tallies, scope: Scope, page_number) -> Page:
    """One page (25, newest first) of the pledges of a place (`scope`) published at the moment of
    its `tallies`, whose count of all pledges is the length of the list (so the page does not
    count a third of the registry again for a large group).

    For today, the live published pledges; for an earlier date, the versions that were public
    then (their titles and values as they stood), each marked `still_published` so the page
    links only those still online. Either way the lead entity and initiative are joined: one
    query a page, whatever the number of pledges.
    """
    as_of = tallies.as_of
    if as_of.is_today:  # the live tables: the same pledges (a test holds it), better indexed
        registry = LiveRegistry(as_of)
        rows = (
            registry.restrict(scope_condition(registry, scope)).published()
            .select_related("lead_entity", "initiative")
            .annotate(still_published=Value(True, output_field=BooleanField()))
        )
    else:
        registry = HistoricalRegistry(as_of)
        live = Pledge.objects.filter(pk=OuterRef("id"), status=Status.PUBLISHED)
        rows = (
            registry.restrict(scope_condition(registry, scope)).published()
            .select_related("lead_entity", "initiative").annotate(still_published=Exists(live))
        )
    paginator = _CountedPaginator(rows.order_by("-published_at", "-id"), PLEDGES_PER_PAGE, count=tallies.get("all").pledges)
    return paginator.get_page(page_number)


@dataclass(frozen=True)
class EntityTotals:
    """An entity's published pledges on the frame's date, as lead and as partner (a pledge it
    both leads and partners counts as led)."""

    lead: Tally
    partner: Tally


def entity_totals(*, tallies: Tallies, entity: Entity) -> EntityTotals:
    """Split an entity's tallies (`tallies_count(..., scope=Scope(entity=...))`) into the
    pledges it leads and those it partners. One query."""
    registry = HistoricalRegistry(tallies.as_of)
    led = registry.published().filter(lead_entity=entity).aggregate(pledges=Count("id"), value=Sum("value_usd"))
    lead = Tally(led["pledges"], money(led["value"]))
    everything = tallies.get("all")
    return EntityTotals(lead=lead, partner=Tally(everything.pledges - lead.pledges, everything.value_usd - lead.value_usd))


def entity_for_page(pk: int) -> Entity:
    """One entity with its home country, for its public page. Raises Entity.DoesNotExist.
    Focal points are never loaded: they are private."""
    return Entity.objects.select_related("home_country").get(pk=pk)


@dataclass(frozen=True)
class ReportingRecord:
    """Where the entity's published lead pledges stand in the reporting cycle today."""

    by_status: list[tuple[str, str, int]]  # (status value, label, pledges), in the cycle's order
    not_reporting: int  # published pledges with no reporting status
    accepted_reports: int

    @property
    def pledges(self) -> int:
        return sum(count for _value, _label, count in self.by_status) + self.not_reporting


def entity_reporting_record(*, entity: Entity, today: datetime.date) -> ReportingRecord:
    """Counts of the entity's published lead pledges by reporting status on `today`, and its
    accepted progress reports on them. Two queries. Only the lead reports on a pledge, so
    pledges it partners are left out."""
    led = Pledge.objects.filter(status=Status.PUBLISHED, lead_entity=entity)
    statuses = Counter(
        pledge_list_with_reporting_status(today=today, queryset=led).order_by().values_list("reporting_status", flat=True)
    )
    accepted = ProgressReport.objects.filter(
        pledge__in=led, status=ReportStatus.ACCEPTED
    ).count()
    return ReportingRecord(
        by_status=[(status.value, status.label, statuses.get(status.value, 0)) for status in ReportingStatus],
        not_reporting=statuses.get(None, 0),
        accepted_reports=accepted,
    )


def country_for_page(iso3: str) -> Country:
    """The country with this ISO alpha-3 code (any case). Raises Country.DoesNotExist."""
    return Country.objects.get(iso3=iso3.upper())


@dataclass(frozen=True)
class CountryRow:
    country: Country
    pledges: int
    value_usd: Decimal


COUNTRY_SORTS = {
    "name": (_("name"), lambda row: (fold(row.country.name),)),
    "pledges": (_("pledges"), lambda row: (-row.pledges, fold(row.country.name))),
    "value": (_("value"), lambda row: (-row.value_usd, fold(row.country.name))),
}


def country_rows(*, tallies: Tallies, query: str = "", sort: str = "name", include_empty: bool = False) -> list[CountryRow]:
    """Countries with the pledges naming them (the "country" tallies), matched by `query` in
    English or French (`words_match`: case and accents aside, a slip allowed) or by ISO code,
    sorted by `sort` (a key of COUNTRY_SORTS; unknown means name). Without `include_empty`, only
    countries some pledge names. One query beyond the tallies (a few hundred countries, matched here).
    """
    counted = tallies.of("country")
    countries = Country.objects.all()
    if not include_empty:
        countries = countries.filter(iso3__in=list(counted))
    if query:
        code = query.strip().upper()
        countries = [c for c in countries if c.iso3 == code or words_match(query, c.name_en, c.name_fr)]
    rows = []
    for country in countries:
        tally = counted.get(country.iso3, Tally())
        rows.append(CountryRow(country, tally.pledges, tally.value_usd))
    _label, key = COUNTRY_SORTS.get(sort, COUNTRY_SORTS["name"])
    return sorted(rows, key=key)


def country_groups(*, country: Country, date: datetime.date) -> list[CountryGroup]:
    """The groups the country belonged to on `date` (see reference.selectors.country_groups_as_of)."""
    return list(country_groups_as_of(country=country, date=date))


@dataclass(frozen=True)
class MemberRow:
    country: Country
    pledges: int
    value_usd: Decimal


def group_member_rows(*, tallies: Tallies, group: CountryGroup) -> list[MemberRow]:
    """Each member of the group on the tallies' date (group.members_as_of, as loaded by
    reference.selectors.group_with_members_as_of) with the pledges naming that country, by name."""
    counted = tallies.of("country")
    rows = []
    for membership in group.members_as_of:
        tally = counted.get(membership.country.iso3, Tally())
        rows.append(MemberRow(membership.country, tally.pledges, tally.value_usd))
    return sorted(rows, key=lambda row: fold(row.country.name))


@dataclass(frozen=True)
class GroupRow:
    group: CountryGroup
    members: int
    pledges: int
    value_usd: Decimal


def group_rows_by_kind(*, tallies: Tallies) -> list[tuple[str, list[GroupRow]]]:
    """Every group, by kind in display order, with its members on the tallies' date and the
    pledges naming it or one of those members (the "group" tallies: the same rule as
    `Scope(group=...)`). `tallies` must be unscoped. Two queries beyond the tallies."""
    groups = list(CountryGroup.objects.order_by("kind", "order", "code"))
    members = Counter(
        CountryGroupMembership.objects.as_of(tallies.as_of.date).values_list("group_id", flat=True)
    )
    counted = tallies.of("group")
    result: dict[str, list[GroupRow]] = {}
    for group in groups:
        tally = counted.get(group.code, Tally())
        result.setdefault(group.kind, []).append(GroupRow(group, members[group.pk], tally.pledges, tally.value_usd))
    order = [kind for kind in CountryGroup.Kind.values if kind in result]
    return [(KIND_PLURAL[kind], result[kind]) for kind in order]


def group_children(group: CountryGroup) -> QuerySet[CountryGroup]:
    return group.children.order_by("order", "code")


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event in a pledge's public life: its publication, a published change, or an
    accepted progress report (with the share of the pledge delivered, 0 to 1, when it says)."""

    at: datetime.datetime
    kind: str  # "published", "changed" or "report"
    fields: tuple[str, ...] = ()
    report: ProgressReport | None = None

    @property
    def share_delivered(self) -> Decimal | None:
        return None if self.report is None else self.report.delivered_fraction


def pledge_timeline(*, changes: list[dict], reports: list[ProgressReport]) -> list[TimelineEvent]:
    """The pledge's publication and changes (audit_selectors.pledge_public_history) and its
    accepted reports (dated when they were accepted, or submitted for imported ones), oldest
    first. Reads nothing."""
    events = [
        TimelineEvent(change["at"], "published" if change["published"] else "changed", tuple(change["fields"]))
        for change in changes
    ]
    for report in reports:
        at = report.decided_at or report.submitted_at
        if at is not None:
            events.append(TimelineEvent(at, "report", report=report))
    return sorted(events, key=lambda event: (event.at, event.kind != "published"))
