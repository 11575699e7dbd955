"""Offline reporting pages: download the XLSX template, upload it filled, see what happened."""

import datetime
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.reporting.xlsx import ReportTemplateWriter, report_template_write, report_upload, report_upload_entities

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
    return datetime.date(timezone.localdate().year, 12, 31)


@login_required
def report_upload_page(request):
    entities = _entities(request)
    run = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, entities=entities)
        if not form.is_valid() and "entity" in form.errors:
            raise PermissionDenied
        if form.is_valid():
            run = report_upload(actor=request.user, entity=form.cleaned_data["entity"], file=form.cleaned_data["file"])
    else:
        form = UploadForm(entities=entities, initial={"entity": entities.first()})
    download = EntityForm(entities=entities, initial={"entity": entities.first(), "period_end": _default_period_end()})
    return render(request, "reporting/report_upload.html", {
        "form": form, "download": download, "run": run, "writer": ReportTemplateWriter,
    })


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
