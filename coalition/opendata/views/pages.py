"""The open-data pages: the datasets and their files, one dataset's page, the column dictionary,
and the secretariat's button that queues a rebuild. Parse, call, render."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.accounts.roles import user_is_reviewer
from coalition.opendata import selectors, services
from coalition.opendata.datasets import DATASETS, licence
from coalition.opendata.tables import TABLES

# What json_script escapes: the document cannot close the <script> element it sits in.
_JSON_LD_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def data_index(request):
    language = _language()
    state = selectors.dumps_state(language=language)
    datasets = [(dataset, dataset.available_formats(), state.of_dataset(dataset.slug)) for dataset in DATASETS.values()]
    return render(request, "opendata/data_index.html", {
        "state": state, "datasets": datasets, "package": state.package(), "licence": licence(),
        "language": language, "may_rebuild": user_is_reviewer(request.user),
    })


def dataset_detail(request, slug):
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404(_("No such dataset."))
    language = _language()
    state = selectors.dumps_state(language=language)
    files = state.of_dataset(slug)
    as_of = state.built.as_of if state.built else None
    json_ld = selectors.dataset_json_ld(dataset=dataset, files=files, site=_site(request), language=language,
                                        as_of=as_of)
    return render(request, "opendata/dataset_detail.html", {
        "dataset": dataset, "formats": dataset.available_formats(), "files": files, "state": state,
        "package": state.package(), "licence": licence(), "language": language,
        "as_of_local": timezone.localtime(as_of) if as_of else None,
        "publisher": selectors.publisher_name(), "tables": dataset.tables,
        "json_ld": mark_safe(json.dumps(json_ld, ensure_ascii=False, indent=1).translate(_JSON_LD_ESCAPES)),  # noqa: S308
        "page_url": request.build_absolute_uri(request.path),
    })


def dictionary(request):
    return render(request, "opendata/dictionary.html", {
        "groups": [(dataset, dataset.tables) for dataset in DATASETS.values()], "language": _language(),
        "table_count": len(TABLES),
    })


@login_required
@require_POST
def rebuild(request):
    services.dumps_rebuild_request(actor=request.user)
    messages.success(request, _("A rebuild of the open-data files is queued; the files are replaced when it ends."))
    return redirect("opendata:index")


urlpatterns = [
    path("data/", data_index, name="index"),
    path("data/dictionary/", dictionary, name="dictionary"),
    path("data/rebuild/", rebuild, name="rebuild"),
    path("data/<slug:slug>/", dataset_detail, name="dataset"),
]
