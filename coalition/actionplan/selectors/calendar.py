"""The calendar of the action plan: the published activities and the meetings, coming and past,
as the platform showed them at a moment, and the same entries as an iCalendar feed.

Both are read from the dated versions (`common.intervals`): an activity is in the calendar at a
moment when its version current then was published, a meeting when it was recorded then (and not
deleted). Today's calendar is read the same way as last year's, so `?as_of=` never disagrees
with what the page said on that day.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from coalition.actionplan.models import Activity, ActivityKind, Meeting, MeetingKind, ReviewStatus
from coalition.common.asof import AsOf
from coalition.common.i18n import pick
from coalition.common.intervals import current_at
from coalition.reference.models import Country

MEETINGS = "meeting"
KIND_CHOICES = [*ActivityKind.choices, (MEETINGS, gettext_lazy("Meetings and conferences"))]
# What a page lists at most as coming (a calendar rarely holds more), and the past page's size.
COMING_LIMIT = 50
PAGE_SIZE = 25
# The feed carries the newest entries: a calendar application needs no older ones.
FEED_LIMIT = 1000
FIRST_YEAR, LAST_YEAR = 1990, 2100


def url_or_blank(name: str, *args) -> str:
    """The path of the page `name`, or "" while that page does not exist (a calendar entry then
    shows without a link rather than failing)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- Filters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFilters:
    """What a calendar shows: one kind (an activity kind, or MEETINGS), one country (hosting or
    taking part), one year (entries held, even partly, that year). Empty means every one."""

    kind: str = ""
    country: Country | None = None
    year: int | None = None

    def params(self) -> list[tuple[str, str]]:
        """The query-string parameters that ask for these filters again."""
        return [(name, value) for name, value in (
            ("kind", self.kind), ("country", self.country.iso3 if self.country else ""),
            ("year", str(self.year) if self.year else ""),
        ) if value]


def calendar_filters(params) -> tuple[CalendarFilters, list[str]]:
    """The filters asked for in `params` (a QueryDict: kind, country as ISO3, year), and a message
    for each value that is not one, which is then ignored."""
    errors = []
    kind = (params.get("kind") or "").strip()
    if kind and kind not in dict(KIND_CHOICES):
        errors.append(_("Kind: no such kind “%(value)s”; ignored.") % {"value": kind[:40]})
        kind = ""
    code = (params.get("country") or "").strip().upper()
    country = None
    if code:
        country = Country.objects.filter(iso3=code).first() if len(code) == 3 else None
        if country is None:
            errors.append(_("Country: no country has the code “%(value)s”; ignored.") % {"value": code[:40]})
    raw_year = (params.get("year") or "").strip()
    year = None
    if raw_year:
        if raw_year.isdigit() and FIRST_YEAR <= int(raw_year) <= LAST_YEAR:
            year = int(raw_year)
        else:
            errors.append(_("Year: “%(value)s” is not a year; ignored.") % {"value": raw_year[:40]})
    return CalendarFilters(kind=kind, country=country, year=year), errors


# --- Entries --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    """One activity or meeting as the calendar shows it (from its version current at the moment)."""

    source: str  # "activity" or "meeting"
    pk: int
    kind: str
    kind_label: str
    title: str
    start: datetime.date
    end: datetime.date | None
    place: str
    host_country: Country | None
    online: bool
    description: str
    url: str
    last_modified: datetime.datetime
    illustrative: bool = False

    @property
    def last_day(self) -> datetime.date:
        return self.end or self.start

    @property
    def several_days(self) -> bool:
        return self.last_day != self.start

    @property
    def where(self) -> str:
        """"Bangkok, Thailand, and online", "Online", or ""."""
        place = ", ".join(part for part in (self.place, self.host_country.name if self.host_country else "") if part)
        if place and self.online:
            return _("%(place)s, and online") % {"place": place}
        return place or (_("Online") if self.online else "")

    def uid(self, host: str) -> str:
        return f"{self.source}-{self.pk}@{host}"


def _versions(model, as_of: AsOf) -> QuerySet:
    return model.history.model.objects.filter(current_at(as_of.moment)).exclude(history_type="-")


def _in_country(model, versions: QuerySet, country: Country) -> QuerySet:
    link = model.history.model._meta.get_field(f"historical{model._meta.model_name}_countries").related_model
    taking_part = link.objects.filter(country_id=country.pk).values("history_id")
    return versions.filter(Q(host_country_id=country.pk) | Q(history_id__in=taking_part))


def _in_year(versions: QuerySet, year: int) -> QuerySet:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return versions.filter(Q(start_date__lte=last) & (Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first)))


def _not_over(day: datetime.date) -> Q:
    return Q(end_date__gte=day) | Q(end_date__isnull=True, start_date__gte=day)


def activity_versions(*, as_of: AsOf, filters: CalendarFilters) -> QuerySet:
    """The version of each activity published at `as_of`, narrowed by `filters`."""
    if filters.kind == MEETINGS:
        return Activity.history.model.objects.none()
    versions = _versions(Activity, as_of).filter(status=ReviewStatus.PUBLISHED)
    if filters.kind:
        versions = versions.filter(kind=filters.kind)
    if filters.country:
        versions = _in_country(Activity, versions, filters.country)
    if filters.year:
        versions = _in_year(versions, filters.year)
    return versions.select_related("host_country")


def meeting_versions(*, as_of: AsOf, filters: CalendarFilters) -> QuerySet:
    """The version of each meeting recorded at `as_of`, narrowed by `filters`."""
    if filters.kind and filters.kind != MEETINGS:
        return Meeting.history.model.objects.none()
    versions = _versions(Meeting, as_of)
    if filters.country:
        versions = _in_country(Meeting, versions, filters.country)
    if filters.year:
        versions = _in_year(versions, filters.year)
    return versions.select_related("host_country")


def _activity_entry(version) -> CalendarEntry:
    return CalendarEntry(
        source="activity", pk=version.id, kind=version.kind, kind_label=str(ActivityKind(version.kind).label),
        title=version.title, start=version.start_date, end=version.end_date, place=version.place,
        host_country=version.host_country, online=version.online, description=version.description,
        url=url_or_blank("actionplan:activity", version.id), last_modified=version.history_date,
    )


def _meeting_entry(version) -> CalendarEntry:
    return CalendarEntry(
        source="meeting", pk=version.id, kind=version.kind, kind_label=str(MeetingKind(version.kind).label),
        title=pick(version, "name"), start=version.start_date, end=version.end_date, place=version.place,
        host_country=version.host_country, online=version.online, description=pick(version, "summary"),
        url=url_or_blank("actionplan:meeting", version.slug), last_modified=version.history_date,
        illustrative=version.illustrative,
    )


# Ties on the date are broken the same way in the database and here, so that the first n entries
# of the merged list are the first n of each source merged.
_SOURCE_RANK = {"activity": 0, "meeting": 1}


class CalendarEntries:
    """Activities and meetings in one date order, read a slice at a time: a Paginator's object list
    whose slice [a:b] reads at most b rows of each source."""

    def __init__(self, sources: list[tuple[QuerySet, Callable]], *, newest_first: bool):
        order = ["-start_date", "-id"] if newest_first else ["start_date", "id"]
        self.sources = [(versions.order_by(*order), make) for versions, make in sources]
        self.newest_first = newest_first

    def count(self) -> int:
        return sum(versions.count() for versions, _make in self.sources)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, int):
            return self[item:item + 1][0]
        rows = []
        for versions, make in self.sources:
            chosen = versions[:item.stop] if item.stop is not None else versions
            rows.extend(make(version) for version in chosen)
        rows.sort(key=lambda entry: (entry.start, _SOURCE_RANK[entry.source], entry.pk), reverse=self.newest_first)
        return rows[item]


def _entries(as_of: AsOf, filters: CalendarFilters, condition: Q | None, *, newest_first: bool) -> CalendarEntries:
    sources = []
    for versions, make in ((activity_versions(as_of=as_of, filters=filters), _activity_entry),
                           (meeting_versions(as_of=as_of, filters=filters), _meeting_entry)):
        sources.append((versions if condition is None else versions.filter(condition), make))
    return CalendarEntries(sources, newest_first=newest_first)


def calendar_coming(*, as_of: AsOf, filters: CalendarFilters) -> CalendarEntries:
    """The entries not over on the as-of day (one under way included), soonest first."""
    return _entries(as_of, filters, _not_over(as_of.date), newest_first=False)


def calendar_past(*, as_of: AsOf, filters: CalendarFilters) -> CalendarEntries:
    """The entries over by the as-of day, newest first."""
    return _entries(as_of, filters, ~_not_over(as_of.date), newest_first=True)


def calendar_all(*, as_of: AsOf, filters: CalendarFilters) -> CalendarEntries:
    """Every entry, newest first (the feed)."""
    return _entries(as_of, filters, None, newest_first=True)


def calendar_years(*, as_of: AsOf) -> list[int]:
    """The years in which some entry of the calendar at `as_of` starts, newest first (the year filter's choices)."""
    unfiltered = CalendarFilters()
    years = set()
    for versions in (activity_versions(as_of=as_of, filters=unfiltered), meeting_versions(as_of=as_of, filters=unfiltered)):
        years.update(day.year for day in versions.order_by().dates("start_date", "year"))
    return sorted(years, reverse=True)


def calendar_countries(*, as_of: AsOf) -> QuerySet[Country]:
    """The countries hosting or taking part in some entry of the calendar at `as_of` (the country
    filter's choices), by name."""
    ids: set[int] = set()
    unfiltered = CalendarFilters()
    for model, versions in ((Activity, activity_versions(as_of=as_of, filters=unfiltered)),
                            (Meeting, meeting_versions(as_of=as_of, filters=unfiltered))):
        ids.update(versions.exclude(host_country_id=None).order_by().values_list("host_country_id", flat=True).distinct())
        link = model.history.model._meta.get_field(f"historical{model._meta.model_name}_countries").related_model
        ids.update(link.objects.filter(history_id__in=versions.values("history_id")).values_list("country_id", flat=True)
                   .distinct())
    return Country.objects.filter(pk__in=ids).order_by("name_en")


# --- The iCalendar feed ---------------------------------------------------------------------------

DESCRIPTION_LIMIT = 2000


def calendar_ical(entries: Iterable[CalendarEntry], *, name: str, site: str, host: str) -> bytes:
    """`entries` as an iCalendar (RFC 5545) file: one all-day event each (DTEND the day after the
    last day), with a UID that stays the same from one download to the next (activity-<id>@host),
    the page's address under `site` (the site's root URL, no trailing slash), the place, the
    description, and the version's date as LAST-MODIFIED and DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", "-//Coalition//Action plan calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid(host))
        event.add("summary", entry.title)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.last_day + datetime.timedelta(days=1))
        modified = entry.last_modified.astimezone(datetime.UTC)
        event.add("dtstamp", modified)
        event.add("last-modified", modified)
        event.add("categories", [entry.kind_label])
        if entry.where:
            event.add("location", entry.where)
        text = entry.description.strip()
        if len(text) > DESCRIPTION_LIMIT:
            text = text[:DESCRIPTION_LIMIT - 1] + "…"
        if entry.illustrative:
            text = _("Illustrative record: parts of it were written to show the platform.") + ("\n\n" + text if text else "")
        if entry.url:
            event.add("url", site + entry.url)
            text = (text + "\n\n" if text else "") + site + entry.url
        if text:
            event.add("description", text)
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_feed_name(filters: CalendarFilters) -> str:
    """The feed's name as a calendar application lists it."""
    parts = [_("Action plan calendar")]
    if filters.kind:
        parts.append(str(dict(KIND_CHOICES)[filters.kind]))
    if filters.country:
        parts.append(filters.country.name)
    if filters.year:
        parts.append(str(filters.year))
    return " · ".join(parts)
