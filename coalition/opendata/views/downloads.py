"""Downloads: the files of the full dumps, served from disk with their checksum as ETag, and any
explorer selection streamed as CSV, XLSX or JSON while it is read from the database.

`/data/files/<language>/<name>` names its language in the path; a selection takes `?lang=`
(default: the page's language) beside the explorer's own filters. With `?as_of=` a past day, the
selection is the explorer's of that day and every table holds its rows as they stood at the end
of it, read through the dashboard's read model (`Scope.as_of`); the file's name carries the day,
the JSON document its `as_of`, and every response the moment in `X-Data-As-Of`. A bad date is a
400 naming the parameter."""

import tempfile

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils import translation
from django.utils.http import http_date
from django.views.decorators.http import condition

from coalition.common.asof import as_of_asked
from coalition.explore.explorer import explorer_selection
from coalition.opendata import selectors
from coalition.opendata.datasets import FORMATS, SELECTION, SELECTION_FORMATS
from coalition.opendata.tables import Scope

# Files a browser should save rather than show.
_ATTACHMENTS = ("xlsx", "datapackage-zip")


def _file(request, language, name):
    item = selectors.dump_file_get(language=language, name=name)
    if item is None:
        raise Http404("No such file.")
    return item


def _etag(request, language, name):
    item = selectors.dump_file_get(language=language, name=name)
    return f'"{item.sha256}"' if item else None


def _modified(request, language, name):
    item = selectors.dump_file_get(language=language, name=name)
    return item.build.finished_at if item else None


@condition(etag_func=_etag, last_modified_func=_modified)
def dump_file(request, language, name):
    item = _file(request, language, name)
    try:
        handle = selectors.dump_file_path(item).open("rb")
    except FileNotFoundError:
        raise Http404("The file is being replaced; try again in a moment.") from None
    text = item.media_type.startswith("text/") or item.media_type == "application/json"
    response = FileResponse(handle, content_type=item.media_type + ("; charset=utf-8" if text else ""),
                            as_attachment=item.format in _ATTACHMENTS,
                            filename=f"coalition-{item.language}-{item.name}")
    response["X-Checksum-SHA256"] = item.sha256
    response["X-Data-As-Of"] = http_date(item.build.as_of.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response


class _Chunks:
    """A binary stream whose writes are taken as they come, for a streamed response."""

    def __init__(self):
        self._parts = []

    def write(self, data: bytes) -> int:
        self._parts.append(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _streamed(steps, buffer: _Chunks):
    for _written in steps:
        if data := buffer.take():
            yield data
    if data := buffer.take():
        yield data


def _selection_language(request) -> str:
    asked = request.GET.get("lang", "")
    codes = [code for code, _name in settings.LANGUAGES]
    return asked if asked in codes else (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def selection_download(request, extension):
    if extension not in SELECTION_FORMATS:
        raise Http404("No such format.")
    as_of, error = as_of_asked(request)
    if error is not None:
        return HttpResponse(f"as_of: {error}\n", status=400, content_type="text/plain; charset=utf-8")
    selection = explorer_selection(params=request.GET, as_of=as_of)
    if selection.errors:
        return HttpResponse("\n".join(selection.errors) + "\n", status=400, content_type="text/plain; charset=utf-8")
    language = _selection_language(request)
    scope = Scope(pledges=selection.pledges, language=language, today=as_of.date, as_of=as_of)
    fmt = FORMATS[extension]
    tables = SELECTION.tables[:1] if fmt.per_table else SELECTION.tables
    filename = f"pledges-{as_of.date.isoformat()}-{language}.{fmt.extension}"
    steps = lambda stream: fmt.write(dataset=SELECTION, tables=tables, scope=scope, stream=stream,  # noqa: E731
                                     as_of=as_of.moment)
    if fmt.slug == "xlsx":
        # A workbook is a zip whose directory comes last: written to a temporary file, then sent.
        spool = tempfile.TemporaryFile()
        for _written in steps(spool):
            pass
        spool.seek(0)
        response = FileResponse(spool, content_type=fmt.media_type, as_attachment=True, filename=filename)
    else:
        buffer = _Chunks()
        response = StreamingHttpResponse(_streamed(steps(buffer), buffer),
                                         content_type=f"{fmt.media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Data-As-Of"] = http_date(as_of.moment.timestamp())
    return response


urlpatterns = [
    path("data/files/<str:language>/<str:name>", dump_file, name="file"),
    path("pledges/download.<str:extension>", selection_download, name="selection"),
]
