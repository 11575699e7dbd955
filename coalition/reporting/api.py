"""The API's writes on progress reports: a pledger reports on a published pledge and submits
the report, through the services the report pages use (`report_create`, `report_submit`), with
their permission checks and messages. Evidence comes as links; files are uploaded on the page.
"""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.responses import Status

from coalition.common.api import WRITE_ERRORS
from coalition.pledges.models import Pledge
from coalition.reporting import services
from coalition.reporting.models import ProgressReport

router = Router(tags=["Reporting"])


class ActualIn(Schema):
    target: int
    actual_value: Decimal | None = None


class EvidenceLinkIn(Schema):
    title: str
    url: str


class ReportIn(Schema):
    period_end: datetime.date
    implementation_status: str = ""
    share_delivered: Decimal | None = None
    disbursed_amount: Decimal | None = None
    disbursed_currency: str | None = None
    disbursed_year: int | None = None
    narrative: str = ""
    challenges: str = ""
    targets: list[ActualIn] = []
    evidence: list[EvidenceLinkIn] = []


class ReportState(Schema):
    id: int
    pledge: int
    year: int
    status: str
    version: int
    edit_url: str


def _state(request: HttpRequest, report: ProgressReport) -> dict:
    return {"id": report.pk, "pledge": report.pledge_id, "year": report.year, "status": report.status,
            "version": report.version,
            "edit_url": request.build_absolute_uri(reverse("reporting:report_edit", args=[report.pk]))}


@router.post("/pledges/{int:pledge_id}/reports/", response={201: ReportState, **WRITE_ERRORS},
             summary="Draft a progress report on a published pledge")
def report_draft(request: HttpRequest, pledge_id: int, body: ReportIn):
    """One report per pledge and year (the year of `period_end`). The token's owner must act
    for the pledge's lead entity. A draft may be incomplete; submitting checks it is whole."""
    pledge = get_object_or_404(Pledge, pk=pledge_id)
    data = body.dict(exclude={"evidence"})
    data["evidence"] = [{"kind": "link", "title": item.title, "url": item.url} for item in body.evidence]
    report = services.report_create(actor=request.user, pledge=pledge, data=data)
    return Status(201, _state(request, report))


@router.post("/reports/{int:report_id}/submit/", response={200: ReportState, **WRITE_ERRORS},
             summary="Submit a progress report for review")
def report_submit(request: HttpRequest, report_id: int):
    report = get_object_or_404(ProgressReport, pk=report_id)
    return _state(request, services.report_submit(actor=request.user, report=report))
