"""Validation of progress-report content: fields, money, target actuals and evidence files.

`report_clean` is the one place that decides whether a report's content is acceptable and
derives the USD value of the money disbursed. Errors are keyed by field (`targets[2].actual_value`,
`evidence[0].file`).
"""

import datetime
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.common.text import TEXT_LIMIT, length_check, line_clean, text_clean
from coalition.pledges.models import Pledge, PledgeTarget
from coalition.pledges.validation import PERCENT, QUANTITY, MoneyFields, clean_money, parse_decimal
from coalition.reporting.models import Evidence, ImplementationStatus, ProgressReport

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


DISBURSED = MoneyFields(
    prefix="disbursed",
    needs_part=gettext_lazy("Money disbursed needs its %(part)s too."),
    below_minimum=gettext_lazy("The money disbursed cannot be negative."),
    allow_zero=True,
    years_ahead=1,
    year_range=gettext_lazy("The year must be between 1990 and %(max)s."),
)


# Pieces of evidence a report keeps, and new links or new files added in one save.
MAX_EVIDENCE = 40
MAX_NEW_EVIDENCE = 20

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
    if len(items) > MAX_EVIDENCE:
        errors["evidence"] = _("A report keeps at most %(limit)s pieces of evidence.") % {"limit": MAX_EVIDENCE}
        return clean
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
        title = line_clean(item.get("title"))
        if kind not in Evidence.Kind.values:
            errors[f"{prefix}kind"] = _("Choose a link or a file.")
            continue
        if not title:
            errors[f"{prefix}title"] = _("Give the evidence a title.")
        else:
            length_check(errors, f"{prefix}title", title, limit=300, label=Evidence._meta.get_field("title").verbose_name)
        url, upload = text_clean(item.get("url")), item.get("file")
        if kind == Evidence.Kind.LINK:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors[f"{prefix}url"] = _("Give a full web address starting with https:// or http://.")
            length_check(errors, f"{prefix}url", url, limit=Evidence._meta.get_field("url").max_length,
                         label=Evidence._meta.get_field("url").verbose_name)
        elif not upload:
            errors[f"{prefix}file"] = _("Choose the file to upload.")
        else:
            errors.update(evidence_file_errors(upload, field=f"{prefix}file"))
        clean.append({"kind": kind, "title": title, "url": url if kind == Evidence.Kind.LINK else "",
                      "file": upload if kind == Evidence.Kind.FILE else None})
    return clean


def year_taken_message(year: int) -> str:
    return _("This pledge already has a report for %(year)s.") % {"year": year}


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
    clean["narrative"] = text_clean(clean["narrative"])
    clean["challenges"] = text_clean(clean["challenges"])
    for name in ("narrative", "challenges"):
        length_check(errors, name, clean[name], limit=TEXT_LIMIT, label=ProgressReport._meta.get_field(name).verbose_name)

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
        if period_end > today:
            errors["period_end"] = _(
                "The period end, %(date)s, is still to come: a report covers a period that is over. "
                "Give today’s date at the latest.") % {"date": date_format(period_end)}
        elif pledge.start_date and period_end < pledge.start_date:
            errors["period_end"] = _(
                "The period end, %(date)s, is before the pledge starts (%(start)s): give a date from "
                "%(start)s on.") % {"date": date_format(period_end), "start": date_format(pledge.start_date)}
        elif (not pledge.start_date and pledge.published_at
              and period_end.year < timezone.localtime(pledge.published_at).year - 1):
            errors["period_end"] = _("The period ends long before the pledge was published.")
        else:
            others = ProgressReport.objects.filter(pledge=pledge, year=period_end.year)
            if report is not None:
                others = others.exclude(pk=report.pk)
            if others.exists():
                errors["period_end"] = year_taken_message(period_end.year)
    clean["period_end"] = period_end

    status = clean["implementation_status"] or ""
    if status and status not in ImplementationStatus.values:
        errors["implementation_status"] = _("Choose an implementation status among: %(choices)s.") % {
            "choices": ", ".join(ImplementationStatus.values)}
    clean["implementation_status"] = status

    share = parse_decimal(clean["share_delivered"], "share_delivered", errors, bound=PERCENT)
    if share is not None and not Decimal(0) <= share <= Decimal(100):
        errors["share_delivered"] = _("The share delivered is a percentage between 0 and 100.")
    clean["share_delivered"] = share

    clean_money(clean, errors, DISBURSED)

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
        actual = parse_decimal(row.get("actual_value"), f"{prefix}actual_value", errors, bound=QUANTITY)
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
