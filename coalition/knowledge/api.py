"""The API's reads of the good-practice library: the practices published at a date, with the
library page's filters (`selectors.library`), each as its published version of that day."""

import datetime
from enum import Enum

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

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
from coalition.knowledge.models import SharedBy
from coalition.knowledge.selectors.library import library_filters_parse, library_versions, published_versions

router = Router(tags=["Good practices"])
SharedByValue = Enum("SharedByValue", {v: v for v in SharedBy.values}, type=str)


class PracticeOut(Schema):
    id: int
    title: str
    summary: str
    shared_by: str
    published_at: datetime.datetime | None


class PracticeList(Schema):
    as_of: datetime.date
    next: str | None
    previous: str | None
    results: list[PracticeOut]


class PracticeDetail(PracticeOut):
    as_of: datetime.date
    problem: str
    approach: str
    results: str
    lessons: str
    cost: str


def _row(version) -> dict:
    return {"id": version.id, "title": version.title, "summary": version.summary, "shared_by": version.shared_by,
            "published_at": version.published_at}


@router.get("/practices/", response={200: PracticeList, **READ_ERRORS}, summary="Published good practices")
def practice_list(request: HttpRequest, response: HttpResponse,
                  q: str = Query("", description="Words searched in the practices."),
                  country: str = Query("", description="ISO alpha-3."), goal: int | None = Query(None, description="SDG number."),
                  wsis: str = "", shared_by: SharedByValue | None = None, after: str = "", before: str = "",
                  limit: int = LIMIT_DEFAULT, as_of: str = ""):
    """The library's filters by the same names; by id."""
    moment = as_of_read(as_of)
    limit = limit_check(limit)
    conditional(request, response, stamp=versions_stamp())
    versions = library_versions(as_of=moment, filters=library_filters_parse(request.GET))
    paged = keyset_page(request, versions, after=after, before=before, limit=limit)
    links_set(response, paged)
    return {"as_of": moment.date, "next": paged.next, "previous": paged.previous,
            "results": [_row(v) for v in paged.rows]}


@router.get("/practices/{int:practice_id}/", response={200: PracticeDetail, **READ_ERRORS}, summary="One good practice")
def practice_detail(request: HttpRequest, response: HttpResponse, practice_id: int, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=versions_stamp())
    version = published_versions(moment).filter(id=practice_id).first()
    if version is None:
        raise Http404
    return {**_row(version), "as_of": moment.date, "problem": version.problem, "approach": version.approach,
            "results": version.results, "lessons": version.lessons, "cost": version.cost}
