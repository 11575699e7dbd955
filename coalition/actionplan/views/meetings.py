"""The meetings' pages and the calendar of activities and meetings, with its iCalendar feed: parse
the request, call the selectors, render. All public, read-only.

A bad `?as_of=` shows its message with today's entries and a 400 status, as the place pages do; a
filter value that is not one is named on the page and ignored (the feed refuses it with a 400,
since a calendar application shows no message).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from coalition.actionplan.models import Meeting, MeetingKind
from coalition.actionplan.sections import report_sections
from coalition.actionplan.selectors import calendar as calendar_selectors
from coalition.actionplan.selectors.calendar import (
    COMING_LIMIT,
    FEED_LIMIT,
    KIND_CHOICES,
    MEETINGS,
    PAGE_SIZE,
    CalendarFilters,
    url_or_blank,
)
from coalition.actionplan.selectors.governing_body import plan_report
from coalition.actionplan.selectors.meetings import meeting_campaign_pledges, meeting_for_page, text_lines
from coalition.common import asof

# How many meetings the list shows in each part; the calendar pages through more.
MEETING_LIST_LIMIT = 200



def _render(request, template, context, error):
    context = {**context, "as_of_error": error, "today": timezone.localdate()}
    return render(request, template, context, status=400 if error else 200)


@require_safe
def meeting_list(request):
    """The meetings recorded on the date: coming ones first, soonest first, then past ones."""
    as_of, error = asof.as_of_asked(request)
    only_meetings = CalendarFilters(kind=MEETINGS)
    return _render(request, "actionplan/meeting_list.html", {
        "as_of": as_of,
        "coming": calendar_selectors.calendar_coming(as_of=as_of, filters=only_meetings)[:MEETING_LIST_LIMIT],
        "past": calendar_selectors.calendar_past(as_of=as_of, filters=only_meetings)[:MEETING_LIST_LIMIT],
    }, error)


@require_safe
def meeting_detail(request, slug: str):
    """A meeting: what it is, when and where, its agenda, documents and decisions, the countries
    present, and the pledges announced under its campaign as of the date."""
    try:
        meeting = meeting_for_page(slug=slug)
    except Meeting.DoesNotExist:
        raise Http404 from None
    as_of, error = asof.as_of_asked(request)
    # A meeting may have its own template, meeting_page_<slug>.html, extending meeting_detail.html
    # (its block `secretariat_reports_on`, for the session the secretariat reports to).
    templates = [f"actionplan/meeting_page_{meeting.slug}.html", "actionplan/meeting_detail.html"]
    campaign = meeting.campaign
    return _render(request, templates, {
        "meeting": meeting, "as_of": as_of,
        "agenda": text_lines(meeting.agenda), "decisions": text_lines(meeting.decisions),
        "documents": list(meeting.documents.all()), "countries": list(meeting.countries.all()),
        "pledges": meeting_campaign_pledges(meeting=meeting, as_of=as_of),
        "explorer_url": reverse("explore:explorer") + "?" + urlencode({"campaign": campaign.slug}) if campaign else "",
        "plan_url": url_or_blank("actionplan:plan", meeting.plan.slug) if meeting.plan else "",
        "over": meeting.last_day < as_of.date,
        **_reports_on(meeting, as_of),
    }, error)


def _reports_on(meeting: Meeting, as_of) -> dict:
    """For a Commission session on a plan: what the secretariat reports to it, as of the date."""
    if meeting.kind != MeetingKind.COMMISSION or meeting.plan is None:
        return {}
    return {"plan_report": plan_report(plan=meeting.plan, as_of=as_of),
            "report_sections": report_sections.render(meeting=meeting, plan=meeting.plan, as_of=as_of)}


@require_safe
def calendar(request):
    """Coming activities and meetings (soonest first, at most COMING_LIMIT), then past ones (newest
    first, a page at a time), as published on the date, narrowed by kind, country and year."""
    as_of, error = asof.as_of_asked(request)
    filters, filter_errors = calendar_selectors.calendar_filters(request.GET)
    coming = calendar_selectors.calendar_coming(as_of=as_of, filters=filters)
    shown = coming[:COMING_LIMIT]
    past = Paginator(calendar_selectors.calendar_past(as_of=as_of, filters=filters), PAGE_SIZE)
    feed = reverse("actionplan:calendar_ics")
    return _render(request, "actionplan/calendar.html", {
        "as_of": as_of, "filters": filters, "filter_errors": filter_errors,
        "kinds": KIND_CHOICES, "countries": calendar_selectors.calendar_countries(as_of=as_of),
        "years": calendar_selectors.calendar_years(as_of=as_of),
        "coming": shown, "coming_more": coming.count() - len(shown) if len(shown) == COMING_LIMIT else 0,
        "past": past.get_page(request.GET.get("page")),
        "feed_url": feed + ("?" + urlencode(filters.params()) if filters.params() else ""),
    }, error)


@require_safe
def calendar_ics(request):
    """The calendar as an iCalendar feed (the newest FEED_LIMIT entries), with the page's filters
    and `as_of` from the query string."""
    try:
        as_of = asof.as_of_parse(request.GET.get("as_of"))
    except ValidationError as error:
        return _plain(error.message_dict["as_of"][0], status=400)
    filters, errors = calendar_selectors.calendar_filters(request.GET)
    if errors:
        return _plain("\n".join(errors), status=400)
    entries = calendar_selectors.calendar_all(as_of=as_of, filters=filters)[:FEED_LIMIT]
    # Event UIDs are named after the site's configured address, so they stay the same whichever
    # address the feed was fetched through.
    host = urlsplit(settings.COALITION_SITE_URL).hostname or request.get_host()
    body = calendar_selectors.calendar_ical(entries, name=calendar_selectors.calendar_feed_name(filters),
                                           site=request.build_absolute_uri("/").rstrip("/"), host=host)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def _plain(text: str, *, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("meetings/", meeting_list, name="meetings"),
    path("meetings/<slug:slug>/", meeting_detail, name="meeting"),
    path("calendar/", calendar, name="calendar"),
    path("calendar.ics", calendar_ics, name="calendar_ics"),
]
