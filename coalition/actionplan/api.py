"""The API's reads of the action plans: plans with their progress, pillars and actions as of a
date (`selectors.plans`, the plan pages' own reads), the published activities, and the meetings
(sessions, conferences) with their documents and decisions."""

import datetime
from decimal import Decimal
from enum import Enum

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema

from coalition.actionplan.models import ActivityKind, Meeting, MeetingKind, Plan
from coalition.actionplan.selectors import activities as activity_selectors
from coalition.actionplan.selectors import meetings as meeting_selectors
from coalition.actionplan.selectors import plans as plan_selectors
from coalition.common.api import (
    LIMIT_DEFAULT,
    READ_ERRORS,
    as_of_read,
    conditional,
    keyset_page,
    limit_check,
    links_set,
    versions_stamp,
)
from coalition.reference.models import Country

router = Router(tags=["Action plans"])


class Progress(Schema):
    figure: Decimal | None
    covered: int
    of: int


class PlanOut(Schema):
    slug: str
    name: str
    initiative: str
    start_year: int
    end_year: int
    progress: Progress


class PlanList(Schema):
    as_of: datetime.date
    next: str | None = None
    previous: str | None = None
    results: list[PlanOut]


def _plan_row(plan, progress) -> dict:
    return {"slug": plan.slug, "name": plan.name, "initiative": plan.initiative.slug, "start_year": plan.start_year,
            "end_year": plan.end_year,
            "progress": {"figure": progress.figure, "covered": progress.pillars_covered, "of": progress.pillars}}


@router.get("/plans/", response={200: PlanList, **READ_ERRORS}, summary="Action plans and their progress")
def plan_list(request: HttpRequest, response: HttpResponse, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=versions_stamp())
    return {"as_of": moment.date,
            "results": [_plan_row(s.plan, s.progress) for s in plan_selectors.plans_as_of(as_of=moment)]}


class ActionOut(Schema):
    code: str
    title: str
    status: str
    weight: Decimal
    start_date: datetime.date | None
    end_date: datetime.date | None
    progress: Decimal | None


class PillarOut(Schema):
    code: str
    name: str
    weight: Decimal
    progress: Progress
    actions: list[ActionOut]


class PlanDetail(PlanOut):
    as_of: datetime.date
    pillars: list[PillarOut]


@router.get("/plans/{slug}/", response={200: PlanDetail, **READ_ERRORS}, summary="One plan: pillars, actions, progress")
def plan_detail(request: HttpRequest, response: HttpResponse, slug: str, as_of: str = ""):
    """The plan as of the date, each action with its progress (0 to 100, weighted by its
    deliverables), each pillar and the plan rolled up by weights. 404 for a plan not loaded yet then."""
    moment = as_of_read(as_of)
    conditional(request, response, stamp=versions_stamp())
    try:
        plan = plan_selectors.plan_for_page(slug=slug, as_of=moment)
    except (Plan.DoesNotExist, plan_selectors.NotOnDate):
        raise Http404 from None
    page = plan_selectors.plan_page(plan=plan, as_of=moment)
    pillars = [{
        "code": row.pillar.code, "name": row.pillar.name, "weight": row.pillar.weight,
        "progress": {"figure": row.progress.figure, "covered": row.progress.actions_covered, "of": row.progress.actions},
        "actions": [{"code": a.action.code, "title": a.action.title, "status": a.action.status, "weight": a.action.weight,
                     "start_date": a.action.start_date, "end_date": a.action.end_date, "progress": a.progress.figure}
                    for a in row.actions],
    } for row in page.pillars]
    return {**_plan_row(page.plan, page.progress), "as_of": moment.date, "pillars": pillars}


ActivityKindValue = Enum("ActivityKindValue", {v: v for v in ActivityKind.values}, type=str)


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    start_date: datetime.date
    end_date: datetime.date | None
    place: str
    online: bool
    host_country: str | None
    countries: list[str]


class ActivityList(Schema):
    as_of: datetime.date
    next: str | None
    previous: str | None
    results: list[ActivityOut]


@router.get("/activities/", response={200: ActivityList, **READ_ERRORS}, summary="Published activities")
def activity_list(request: HttpRequest, response: HttpResponse, kind: ActivityKindValue | None = None,
                  country: str = Query("", description="ISO alpha-3: for, hosted in, or with a participation of."),
                  year: int | None = None, after: str = "", before: str = "", limit: int = LIMIT_DEFAULT,
                  as_of: str = ""):
    """Activities published at the end of the as-of day, by id; their fields as they are now."""
    moment = as_of_read(as_of)
    limit = limit_check(limit)
    conditional(request, response, stamp=versions_stamp())
    place = Country.objects.filter(iso3=country.upper()).first() if country else None
    if country and place is None:
        return {"as_of": moment.date, "next": None, "previous": None, "results": []}
    if year is not None and not 1990 <= year <= 2100:
        year = None
    activities = activity_selectors.activities_published(
        as_of=moment, kind=kind.value if kind else "", country=place, year=year)
    paged = keyset_page(request, activities, after=after, before=before, limit=limit)
    links_set(response, paged)
    return {"as_of": moment.date, "next": paged.next, "previous": paged.previous, "results": [{
        "id": a.id, "kind": a.kind, "title": a.title, "start_date": a.start_date, "end_date": a.end_date,
        "place": a.place, "online": a.online, "host_country": a.host_country.iso3 if a.host_country_id else None,
        "countries": sorted(c.iso3 for c in a.countries.all()),
    } for a in paged.rows]}


MeetingKindValue = Enum("MeetingKindValue", {v: v for v in MeetingKind.values}, type=str)


class MeetingOut(Schema):
    slug: str
    kind: str
    name: str
    body: str
    plan: str | None
    start_date: datetime.date
    end_date: datetime.date | None
    place: str
    host_country: str | None
    online: bool
    illustrative: bool
    url: str
    page: str


class MeetingList(Schema):
    as_of: datetime.date
    next: str | None
    previous: str | None
    results: list[MeetingOut]


class MeetingDocumentOut(Schema):
    symbol: str
    title: str
    url: str


class MeetingDetail(MeetingOut):
    as_of: datetime.date
    summary: str
    agenda: list[str]
    decisions: list[str]
    countries: list[str]
    campaign: str | None
    documents: list[MeetingDocumentOut]


def _meeting_row(request: HttpRequest, meeting: Meeting) -> dict:
    return {
        "slug": meeting.slug, "kind": meeting.kind, "name": meeting.name, "body": meeting.body,
        "plan": meeting.plan.slug if meeting.plan_id else None, "start_date": meeting.start_date,
        "end_date": meeting.end_date, "place": meeting.place,
        "host_country": meeting.host_country.iso3 if meeting.host_country_id else None, "online": meeting.online,
        "illustrative": meeting.illustrative, "url": meeting.url,
        "page": request.build_absolute_uri(reverse("actionplan:meeting", args=[meeting.slug])),
    }


@router.get("/meetings/", response={200: MeetingList, **READ_ERRORS}, summary="Meetings: sessions and conferences")
def meeting_list(request: HttpRequest, response: HttpResponse, kind: MeetingKindValue | None = None,
                 year: int | None = Query(None, ge=1990, le=2100, description="Meetings that start in this year."),
                 after: str = "", before: str = "", limit: int = LIMIT_DEFAULT, as_of: str = ""):
    """The meetings the platform holds, by id. Meetings keep no versions: `as_of` is checked and
    answered, and the meetings are as they are now (a past session stays listed)."""
    moment = as_of_read(as_of)
    conditional(request, response, stamp=versions_stamp())
    meetings = Meeting.objects.select_related("plan", "host_country")
    if kind is not None:
        meetings = meetings.filter(kind=kind.value)
    if year is not None:
        meetings = meetings.filter(start_date__year=year)
    paged = keyset_page(request, meetings, after=after, before=before, limit=limit)
    links_set(response, paged)
    return {"as_of": moment.date, "next": paged.next, "previous": paged.previous,
            "results": [_meeting_row(request, meeting) for meeting in paged.rows]}


@router.get("/meetings/{slug}/", response={200: MeetingDetail, **READ_ERRORS}, summary="One meeting")
def meeting_detail(request: HttpRequest, response: HttpResponse, slug: str, as_of: str = ""):
    """A meeting with its agenda, decisions, documents (with their symbols) and countries."""
    moment = as_of_read(as_of)
    conditional(request, response, stamp=versions_stamp())
    try:
        meeting = meeting_selectors.meeting_for_page(slug=slug)
    except Meeting.DoesNotExist:
        raise Http404 from None
    return {
        **_meeting_row(request, meeting), "as_of": moment.date, "summary": meeting.summary,
        "agenda": meeting_selectors.text_lines(meeting.agenda),
        "decisions": meeting_selectors.text_lines(meeting.decisions),
        "countries": sorted(country.iso3 for country in meeting.countries.all()),
        "campaign": meeting.campaign.slug if meeting.campaign_id else None,
        "documents": [{"symbol": d.symbol, "title": d.title, "url": d.url} for d in meeting.documents.all()],
    }
