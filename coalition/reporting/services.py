"""Writes to the progress-report cycle. Every change to a report goes through here.

Each service runs in one transaction, checks permission and state, writes, and records a dated
version of the report (with who and why); decisions are also recorded as a
`ProgressReportTransition`. Errors are `ValidationError` keyed by field (`targets[2].actual_value`,
`evidence[0].file`) or `PermissionDenied`, worded for the user.
"""

import datetime
import os
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.roles import user_is_reviewer
from coalition.common.text import text_clean
from coalition.common.versions import delete_with_version, rows_sync, save_with_version, version_bump, version_check
from coalition.entities.permissions import user_can_act_for_entity
from coalition.pledges.models import Pledge
from coalition.pledges.models import Status as PledgeStatus
from coalition.pledges.services import pledge_fields_record
from coalition.reporting.models import (
    Evidence,
    ProgressReport,
    ProgressReportTarget,
    ReportAction,
    ReportStatus,
    VerificationLevel,
)
from coalition.reporting.selectors import pledge_closing, pledge_reporting_status, report_content
from coalition.reporting.status import CLOSED_STATUSES, ReportingStatus, local_date
from coalition.reporting.validation import REPORT_FIELDS, report_clean, year_taken_message
from coalition.reporting.workflow import REPORT_WORKFLOW


def _pledger_check(actor, pledge: Pledge) -> None:
    """Reports are written by the lead entity's focal points (and administrators), not by reviewers."""
    if not user_can_act_for_entity(actor, pledge.lead_entity):
        raise PermissionDenied(_("Only focal points of %(entity)s can report on this pledge.") % {"entity": pledge.lead_entity})


def _published_check(pledge: Pledge) -> None:
    if pledge.status != PledgeStatus.PUBLISHED:
        raise ValidationError(
            {"pledge": _("Progress is reported only on published pledges; this one is %(status)s.")
             % {"status": pledge.get_status_display().lower()}}
        )


def _write(report: ProgressReport, clean: Mapping[str, Any], *, actor, at, reason: str) -> None:
    for name in REPORT_FIELDS:
        setattr(report, name, clean[name])
    report.year = clean["period_end"].year
    report.disbursed_usd, report.disbursed_usd_provisional = clean["disbursed_usd"], clean["disbursed_usd_provisional"]
    if report.pk:
        version_bump(report)
    try:
        with transaction.atomic():
            save_with_version(report, actor=actor, reason=reason, at=at)
    except IntegrityError:
        # Another request saved a report for the same year between our check and our write.
        if ProgressReport.objects.filter(pledge=report.pledge_id, year=report.year).exclude(pk=report.pk).exists():
            raise ValidationError({"period_end": year_taken_message(report.year)}) from None
        raise

    reported = [row for row in clean["targets"] if row["actual_value"] is not None]
    targets = {row["target"].pk: row["target"] for row in reported}
    rows_sync(
        current={row.target_id: row for row in report.target_actuals.all()},
        wanted={row["target"].pk: {"actual_value": row["actual_value"]} for row in reported},
        new=lambda target_id: ProgressReportTarget(report=report, target=targets[target_id]), actor=actor, at=at,
    )

    kept = {item["id"] for item in clean["evidence"] if "id" in item}
    for row in report.evidence.all():
        if row.pk not in kept:
            delete_with_version(row, actor=actor, at=at)
    for item in clean["evidence"]:
        if "id" in item:
            continue
        row = Evidence(report=report, kind=item["kind"], title=item["title"], url=item["url"], added_by=actor)
        if item["file"]:
            row.size = item["file"].size
            row.file.save(os.path.basename(item["file"].name), item["file"], save=False)
        save_with_version(row, actor=actor, at=at)


def _open_check(pledge: Pledge) -> None:
    """A report closed the pledge's reporting (completed, discontinued, or a final report): no
    new report until the secretariat reopens it. A pledge that ended without its final report
    still takes one, late."""
    closing = pledge_closing(pledge)
    if closing:
        raise ValidationError({"pledge": _(
            "The reporting of this pledge has closed (%(status)s): an accepted report ended it. Ask the secretariat "
            "to reopen it if there is more to report.") % {"status": ReportingStatus(closing).label.lower()}})


@transaction.atomic
def pledge_reporting_reopen(*, actor, pledge: Pledge, reason: str, at: datetime.datetime | None = None) -> Pledge:
    """Reopen the closed reporting of a published pledge (completed, discontinued or ended, with
    or without a final report): a reviewed action, the secretariat's only, with the reason on
    the pledge's record. Reports submitted before it no longer close the pledge, and its clock
    restarts on the day (`status.ReportingFacts`). Writes one version of the pledge."""
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers can reopen a pledge's reporting."))
    at = at or timezone.now()
    pledge = Pledge.objects.select_for_update(of=("self",)).get(pk=pledge.pk)
    _published_check(pledge)
    status = pledge_reporting_status(pledge, today=local_date(at))
    if status not in CLOSED_STATUSES:
        raise ValidationError({"pledge": _("Only a closed reporting is reopened; this pledge's is %(status)s.")
                               % {"status": ReportingStatus(status).label.lower()}})
    reason = text_clean(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Say why the reporting is reopened: the pledger and the public record "
                                           "will read it.")})
    pledge.reporting_reopened_at = at
    pledge_fields_record(pledge, fields=["reporting_reopened_at"], actor=actor, at=at,
                         reason=f"reporting reopened: {reason}")
    return pledge


@transaction.atomic
def report_create(*, actor, pledge: Pledge, data: Mapping[str, Any]) -> ProgressReport:
    """Create a draft progress report on a published pledge.

    The actor must be a focal point of the pledge's lead entity (or an administrator). One
    report per pledge and reporting year. Writes the report, its target actuals and evidence
    files, and its first version.
    """
    # The pledge's row is locked so that two reports for the same year queue up here.
    pledge = Pledge.objects.select_for_update(of=("self",)).select_related("lead_entity").get(pk=pledge.pk)
    _pledger_check(actor, pledge)
    _published_check(pledge)
    _open_check(pledge)
    clean = report_clean(pledge=pledge, data=data)
    report = ProgressReport(pledge=pledge, status=ReportStatus.DRAFT, created_by=actor)
    _write(report, clean, actor=actor, at=timezone.now(), reason="created")
    return report


@transaction.atomic
def report_update(
    *, actor, report: ProgressReport, data: Mapping[str, Any], seen_version: int | None = None,
) -> ProgressReport:
    """Replace a draft or returned report's content with `data` (a complete set, as for creation).

    Only the lead entity's focal points, while the pledge is published. Target actuals are
    replaced as a whole; evidence too when `data` has an `evidence` list (kept items as {id}).
    `seen_version` refuses with EditConflict a save over someone else's later change.
    """
    report = ProgressReport.objects.select_for_update().select_related("pledge__lead_entity").get(pk=report.pk)
    REPORT_WORKFLOW.check_edit(report, actor)
    pledge = report.pledge
    _published_check(pledge)
    clean = report_clean(pledge=pledge, data=data, report=report)
    version_check(report, seen=seen_version, changes_nothing=lambda: _content(clean) == _content(
        report_clean(pledge=pledge, data=report_data(report), report=report)))
    _write(report, clean, actor=actor, at=timezone.now(), reason="edited")
    return report


def _content(clean: Mapping[str, Any]) -> tuple:
    """What a report's cleaned fields say, comparable: new evidence never equals anything."""
    return (
        tuple(clean[name] for name in REPORT_FIELDS), clean["disbursed_usd"],
        tuple(sorted((row["target"].pk, row["actual_value"]) for row in clean["targets"]
                     if row["actual_value"] is not None)),
        tuple(item.get("id") or object() for item in clean["evidence"]),
    )


def _check_complete(report: ProgressReport) -> None:
    """What a report needs before the secretariat can review it."""
    errors = {}
    if not report.implementation_status:
        errors["implementation_status"] = _("Say where implementation stands before submitting.")
    if report.share_delivered is None:
        errors["share_delivered"] = _("Estimate the share of the pledge delivered so far (0–100 %).")
    if not report.narrative:
        errors["narrative"] = _("Describe what was done before submitting.")
    reported = set(report.target_actuals.values_list("target_id", flat=True))
    for index, target in enumerate(report.pledge.targets.all()):
        if target.pk not in reported:
            errors[f"targets[{index}].actual_value"] = _("Give the value reached for “%(target)s”.") % {
                "target": target.description}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_transition(
    *,
    actor,
    report: ProgressReport,
    action: str,
    comment: str = "",
    verification_level: str = "",
    at: datetime.datetime | None = None,
) -> ProgressReport:
    """Move a report along `REPORT_WORKFLOW`.

    Submitting needs a focal point of the pledge's lead entity and a complete report on a
    published pledge; accepting (with a verification level, one accepted report per pledge and
    year) and returning (with a comment) need a reviewer. The row is locked, so two decisions
    cannot cross. Records who and when on the report, a `ProgressReportTransition` (with the
    content as submitted, on a submission) and a new version, and tells the people concerned
    (`discussion.report_moved`).
    """
    report = ProgressReport.objects.select_for_update().select_related("pledge__lead_entity").get(pk=report.pk)
    level = verification_level or "" if action == ReportAction.ACCEPT else ""

    def effects(report: ProgressReport, transition, moment) -> None:
        pledge = report.pledge
        if action == ReportAction.ACCEPT:
            if level not in VerificationLevel.values:
                raise ValidationError({"verification_level": _("Choose a verification level: %(choices)s.") % {
                    "choices": ", ".join(str(label) for label in VerificationLevel.labels)}})
            if ProgressReport.objects.filter(pledge=pledge, year=report.year, status=ReportStatus.ACCEPTED).exists():
                raise ValidationError({"period_end": _("This pledge already has an accepted report for %(year)s.")
                                       % {"year": report.year}})
        if action == ReportAction.SUBMIT:
            _published_check(pledge)
            _check_complete(report)
            report.submitted_at, report.submitted_by = moment, actor
            report.decided_at = report.decided_by = None
            report.verification_level = ""
        else:
            report.decided_at, report.decided_by = moment, actor
            report.reviewer_comment = text_clean(comment)
            report.verification_level = level

    # A submission keeps the content as submitted: the next one is compared with it.
    content = report_content(report) if action == ReportAction.SUBMIT else None
    return REPORT_WORKFLOW.move(report, actor=actor, action=action, comment=comment, at=at, effects=effects,
                                log_extra={"verification_level": level, "content": content})


def report_submit(*, actor, report: ProgressReport, at: datetime.datetime | None = None) -> ProgressReport:
    return report_transition(actor=actor, report=report, action=ReportAction.SUBMIT, at=at)


def report_accept(
    *, actor, report: ProgressReport, verification_level: str, comment: str = "", at: datetime.datetime | None = None
) -> ProgressReport:
    return report_transition(
        actor=actor, report=report, action=ReportAction.ACCEPT, verification_level=verification_level,
        comment=comment, at=at,
    )


def report_return(*, actor, report: ProgressReport, comment: str, at: datetime.datetime | None = None) -> ProgressReport:
    return report_transition(actor=actor, report=report, action=ReportAction.RETURN, comment=comment, at=at)


@transaction.atomic
def report_assign(*, actor, report: ProgressReport, reviewer) -> ProgressReport:
    """Put a reviewer (or nobody, with `reviewer=None`) in charge of a report's review."""
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers can assign reviews."))
    if reviewer is not None and not user_is_reviewer(reviewer):
        raise ValidationError({"assigned_to": _("%(person)s is not a reviewer.") % {"person": reviewer}})
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    report.assigned_to = reviewer
    save_with_version(report, actor=actor, reason="assigned", at=timezone.now())
    return report


def report_may_delete(report: ProgressReport, user) -> bool:
    """Drafts, which the secretariat has never seen, are deleted by those who may edit them (the
    lead entity's focal points); a report once submitted stays on record."""
    return report.status == ReportStatus.DRAFT and REPORT_WORKFLOW.may_edit(report, user)


@transaction.atomic
def report_delete(*, actor, report: ProgressReport) -> None:
    """Delete a draft report (see `report_may_delete`) with its target actuals and evidence; the
    versions of each keep the record of what they were (evidence files stay in storage, as the
    versions name them). PermissionDenied for someone who may never edit the report,
    ValidationError on `status` for a report past the draft."""
    report = ProgressReport.objects.select_for_update().select_related("pledge__lead_entity").get(pk=report.pk)
    if not report_may_delete(report, actor):
        try:
            REPORT_WORKFLOW.check_edit(report, actor)  # PermissionDenied for someone who may never edit it
        except ValidationError:
            pass  # a state past the draft: said below
        raise ValidationError({"status": _("Only a draft report is deleted; this one is %(status)s.") % {
            "status": report.get_status_display().lower()}})
    at = timezone.now()
    for row in [*report.target_actuals.all(), *report.evidence.all()]:
        delete_with_version(row, actor=actor, at=at)
    delete_with_version(report, actor=actor, reason="deleted", at=at)


def report_data(report: ProgressReport) -> dict[str, Any]:
    """A report's current content in the shape `report_update` takes: edit a copy, pass it back."""
    data: dict[str, Any] = {name: getattr(report, name) for name in REPORT_FIELDS}
    data["targets"] = [{"target": row.target, "actual_value": row.actual_value}
                       for row in report.target_actuals.select_related("target")]
    data["evidence"] = [{"id": row.pk} for row in report.evidence.all()]
    return data
