"""HTML views of the yearly progress reports: the pledger's report form, the reviewer's list
and decision page, and the permission-checked download of evidence files.

Views parse the request, call `services` / `selectors`, and put the
services' field errors (`targets[2].actual_value`, `evidence[0].file`) back on their inputs.
"""

import datetime
import os
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.common.forms import posted_object
from coalition.common.versions import EditConflict, version_seen
from coalition.entities.permissions import user_can_act_for_entity
from coalition.pledges.discussion import user_may_discuss
from coalition.pledges.forms import CommentForm
from coalition.pledges.models import Pledge
from coalition.pledges.models import Status as PledgeStatus
from coalition.pledges.selectors import pledge_comments
from coalition.pledges.templatetags.pledge_fields import error_lines, field_label
from coalition.pledges.views.discussion import conversation_redirect
from coalition.reference.models import Initiative
from coalition.reporting import selectors, services
from coalition.reporting.discussion import report_comment_post
from coalition.reporting.forms import (
    EvidenceFileFormSet,
    EvidenceLinkFormSet,
    ReportDecisionForm,
    ReportForm,
    TargetActualForm,
)
from coalition.reporting.models import Evidence, ProgressReport, ReportAction, ReportStatus
from coalition.reporting.sections import report_sections
from coalition.reporting.status import CLOSED_STATUSES, ReportingStatus, first_period_due
from coalition.reporting.workflow import REPORT_WORKFLOW

_INDEXED = re.compile(r"^(targets|evidence)\[(\d+)\]\.(\w+)$")


def default_period_end(pledge: Pledge, *, today: datetime.date) -> datetime.date:
    """The end of the first period due on the pledge's reporting clock (`first_period_due`)."""
    reported = set(pledge.progress_reports.values_list("year", flat=True))
    return first_period_due(pledge, today=today, reported_years=reported)


def _pledger_pledge(request, pk) -> Pledge:
    pledge = get_object_or_404(Pledge.objects.select_related("lead_entity", "initiative"), pk=pk)
    if not user_can_act_for_entity(request.user, pledge.lead_entity):
        raise PermissionDenied
    return pledge


def _plain(value):
    """120.0000 shown as 120 in the input (a Decimal's trailing zeros, no exponent)."""
    return format(value.normalize(), "f") if value is not None else None


class ReportPage:
    """The report form's parts, bound together: main fields, one row per target, evidence."""

    def __init__(self, pledge: Pledge, report: ProgressReport | None, initial: dict, post=None, files=None):
        self.pledge, self.report = pledge, report
        self.targets = list(pledge.targets.all())
        actuals = {row["target"].pk: _plain(row["actual_value"]) for row in initial.get("targets", [])}
        self.form = ReportForm(post, initial=initial)
        self.target_forms = [
            TargetActualForm(post, prefix=f"target-{index}", target=target,
                             initial={"actual_value": actuals.get(target.pk)})
            for index, target in enumerate(self.targets)
        ]
        self.links = EvidenceLinkFormSet(post, prefix="links")
        self.files = EvidenceFileFormSet(post, files, prefix="files")
        self.existing = list(report.evidence.all()) if report else []
        self.removed = set(post.getlist("remove_evidence")) if hasattr(post, "getlist") else set()
        self.evidence_forms: list = []

    def is_valid(self) -> bool:
        parts = [self.form, *self.target_forms, self.links, self.files]
        return all([part.is_valid() for part in parts])

    def data(self) -> dict:
        """The complete set of report fields `report_create` / `report_update` take."""
        data = {**self.form.cleaned_data}
        currency = data.get("disbursed_currency")
        data["disbursed_currency"] = currency.code if currency else None
        data["targets"] = [{"target": f.target, "actual_value": f.cleaned_data.get("actual_value")}
                           for f in self.target_forms]
        # Kept evidence first, then new links, then new files; remember which form each index is.
        evidence, self.evidence_forms = [], []
        for row in self.existing:
            if str(row.pk) not in self.removed:
                evidence.append({"id": row.pk})
                self.evidence_forms.append(None)
        for form in self.links.forms:
            if form.cleaned_data and not form.is_blank():
                evidence.append({"kind": Evidence.Kind.LINK, **form.cleaned_data})
                self.evidence_forms.append(form)
        for form in self.files.forms:
            if form.cleaned_data and not form.is_blank():
                evidence.append({"kind": Evidence.Kind.FILE, **form.cleaned_data})
                self.evidence_forms.append(form)
        data["evidence"] = evidence
        return data

    def attach(self, error: ValidationError) -> None:
        """Put each service error on its input: `targets[i].x` on target row i, `evidence[i].x`
        on the link or file row that became item i, anything else on the main form."""
        for key, texts in error.message_dict.items():
            match = _INDEXED.match(key)
            if match and match.group(1) == "targets" and int(match.group(2)) < len(self.target_forms):
                self.target_forms[int(match.group(2))].add_error("actual_value", texts)
                continue
            if match and match.group(1) == "evidence" and int(match.group(2)) < len(self.evidence_forms):
                form = self.evidence_forms[int(match.group(2))]
                if form is not None:
                    form.add_error(match.group(3) if match.group(3) in form.fields else None, texts)
                    continue
            if key in self.form.fields:
                self.form.add_error(key, texts)
            else:  # above the form, saying which field it is about
                self.form.add_error(None, [f"{capfirst(field_label(key))}: {text}" if match else text for text in texts])

    def context(self) -> dict:
        return {
            "pledge": self.pledge, "report": self.report, "form": self.form,
            "target_rows": list(zip(self.targets, self.target_forms, strict=True)),
            "links": self.links, "files": self.files, "existing": self.existing, "removed": self.removed,
        }


def _save(request, page: ReportPage):
    """Create or update the report from a valid page; then submit it when asked."""
    data = page.data()
    if page.report is None:
        report = services.report_create(actor=request.user, pledge=page.pledge, data=data)
    else:
        report = services.report_update(actor=request.user, report=page.report, data=data,
                                        seen_version=version_seen(request.POST.get("version")))
    return report


def _handle(request, pledge: Pledge, report: ProgressReport | None, initial: dict):
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    page = ReportPage(pledge, report, initial, *bound)
    version = report.version if report is not None else None
    if request.method == "POST" and page.is_valid():
        try:
            report = _save(request, page)
        except ValidationError as error:
            page.attach(error)
            version = error.version if isinstance(error, EditConflict) else version
        else:
            if request.POST.get("action") != ReportAction.SUBMIT:
                messages.success(request, _("Draft saved. Nothing is sent to the secretariat until you submit."))
                return redirect("reporting:report_edit", report.pk)
            try:
                services.report_submit(actor=request.user, report=report)
            except ValidationError as error:
                # The draft is saved; show it again with what is still missing on each field.
                report = ProgressReport.objects.get(pk=report.pk)
                version = report.version
                page = ReportPage(pledge, report, {}, *_as_post(pledge, _initial(report)))
                page.attach(error)
                messages.error(request, _("Your draft is saved, but it is not complete enough to submit yet."))
            else:
                messages.success(request, _("Submitted. The secretariat will review your report and may ask for changes."))
                return redirect("reporting:report_edit", report.pk)
    context = {**page.context(), "version": version, **(_conversation(page.report) if page.report else {})}
    context["action_url"] = (reverse("reporting:report_edit", args=[page.report.pk]) if page.report
                             else reverse("reporting:report_new", args=[pledge.pk]))
    return render(request, "reporting/report_form.html", context)


@login_required
def report_new(request, pledge_pk):
    pledge = _pledger_pledge(request, pledge_pk)
    if pledge.status != PledgeStatus.PUBLISHED:
        messages.info(request, _("Progress is reported only on published pledges."))
        return redirect("reporting:mine")
    open_report = selectors.report_open_for(pledge)
    if open_report is not None:
        return redirect("reporting:report_edit", open_report.pk)
    initial = {"period_end": default_period_end(pledge, today=timezone.localdate())}
    return _handle(request, pledge, None, initial)


@login_required
def report_edit(request, pk):
    report = get_object_or_404(ProgressReport.objects.select_related("pledge__lead_entity"), pk=pk)
    pledge = _pledger_pledge(request, report.pledge_id)
    if not REPORT_WORKFLOW.may_edit(report, request.user):
        if request.method == "POST":
            messages.error(request, _("This report is with the secretariat and cannot be changed."))
            return redirect("reporting:report_edit", report.pk)
        return render(request, "reporting/report_detail.html", {
            "report": selectors.report_for_page(report.pk), "pledge": pledge, **_conversation(report),
            "sections": report_sections.render(report=report, user=request.user),
        })
    return _handle(request, pledge, report, _initial(report))


def _as_post(pledge: Pledge, initial: dict) -> tuple[dict, dict]:
    """A saved report as the form would post it, so that errors can be attached to a bound form."""
    post = {name: "" if value is None else str(value) for name, value in initial.items()
            if name not in ("targets", "evidence")}
    actuals = {row["target"].pk: row["actual_value"] for row in initial["targets"]}
    for index, target in enumerate(pledge.targets.all()):
        value = actuals.get(target.pk)
        post[f"target-{index}-actual_value"] = _plain(value) if value is not None else ""
    for prefix in ("links", "files"):
        post.update({f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0"})
    return post, {}


def _initial(report: ProgressReport) -> dict:
    initial = services.report_data(report)
    if initial.get("disbursed_currency"):
        initial["disbursed_currency"] = initial["disbursed_currency"].code
    return initial


@login_required
def report_delete(request, pk):
    """Delete a draft report, after a confirmation page (GET) that says what goes."""
    report = get_object_or_404(ProgressReport.objects.select_related("pledge__lead_entity"), pk=pk)
    pledge = _pledger_pledge(request, report.pledge_id)
    if not services.report_may_delete(report, request.user):
        messages.info(request, _("Only a draft report is deleted; this one is %(status)s.") % {
            "status": report.get_status_display().lower()})
        return redirect("reporting:report_edit", report.pk)
    if request.method == "POST":
        try:
            services.report_delete(actor=request.user, report=report)
        except ValidationError as error:
            for line in error_lines(error):
                messages.error(request, line)
            return redirect("reporting:report_edit", report.pk)
        messages.success(request, _("The draft report on “%(title)s” is deleted.") % {"title": pledge.title})
        return redirect("reporting:mine")
    return render(request, "reporting/report_delete.html", {"report": report, "pledge": pledge})


@login_required
def report_evidence_file(request, pk):
    """An evidence file, to the secretariat's reviewers and the lead entity's focal points only."""
    evidence = get_object_or_404(Evidence.objects.select_related("report__pledge__lead_entity"), pk=pk)
    entity = evidence.report.pledge.lead_entity
    if not (user_is_reviewer(request.user) or user_can_act_for_entity(request.user, entity)):
        raise PermissionDenied
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(evidence.file.name))


def _reviewer(request):
    if not user_is_reviewer(request.user):
        raise PermissionDenied
    return request.user


@login_required
def report_review_queue(request):
    reviewer = _reviewer(request)
    if request.method == "POST":
        report = posted_object(request, "report", ProgressReport.objects.select_related("pledge"))
        services.report_assign(actor=reviewer, report=report, reviewer=reviewer)
        messages.success(request, _("The report on “%(title)s” is assigned to you.") % {"title": report.pledge.title})
        return redirect(request.get_full_path())
    initiative = request.GET.get("initiative") or None
    queue = selectors.report_review_queue(
        reviewer=reviewer, status=request.GET.get("status", ""), assigned=request.GET.get("assigned", ""),
        initiative=initiative and get_object_or_404(Initiative, slug=initiative),
        search=request.GET.get("q", "").strip(),
    )
    return render(request, "reporting/report_review_queue.html", {
        "page": Paginator(queue, 25).get_page(request.GET.get("page")), "query": request.GET,
        "initiatives": Initiative.objects.all(),
        "status_choices": [("", _("Submitted")), (ReportStatus.RETURNED, _("Returned to the pledger"))],
    })


@login_required
def report_review(request, pk):
    reviewer = _reviewer(request)
    try:
        report = selectors.report_for_page(pk)
    except ProgressReport.DoesNotExist as missing:
        raise Http404 from missing
    form = ReportDecisionForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "assign_me":
        services.report_assign(actor=reviewer, report=report, reviewer=reviewer)
        messages.success(request, _("Done: %(action)s.") % {"action": _("assigned to you")})
        return redirect("reporting:report_review", report.pk)
    if request.method == "POST" and form.is_valid():
        action, comment = request.POST.get("action", ""), form.cleaned_data["comment"]
        try:
            services.report_transition(actor=reviewer, report=report, action=action, comment=comment,
                                       verification_level=form.cleaned_data["verification_level"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": REPORT_WORKFLOW.label(action).lower()})
            return redirect("reporting:report_review", report.pk)
    actuals = {row.target_id: row.actual_value for row in report.target_actuals.all()}
    delivery = selectors.pledge_delivery(report.pledge)
    rows = [{"target": d.target, "accepted": d.actual_value, "reported": actuals.get(d.target.pk)}
            for d in delivery.targets]
    previous = [r for r in selectors.report_list_for_pledge(report.pledge).prefetch_related(
        "transitions__actor") if r.pk != report.pk]
    status = selectors.pledge_reporting_status(report.pledge, today=timezone.localdate())
    return render(request, "reporting/report_review.html", {
        "report": report, "pledge": report.pledge, "form": form, "delivery": delivery, "rows": rows,
        "reporting_closed": status in CLOSED_STATUSES, "reporting_label": ReportingStatus(status).label if status else "",
        "previous": previous, "actions": REPORT_WORKFLOW.choices_for(report, reviewer),
        "resubmission": selectors.report_changes_since_submission(report), **_conversation(report),
    })


def _conversation(report: ProgressReport) -> dict:
    """What a report page embedding its part of the pledge's conversation needs."""
    return {"comments": pledge_comments(report.pledge, report=report), "comment_form": CommentForm(),
            "comment_action": reverse("reporting:report_comment", args=[report.pk]), "thread_report": report}


@login_required
@require_POST
def report_comment(request, pk):
    """Post a comment about a report, from its pledger's or its reviewer's page."""
    report = get_object_or_404(ProgressReport.objects.select_related("pledge__lead_entity"), pk=pk)
    if not user_may_discuss(request.user, report.pledge):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            report_comment_post(actor=request.user, report=report, body=form.cleaned_data["body"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your comment is posted; the others in the conversation are told."))
    else:
        messages.error(request, _("Write your comment first."))
    page = "reporting:report_review" if user_is_reviewer(request.user) else "reporting:report_edit"
    return conversation_redirect(request, reverse(page, args=[report.pk]) + "#conversation")
