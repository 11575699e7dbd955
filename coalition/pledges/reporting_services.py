"""Writes to the progress-report cycle. Every change to a report goes through here.

Each service runs in one transaction, checks permission and state, writes, and records a dated
version of the report (with who and why); decisions are also recorded as a
`ProgressReportTransition`. Errors are `ValidationError` keyed by field (`targets[2].actual_value`,
`evidence[0].file`) or `PermissionDenied`, worded for the user.
"""

import datetime
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.reference.models import Currency
from coalition.reference.services import usd_value

from .models import Pledge, PledgeTarget
from .models_reporting import Evidence, ProgressReport, ProgressReportTarget, ProgressReportTransition
from .permissions import user_can_act_for_entity, user_is_reviewer
from .reporting import (
    PLEDGER,
    REPORT_EDITABLE_STATES,
    REPORT_TRANSITIONS,
    REVIEWER,
    ImplementationStatus,
    ReportAction,
    ReportStatus,
    VerificationLevel,
)
from .workflow import Status as PledgeStatus

REPORT_FIELDS = (
    "period_end",
    "implementation_status",
    "share_delivered",
    "disbursed_amount",
    "disbursed_currency",
    "disbursed_year",
    "narrative",
    "challenges",
)

# Evidence files: extension → the first bytes such a file starts with (None: plain text).
# Office Open XML and OpenDocument files are ZIP archives; legacy Office files are OLE2.
_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
EVIDENCE_FILE_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".odp": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".csv": None,
    ".txt": None,
}


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


def _decimal(value: Any, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = _("“%(value)s” is not a number.") % {"value": value}
        return None
    if not number.is_finite():
        errors[field] = _("“%(value)s” is not a number.") % {"value": value}
        return None
    return number


def evidence_file_errors(upload, *, field: str) -> dict[str, str]:
    """Why an evidence file is refused (keyed by `field`), or nothing when it is acceptable.

    Checks the size against COALITION_EVIDENCE_MAX_BYTES, the extension against the accepted
    types, and that the content starts like a file of that type (a renamed program is refused).
    """
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    limit = settings.COALITION_EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size == 0:
        return {field: _("“%(name)s” is empty.") % {"name": name}}
    if upload.size > limit:
        return {field: _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
                % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}}
    if extension not in EVIDENCE_FILE_TYPES:
        return {field: _("“%(name)s” is not an accepted type. Accepted: %(types)s.")
                % {"name": name, "types": ", ".join(sorted(e.lstrip(".").upper() for e in EVIDENCE_FILE_TYPES))}}
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = EVIDENCE_FILE_TYPES[extension]
    if signatures is None:
        ok = b"\x00" not in head
    else:
        ok = head.startswith(signatures)
    if not ok:
        return {field: _("“%(name)s” does not look like a %(type)s file; its content does not match its name.")
                % {"name": name, "type": extension.lstrip(".").upper()}}
    return {}


def _clean_evidence(items: Sequence[Mapping[str, Any]], existing: dict[int, Evidence], errors: dict) -> list[dict]:
    clean = []
    for index, item in enumerate(items):
        prefix = f"evidence[{index}]."
        if item.get("id"):
            row = existing.get(int(item["id"]))
            if row is None:
                errors[f"{prefix}id"] = _("This evidence does not belong to the report.")
            else:
                clean.append({"id": row.pk})
            continue
        kind = item.get("kind") or (Evidence.Kind.FILE if item.get("file") else Evidence.Kind.LINK)
        title = (item.get("title") or "").strip()
        if kind not in Evidence.Kind.values:
            errors[f"{prefix}kind"] = _("Choose a link or a file.")
            continue
        if not title:
            errors[f"{prefix}title"] = _("Give the evidence a title.")
        elif len(title) > 300:
            errors[f"{prefix}title"] = _("Keep the title under 300 characters.")
        url, upload = (item.get("url") or "").strip(), item.get("file")
        if kind == Evidence.Kind.LINK:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors[f"{prefix}url"] = _("Give a full web address starting with https:// or http://.")
        elif not upload:
            errors[f"{prefix}file"] = _("Choose the file to upload.")
        else:
            errors.update(evidence_file_errors(upload, field=f"{prefix}file"))
        clean.append({"kind": kind, "title": title, "url": url if kind == Evidence.Kind.LINK else "",
                      "file": upload if kind == Evidence.Kind.FILE else None})
    return clean


def report_clean(*, pledge: Pledge, data: Mapping[str, Any], report: ProgressReport | None = None) -> dict[str, Any]:
    """Validate a complete set of report fields for `pledge` and return them normalised.

    `data` holds the fields in REPORT_FIELDS (the currency as an instance or ISO code), `targets`
    as a list of {target (instance or id), actual_value} and `evidence` as a list of new items
    {kind, title, url | file} or kept ones {id}. The USD value of the money disbursed is derived
    here. Incomplete drafts are accepted; `report_submit` checks completeness. Raises
    `ValidationError` with one message per offending field.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {name: data.get(name) for name in REPORT_FIELDS}
    clean["narrative"] = (clean["narrative"] or "").strip()
    clean["challenges"] = (clean["challenges"] or "").strip()

    period_end = clean["period_end"]
    if isinstance(period_end, str):
        try:
            period_end = datetime.date.fromisoformat(period_end)
        except ValueError:
            errors["period_end"] = _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": period_end}
            period_end = None
    if period_end is None and "period_end" not in errors:
        errors["period_end"] = _("Give the last day of the period the report covers.")
    elif period_end is not None:
        today = timezone.localdate()
        if period_end > today + datetime.timedelta(days=366):
            errors["period_end"] = _("The period cannot end more than a year from now.")
        elif pledge.published_at and period_end.year < timezone.localtime(pledge.published_at).year - 1:
            errors["period_end"] = _("The period ends long before the pledge was published.")
        else:
            others = ProgressReport.objects.filter(pledge=pledge, year=period_end.year)
            if report is not None:
                others = others.exclude(pk=report.pk)
            if others.exists():
                errors["period_end"] = _("This pledge already has a report for %(year)s.") % {"year": period_end.year}
    clean["period_end"] = period_end

    status = clean["implementation_status"] or ""
    if status and status not in ImplementationStatus.values:
        errors["implementation_status"] = _("Choose an implementation status among: %(choices)s.") % {
            "choices": ", ".join(ImplementationStatus.values)}
    clean["implementation_status"] = status

    share = _decimal(clean["share_delivered"], "share_delivered", errors)
    if share is not None and not Decimal(0) <= share <= Decimal(100):
        errors["share_delivered"] = _("The share delivered is a percentage between 0 and 100.")
    clean["share_delivered"] = share

    _clean_money(clean, errors)

    clean["targets"] = []
    pledge_targets = {t.pk: t for t in pledge.targets.all()}
    seen = set()
    for index, row in enumerate(data.get("targets") or []):
        prefix = f"targets[{index}]."
        target = row.get("target")
        target_id = target.pk if isinstance(target, PledgeTarget) else target
        try:
            target = pledge_targets.get(int(target_id)) if target_id not in (None, "") else None
        except (TypeError, ValueError):
            target = None
        if target is None:
            errors[f"{prefix}target"] = _("Choose one of this pledge's targets.")
            continue
        if target.pk in seen:
            errors[f"{prefix}target"] = _("“%(target)s” is listed twice.") % {"target": target.description}
            continue
        seen.add(target.pk)
        actual = _decimal(row.get("actual_value"), f"{prefix}actual_value", errors)
        if actual is not None and actual < 0:
            errors[f"{prefix}actual_value"] = _("The actual value cannot be negative.")
        clean["targets"].append({"target": target, "actual_value": actual})

    existing = {e.pk: e for e in report.evidence.all()} if report is not None else {}
    clean["evidence"] = (
        _clean_evidence(data["evidence"], existing, errors)
        if "evidence" in data
        else [{"id": pk} for pk in existing]
    )

    if errors:
        raise ValidationError(errors)
    return clean


def _clean_money(clean: dict[str, Any], errors: dict[str, str]) -> None:
    """Amount, currency and year come together, and convert to USD at that year's rate."""
    currency = clean["disbursed_currency"]
    if isinstance(currency, str):
        code = currency.strip().upper()
        currency = Currency.objects.filter(code=code).first() if code else None
        if code and currency is None:
            errors["disbursed_currency"] = _("“%(code)s” is not a known ISO 4217 currency code.") % {"code": code}
            return
        clean["disbursed_currency"] = currency
    amount = _decimal(clean["disbursed_amount"], "disbursed_amount", errors)
    clean["disbursed_amount"] = amount
    year = clean["disbursed_year"]
    given = [amount is not None, currency is not None, year not in (None, "")]
    clean["disbursed_usd"] = None
    if "disbursed_amount" in errors or not any(given):
        clean["disbursed_year"] = None
        return
    labels = (("disbursed_amount", _("amount")), ("disbursed_currency", _("currency")), ("disbursed_year", _("year")))
    if not all(given):
        for present, (field, label) in zip(given, labels):
            if not present:
                errors[field] = _("Money disbursed needs its %(part)s too.") % {"part": label}
        return
    if amount < 0:
        errors["disbursed_amount"] = _("The money disbursed cannot be negative.")
        return
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["disbursed_year"] = _("“%(value)s” is not a year.") % {"value": year}
        return
    if not 1990 <= year <= timezone.localdate().year + 1:
        errors["disbursed_year"] = _("The year must be between 1990 and %(max)s.") % {"max": timezone.localdate().year + 1}
        return
    clean["disbursed_year"] = year
    try:
        clean["disbursed_usd"] = usd_value(amount=amount, currency=currency.code, year=year)
    except ValidationError as error:
        renamed = {"value_currency": "disbursed_currency", "value_year": "disbursed_year"}
        for field, messages in error.message_dict.items():
            errors[renamed.get(field, field)] = " ".join(messages)


def _record_version(report: ProgressReport, *, actor, reason: str, at) -> None:
    report._history_user, report._change_reason, report._history_date = actor, reason, at


def _write(report: ProgressReport, clean: Mapping[str, Any], *, actor, at, reason: str) -> None:
    for name in REPORT_FIELDS:
        setattr(report, name, clean[name])
    report.year = clean["period_end"].year
    report.disbursed_usd = clean["disbursed_usd"]
    _record_version(report, actor=actor, reason=reason, at=at)
    report.save()

    current = {row.target_id: row for row in report.target_actuals.all()}
    wanted = {row["target"].pk: row for row in clean["targets"] if row["actual_value"] is not None}
    for target_id, row in current.items():
        if target_id not in wanted:
            row._history_user, row._history_date = actor, at
            row.delete()
    for target_id, row in wanted.items():
        actual = current.get(target_id) or ProgressReportTarget(report=report, target=row["target"])
        if actual.pk and actual.actual_value == row["actual_value"]:
            continue
        actual.actual_value = row["actual_value"]
        actual._history_user, actual._history_date = actor, at
        actual.save()

    kept = {item["id"] for item in clean["evidence"] if "id" in item}
    for row in report.evidence.all():
        if row.pk not in kept:
            row._history_user, row._history_date = actor, at
            row.delete()
    for item in clean["evidence"]:
        if "id" in item:
            continue
        row = Evidence(report=report, kind=item["kind"], title=item["title"], url=item["url"], added_by=actor)
        if item["file"]:
            row.size = item["file"].size
            row.file.save(os.path.basename(item["file"].name), item["file"], save=False)
        row._history_user, row._history_date = actor, at
        row.save()


@transaction.atomic
def report_create(*, actor, pledge: Pledge, data: Mapping[str, Any]) -> ProgressReport:
    """Create a draft progress report on a published pledge.

    The actor must be a focal point of the pledge's lead entity (or an administrator). One
    report per pledge and reporting year. Writes the report, its target actuals and evidence
    files, and its first version.
    """
    pledge = Pledge.objects.select_related("lead_entity").get(pk=pledge.pk)
    _pledger_check(actor, pledge)
    _published_check(pledge)
    clean = report_clean(pledge=pledge, data=data)
    report = ProgressReport(pledge=pledge, status=ReportStatus.DRAFT, created_by=actor)
    _write(report, clean, actor=actor, at=timezone.now(), reason="created")
    return report


@transaction.atomic
def report_update(*, actor, report: ProgressReport, data: Mapping[str, Any]) -> ProgressReport:
    """Replace a draft or returned report's content with `data` (a complete set, as for creation).

    Only the lead entity's focal points, while the pledge is published. Target actuals are
    replaced as a whole; evidence too when `data` has an `evidence` list (kept items as {id}).
    """
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    pledge = Pledge.objects.select_related("lead_entity").get(pk=report.pledge_id)
    _pledger_check(actor, pledge)
    _published_check(pledge)
    if report.status not in REPORT_EDITABLE_STATES:
        raise ValidationError({"status": _("A report that is %(status)s cannot be edited.")
                               % {"status": report.get_status_display().lower()}})
    clean = report_clean(pledge=pledge, data=data, report=report)
    _write(report, clean, actor=actor, at=timezone.now(), reason="edited")
    return report


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
    """Move a report along the table in `reporting.py`.

    Submitting needs a focal point of the pledge's lead entity and a complete report on a
    published pledge; accepting (with a verification level) and returning (with a comment)
    need a reviewer. The row is locked, so two decisions cannot cross. Records who and when
    on the report, a `ProgressReportTransition` and a new version.
    """
    if action not in REPORT_TRANSITIONS:
        raise ValidationError({"action": _("Unknown action “%(action)s”.") % {"action": action}})
    sources, target, who, needs_comment = REPORT_TRANSITIONS[action]
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    pledge = Pledge.objects.select_related("lead_entity").get(pk=report.pledge_id)
    if who == REVIEWER and not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers can do this."))
    if who == PLEDGER:
        _pledger_check(actor, pledge)
    if report.status not in sources:
        raise ValidationError({"action": _("Cannot %(action)s: it is %(status)s.") % {
            "action": ReportAction(action).label.lower(), "status": report.get_status_display().lower()}})
    comment = (comment or "").strip()
    if needs_comment and not comment:
        raise ValidationError({"comment": _("Explain what to change so the pledger knows what to do.")})
    level = verification_level or ""
    if action == ReportAction.ACCEPT:
        if level not in VerificationLevel.values:
            raise ValidationError({"verification_level": _("Choose a verification level: %(choices)s.") % {
                "choices": ", ".join(str(label) for label in VerificationLevel.labels)}})
        if ProgressReport.objects.filter(pledge=pledge, year=report.year, status=ReportStatus.ACCEPTED).exists():
            raise ValidationError({"period_end": _("This pledge already has an accepted report for %(year)s.")
                                   % {"year": report.year}})
    else:
        level = ""
    if action == ReportAction.SUBMIT:
        _published_check(pledge)
        report.pledge = pledge
        _check_complete(report)

    now = at or timezone.now()
    previous = report.status
    report.status = target
    if action == ReportAction.SUBMIT:
        report.submitted_at, report.submitted_by = now, actor
        report.decided_at = report.decided_by = None
        report.verification_level = ""
    else:
        report.decided_at, report.decided_by = now, actor
        report.reviewer_comment = comment
        report.verification_level = level
    _record_version(report, actor=actor, reason=action, at=now)
    report.save()
    ProgressReportTransition.objects.create(
        report=report, action=action, from_status=previous, to_status=target,
        verification_level=level, actor=actor, at=now, comment=comment,
    )
    return report


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


def report_data(report: ProgressReport) -> dict[str, Any]:
    """A report's current content in the shape `report_update` takes: edit a copy, pass it back."""
    data: dict[str, Any] = {name: getattr(report, name) for name in REPORT_FIELDS}
    data["targets"] = [{"target": row.target, "actual_value": row.actual_value}
                       for row in report.target_actuals.select_related("target")]
    data["evidence"] = [{"id": row.pk} for row in report.evidence.all()]
    return data
