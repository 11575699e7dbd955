"""What every router of the JSON API shares, whatever app it serves: problem details, the as-of
moment, conditional requests (ETag, Last-Modified, 304) and cursor pages.

It lives in `common` so that every app's `api.py` can use it, `indicators` included (which may
import only `reference` and `common`). The API itself, its authentication, rate limits and
exception handlers, is `coalition.api`. docs/api.md says what clients may rely on.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import Schema

from coalition.common.asof import AsOf, as_of_parse
from coalition.common.cursors import BadCursor, cursor_make, cursor_read

PROBLEM_TYPE = "application/problem+json"
LIMIT_DEFAULT, LIMIT_MAX = 25, 100


class Problem(Schema):
    """An error as RFC 9457 problem details; `errors` names each field at fault."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: dict[str, list[str]] = {}


# The answers every read and every write may give besides its own, for the OpenAPI document.
READ_ERRORS = {304: None, 400: Problem, 401: Problem, 404: Problem, 429: Problem}
WRITE_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem}


def problem_response(request: HttpRequest, *, status: int, title: str, detail: str = "",
                     errors: dict[str, list[str]] | None = None, kind: str = "about:blank") -> HttpResponse:
    """A problem-details response. `kind` is the problem's type URI; "about:blank" means the
    title is the HTTP status phrase and says all there is."""
    body = {"type": kind, "title": title, "status": status, "detail": detail or title,
            "instance": request.get_full_path(), "errors": errors or {}}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE)


def as_of_read(value: str | None) -> AsOf:
    """The `as_of` query parameter as a moment (blank: now). ValidationError on `as_of` otherwise,
    which the API answers with a 400 problem naming the field."""
    return as_of_parse(value)


# --- Conditional requests ---------------------------------------------------------------------


def _first_seen(stamp: str) -> int:
    """When this server first answered with `stamp`: the Last-Modified of everything built on it.

    Versions may be written with a past date (imports, the demo), so the newest version's date
    is not when the data last changed; the moment a new stamp was first seen is. Kept in the
    shared cache; losing it only moves Last-Modified forward (a full answer, never a wrong 304).
    """
    key = "api-stamp:" + hashlib.sha256(stamp.encode()).hexdigest()[:40]
    now = int(timezone.now().timestamp())
    caches["default"].add(key, now, timeout=None)
    return caches["default"].get(key) or now


def validators(request: HttpRequest, *, stamp: str) -> tuple[str, int]:
    """(weak ETag, Last-Modified as a timestamp) of a read: the data's `stamp`, the address with
    its query (filters, as_of, lang, cursor) and today's date (a bare address answers as of today)."""
    language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else ""
    basis = "|".join((stamp, request.get_full_path(), timezone.localdate().isoformat(), language))
    return 'W/"' + hashlib.sha256(basis.encode()).hexdigest()[:32] + '"', _first_seen(stamp)


class NotModified(Exception):
    """Raised by `conditional` when the client's copy is current: the API answers 304."""

    def __init__(self, response: HttpResponse):
        super().__init__("not modified")
        self.response = response


def conditional(request: HttpRequest, response: HttpResponse, *, stamp: str) -> None:
    """Put ETag and Last-Modified on `response` (ninja's temporal response) and raise
    NotModified when If-None-Match (or, without it, If-Modified-Since) shows the client has this
    very answer. Called at the start of a read, after authentication and rate limits."""
    etag, modified = validators(request, stamp=stamp)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "Authorization, Accept-Language"
    answer = get_conditional_response(request, etag=etag, last_modified=modified)
    if answer is not None and answer.status_code == 304:
        for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
            answer[header] = response[header]
        raise NotModified(answer)


# --- Cursor pages -----------------------------------------------------------------------------


def cursor_refused(name: str) -> ValidationError:
    return ValidationError({name: _("This cursor is damaged or was made for another list; start again from the first page.")})


def limit_check(limit: int) -> int:
    if not 1 <= limit <= LIMIT_MAX:
        raise ValidationError({"limit": _("Ask for 1 to %(max)s rows a page.") % {"max": LIMIT_MAX}})
    return limit


@dataclass
class Paged:
    """One page of a list and the addresses of the pages around it (None at either end)."""

    rows: list
    next: str | None
    previous: str | None


def page_address(request: HttpRequest, **changes) -> str:
    """This request's absolute address with `changes` to its query (None removes a parameter)."""
    query = request.GET.copy()
    for name in ("after", "before", *changes):
        query.pop(name, None)
    for name, value in changes.items():
        if value is not None:
            query[name] = value
    encoded = urlencode(sorted(query.lists()), doseq=True)
    return request.build_absolute_uri(request.path + ("?" + encoded if encoded else ""))


def keyset_page(request: HttpRequest, rows: QuerySet, *, after: str, before: str, limit: int) -> Paged:
    """A page of `rows` in ascending id (the objects' ids, also for queryset of versions), from
    the cursor `after` (or back from `before`). The same rows whatever was added meanwhile:
    an object added after the cursor's id comes on a later page, never twice."""
    limit = limit_check(limit)
    reverse, token = (True, before) if before else (False, after)
    offset = 0
    if token:
        try:
            _value, pk, offset = cursor_read(token, key="id")
        except BadCursor:
            raise cursor_refused("before" if reverse else "after") from None
        rows = rows.filter(id__lt=pk) if reverse else rows.filter(id__gt=pk)
    found = list(rows.order_by("-id" if reverse else "id")[:limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if reverse:
        found.reverse()
        offset = max(0, offset - len(found))
    has_next = bool(found) and (more or reverse)
    has_previous = bool(found) and (more if reverse else offset > 0)
    return Paged(
        rows=found,
        next=page_address(request, after=cursor_make(key="id", value=None, pk=found[-1].id, offset=offset + len(found)))
        if has_next else None,
        previous=page_address(request, before=cursor_make(key="id", value=None, pk=found[0].id, offset=offset))
        if has_previous else None,
    )


def links_set(response: HttpResponse, paged: Paged) -> None:
    """The page's neighbours in a Link header (RFC 8288), as in the body."""
    links = [f'<{url}>; rel="{rel}"' for rel, url in (("next", paged.next), ("prev", paged.previous)) if url]
    if links:
        response["Link"] = ", ".join(links)


def day_of(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def versions_stamp() -> str:
    """A short string that changes whenever any versioned object changes: versions are only ever
    added (a backdated one gets a new, higher id). One query. The registry's own stamp
    (`explore.daily.registry_stamp`) adds the group memberships its figures depend on."""
    from django.db import connection

    from coalition.common.intervals import interval_models

    quote = connection.ops.quote_name
    parts = [f"(SELECT MAX(history_id) FROM {quote(model._meta.db_table)})" for model in interval_models()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "versions-" + "-".join(str(value or 0) for value in cursor.fetchone())
