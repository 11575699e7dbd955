"""The API's reads of the report archive (`/published-reports/`: progress reports are under
`/pledges/{id}/reports/`): the reports published at a date, each with its
downloads (PDF, JSON data) and their SHA-256, as the archive page lists them."""

import datetime
from enum import Enum

from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema

from coalition.common.api import LIMIT_DEFAULT, READ_ERRORS, as_of_read, conditional, keyset_page, links_set
from coalition.reports.builders import KINDS
from coalition.reports.models import ReportBuild
from coalition.reports.selectors import reports_published

router = Router(tags=["Reports"])
KindValue = Enum("KindValue", {slug: slug for slug in KINDS}, type=str)
DOWNLOADS = {"pdf": "reports:pdf", "json": "reports:json"}


class DownloadOut(Schema):
    format: str
    url: str
    size: int
    sha256: str


class ReportOut(Schema):
    id: int
    kind: str
    title: str
    language: str
    report_as_of: datetime.date
    params: dict
    published_at: datetime.datetime
    is_demo: bool
    page: str
    downloads: list[DownloadOut]


class ReportList(Schema):
    as_of: datetime.date
    next: str | None
    previous: str | None
    results: list[ReportOut]


def _stamp() -> str:
    """Changes whenever a report is published or withdrawn. One query."""
    found = ReportBuild.objects.aggregate(
        count=Count("id", filter=Q(published_at__isnull=False)), published=Max("published_at"),
        withdrawn=Max("withdrawn_at"),
    )
    return f"reports:{found['count']}:{found['published']}:{found['withdrawn']}"


def _row(request: HttpRequest, build: ReportBuild) -> dict:
    return {
        "id": build.id, "kind": build.kind, "title": build.title, "language": build.language,
        "report_as_of": build.as_of, "params": build.params, "published_at": build.published_at,
        "is_demo": build.is_demo, "page": request.build_absolute_uri(reverse("reports:report", args=[build.id])),
        "downloads": [
            {"format": output.format, "size": output.size, "sha256": output.sha256,
             "url": request.build_absolute_uri(reverse(DOWNLOADS[output.format], args=[build.id]))}
            for output in build.listed_outputs if output.format in DOWNLOADS
        ],
    }


@router.get("/published-reports/", response={200: ReportList, **READ_ERRORS}, summary="Published reports")
def report_list(request: HttpRequest, response: HttpResponse,
                kind: KindValue | None = Query(None, description="Annual report, note to a governing body or country profile."),
                language: str = Query("", description="The report's language: en or fr."),
                after: str = "", before: str = "", limit: int = LIMIT_DEFAULT, as_of: str = ""):
    """The archive as it stood at `as_of` (today by default), by id. Each report is frozen: its
    downloads are the files published, with their SHA-256, whatever has changed since."""
    moment = as_of_read(as_of)
    conditional(request, response, stamp=_stamp())
    builds = reports_published(at=moment.moment)
    if kind is not None:
        builds = builds.filter(kind=kind.value)
    if language:
        builds = builds.filter(language=language)
    paged = keyset_page(request, builds, after=after, before=before, limit=limit)
    links_set(response, paged)
    return {"as_of": moment.date, "next": paged.next, "previous": paged.previous,
            "results": [_row(request, build) for build in paged.rows]}


@router.get("/published-reports/{int:report_id}/", response={200: ReportOut, **READ_ERRORS}, summary="One published report")
def report_detail(request: HttpRequest, response: HttpResponse, report_id: int, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=_stamp())
    build = reports_published(at=moment.moment).filter(id=report_id).first()
    if build is None:
        raise Http404
    return _row(request, build)
