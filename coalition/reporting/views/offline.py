"""Offline reporting pages: download the XLSX template, upload it filled, see what happened."""

import datetime
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.reporting.xlsx import (
    ReportTemplateWriter,
    report_template_write,
    report_upload,
    report_upload_entities,
    report_upload_run_for,
    report_upload_written,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EntityForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=None, label=_("Entity"), empty_label=None)
    period_end = forms.DateField(label=_("Period end"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("Last day of the period reported on (YYYY-MM-DD)."))

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities
        if len(entities) == 1:
            self.fields["entity"].widget = forms.HiddenInput()


class UploadForm(EntityForm):
    file = forms.FileField(label=_("Filled template (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["period_end"]


def _entities(request):
    entities = report_upload_entities(request.user)
    if not entities.exists():
        raise PermissionDenied
    return entities


def _default_period_end() -> datetime.date:
    """The end of the last year that is over: a report covers a period that has ended."""
    return datetime.date(timezone.localdate().year - 1, 12, 31)


@login_required
def report_upload_page(request):
    entities = _entities(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, entities=entities)
        if not form.is_valid() and "entity" in form.errors:
            raise PermissionDenied
        if form.is_valid():
            run = report_upload(actor=request.user, entity=form.cleaned_data["entity"], file=form.cleaned_data["file"])
            return redirect("reporting:report_upload_run", pk=run.pk)
    else:
        form = UploadForm(entities=entities, initial={"entity": entities.first()})
    download = EntityForm(entities=entities, initial={"entity": entities.first(), "period_end": _default_period_end()})
    return render(request, "reporting/report_upload.html", {
        "form": form, "download": download, "writer": ReportTemplateWriter,
    })


@login_required
def report_upload_run_page(request, pk: int):
    """One upload and how it went; while it runs, htmx asks again every few seconds (and a link
    does the same without JavaScript)."""
    run = report_upload_run_for(request.user, pk)
    if run is None:
        raise Http404
    # Errors about the whole file (not a readable workbook, too large…) read as sentences;
    # errors in cells go in the table with their sheet, row and column.
    whole_file = [error for error in run.errors if not error.get("sheet") and not error.get("row")]
    context = {"run": run, "name": run.source.partition(":")[2], "file_errors": whole_file,
               "cell_errors": [error for error in run.errors if error not in whole_file],
               "written": report_upload_written(run) if run.status == run.Status.SUCCEEDED else []}
    if request.headers.get("HX-Request"):
        return render(request, "reporting/_report_upload_run.html", context)
    return render(request, "reporting/report_upload_run.html", context)


@login_required
def report_template_download(request):
    entities = _entities(request)
    form = EntityForm(request.GET, entities=entities)
    if not form.is_valid():
        if "entity" in form.errors:
            raise PermissionDenied
        period_end = _default_period_end()
    else:
        period_end = form.cleaned_data["period_end"] or _default_period_end()
    entity = form.cleaned_data["entity"]
    stream = io.BytesIO()
    report_template_write(entity=entity, stream=stream, period_end=period_end)
    response = HttpResponse(stream.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="progress-reports-{entity.pk}-{period_end.year}.xlsx"'
    return response
