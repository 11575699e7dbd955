"""The upload of a filled template: validated cell by cell, written all or nothing."""

import datetime
import os
import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from coalition.common.workbooks import WorkbookRefused, workbook_open
from coalition.entities.models import Entity
from coalition.entities.permissions import user_can_act_for_entity
from coalition.pledges.models import PledgeTarget
from coalition.reference.models import ImportRun
from coalition.reference.runs import Heartbeat
from coalition.reporting.models import ImplementationStatus, ProgressReport
from coalition.reporting.services import report_create, report_update
from coalition.reporting.validation import REPORT_FIELDS, report_clean
from coalition.reporting.workflow import REPORT_EDITABLE_STATES
from coalition.reporting.xlsx.columns import (
    CONTENT_KEYS,
    FORMULA,
    IGNORED,
    KIND,
    REPORT_COLUMNS,
    REPORTS,
    REQUIRED,
    TARGET_COLUMNS,
    TARGETS,
)
from coalition.reporting.xlsx.writer import published_pledges

MAX_ERRORS_KEPT = 500


class _Refused(Exception):
    """Raised inside the write transaction so nothing of a failed upload is kept."""


class _Errors(list):
    """The first MAX_ERRORS_KEPT errors; the rest only counted (a 100,000-row file of mistakes
    still makes a page someone can read)."""

    total = 0

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.total += 1
        if len(self) < MAX_ERRORS_KEPT:
            self.append({"sheet": sheet, "row": row, "column": column, "message": str(message)})

    def as_list(self) -> list[dict]:
        more = self.total - len(self)
        return list(self) + ([{"sheet": "", "row": None, "column": "", "message": _(
            "… and %(count)s more errors.") % {"count": number_format(more, force_grouping=True)}}] if more > 0 else [])


def _header_map(sheet, name: str, errors: _Errors) -> dict[str, int] | None:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    found = {str(value).strip(): index for index, value in enumerate(first) if value not in (None, "")}
    missing = [column for column in REQUIRED[name] if column.header not in found]
    for column in missing:
        errors.add(name, 1, column.header, _("Missing column “%(column)s” in sheet “%(sheet)s”.")
                   % {"column": column.header, "sheet": name})
    return None if missing else {column.key: found[column.header] for column in REQUIRED[name]}


def _label(sheet: str, columns, key: str, positions: dict[str, int]) -> str:
    header = next(column.header for column in columns if column.key == key)
    return f"{get_column_letter(positions[key] + 1)} ({header})"


def _rows(sheet, name: str, positions: dict[str, int], errors: _Errors, beat):
    """Yield (row number, {key: value}, had a formula) for non-empty rows; formula cells become errors.

    Every row of the file is read, however far its sheet's declared dimension says it ends."""
    columns = REQUIRED[name]
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        beat()
        values, formula = {}, False
        for column in columns:
            if column.key in IGNORED:
                continue
            index = positions[column.key]
            cell = cells[index] if index < len(cells) else None
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and FORMULA.match(value)):
                errors.add(name, number, _label(name, columns, column.key, positions),
                           _("Formulas are not accepted; type the value itself."))
                formula = True
                continue
            values[column.key] = value.strip() if isinstance(value, str) else value
        if formula or any(v not in (None, "") for v in values.values()):
            yield number, values, formula


def _as_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _as_number(value):
    """Numbers as Decimal; text as it is, for `report_clean` to accept or refuse."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return value


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a bare number is not a date; report_clean says so
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _as_status(value) -> str:
    """A code, or its label in English or the site's language, as the code; anything else as typed."""
    if value in (None, ""):
        return ""
    text = str(value).strip().lower()
    with translation.override("en"):
        english = {str(label).lower(): code for code, label in ImplementationStatus.choices}
    local = {str(label).lower(): code for code, label in ImplementationStatus.choices}
    return text if text in ImplementationStatus.values else english.get(text) or local.get(text) or str(value).strip()


def _report_data(values: dict, actuals: list[dict]) -> dict[str, Any]:
    return {
        "period_end": _as_date(values.get("period_end")),
        "implementation_status": _as_status(values.get("implementation_status")),
        "share_delivered": _as_number(values.get("share_delivered")),
        "disbursed_amount": _as_number(values.get("disbursed_amount")),
        "disbursed_currency": str(values.get("disbursed_currency") or ""),
        "disbursed_year": _as_id(values.get("disbursed_year")) or values.get("disbursed_year"),
        "narrative": str(values.get("narrative") or ""),
        "challenges": str(values.get("challenges") or ""),
        "targets": actuals,
    }


def _unchanged(report: ProgressReport, clean: dict) -> bool:
    if any(getattr(report, name) != clean[name] for name in REPORT_FIELDS):
        return False
    current = {row.target_id: row.actual_value for row in report.target_actuals.all()}
    wanted = {row["target"].pk: row["actual_value"] for row in clean["targets"] if row["actual_value"] is not None}
    return current == wanted


def report_upload(*, actor, entity: Entity, file) -> ImportRun:
    """Keep an uploaded template and queue its import as a background task; return its ImportRun.

    The actor must act for `entity`. A file over COALITION_EVIDENCE_MAX_BYTES is refused at once
    (the run is returned failed); otherwise the file is stored under MEDIA_ROOT/imports/reports,
    the run is created `running` and `reporting.tasks.import_progress_reports` queued, in the
    site's current language. The run comes back as it stands: still running when a worker will
    run it, already finished when tasks run immediately. See `report_upload_run` for the import.
    """
    from coalition.reporting.tasks import import_progress_reports

    if not user_can_act_for_entity(actor, entity):
        raise PermissionDenied(_("Only focal points of %(entity)s can upload its reports.") % {"entity": entity})
    name = os.path.basename(getattr(file, "name", "") or "upload.xlsx")
    run = ImportRun.objects.create(kind=KIND, source=f"{entity.pk}:{name}"[:500], started_by=actor)
    limit, size = settings.COALITION_EVIDENCE_MAX_BYTES, getattr(file, "size", None)
    if size is not None and size > limit:
        errors = _Errors()
        errors.add("", None, "", _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
                   % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)})
        return _finish(run, errors, rows_read=0, counts={}, written=[])
    folder = Path(settings.MEDIA_ROOT) / "imports" / "reports"
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    # Stored under a name of our own: the person's file name (kept on the run) may be anything.
    stored = FileSystemStorage(location=folder).save(f"{stamp}-{uuid.uuid4().hex}.xlsx", file)
    result = import_progress_reports.enqueue(run_id=run.pk, entity_id=entity.pk, path=str(folder / stored),
                                             language=translation.get_language() or "")
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def report_upload_run(*, run: ImportRun, entity: Entity, path: Path | str) -> ImportRun:
    """Import the stored template at `path` for `entity` as the queued `run`; return it finished.

    Run by the background task. The file is first checked as a workbook (size unpacked, parts,
    rows and columns, see `common.workbooks`), then every cell (sheets and headers, pledge and
    target ids, types, formulas), and every row passed through the report services in one
    transaction, as the run's starter, who must still act for `entity`; any error anywhere rolls
    all of it back. A submitted or accepted report for the same pledge and year is an error on
    its row. The run ends `succeeded` (its `written` lists the reports) or `failed` with its
    errors [{sheet, row, column, message}]; a crash (a bug) marks it failed and is re-raised.
    The run keeps a heartbeat all along (`reference.runs`).
    """
    errors, counts, written = _Errors(), {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}, []
    name = run.source.partition(":")[2] or os.path.basename(str(path))
    actor = run.started_by
    heartbeat = Heartbeat(run)
    heartbeat.beat()
    if actor is None or not user_can_act_for_entity(actor, entity):
        errors.add("", None, "", _("The person who uploaded the file no longer acts for %(entity)s; nothing was "
                                   "imported.") % {"entity": entity})
        return _finish(run, errors, rows_read=0, counts=counts, written=written)
    try:
        book = workbook_open(path, name=name, beat=heartbeat)
    except WorkbookRefused as refused:
        errors.add(refused.sheet, refused.row, "", refused.message)
        return _finish(run, errors, rows_read=0, counts=counts, written=written)
    try:
        rows_read = _import(book, actor=actor, entity=entity, errors=errors, counts=counts, written=written,
                            heartbeat=heartbeat)
    except Exception as exc:  # a bug, not bad input: record the run as failed, then let it surface
        run.status, run.finished_at = ImportRun.Status.FAILED, timezone.now()
        run.heartbeat_at = run.finished_at
        run.errors = [{"sheet": "", "row": None, "column": "", "message": f"Import crashed: {exc!r}"}]
        run.save()
        raise
    finally:
        book.close()
    return _finish(run, errors, rows_read=rows_read, counts=counts, written=written)


def _finish(run: ImportRun, errors: _Errors, *, rows_read: int, counts: dict, written: list) -> ImportRun:
    run.rows_read = rows_read
    run.status = ImportRun.Status.FAILED if errors else ImportRun.Status.SUCCEEDED
    run.errors = errors.as_list()
    if not errors:
        run.created, run.updated, run.unchanged, run.skipped = (
            counts["created"], counts["updated"], counts["unchanged"], counts["skipped"])
        run.written = [{"report": report.pk, "created": created} for _pledge, report, created in written]
    run.finished_at = run.heartbeat_at = timezone.now()
    run.save()
    return run


def report_upload_written(run: ImportRun) -> list[tuple]:
    """The (pledge, report, created) a succeeded upload wrote, for its result page."""
    wanted = {entry["report"]: entry["created"] for entry in run.written if isinstance(entry, dict)}
    reports = ProgressReport.objects.filter(pk__in=wanted).select_related("pledge").order_by("pledge__title", "year")
    return [(report.pledge, report, wanted[report.pk]) for report in reports]


def report_upload_run_for(user, pk: int) -> ImportRun | None:
    """The offline-report upload `pk` if `user` may see it (who started it; administrators), else None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    runs = ImportRun.objects.filter(kind=KIND)
    if not user.is_superuser:
        runs = runs.filter(started_by=user)
    return runs.filter(pk=pk).first()


def _import(book, *, actor, entity, errors: _Errors, counts: dict, written: list, heartbeat: Heartbeat) -> int:
    missing = [name for name in REQUIRED if name not in book.sheetnames]
    for name in missing:
        errors.add(name, None, "", _("The sheet “%(sheet)s” is missing; use the downloaded template.") % {"sheet": name})
    if missing:
        return 0
    positions = {name: _header_map(book[name], name, errors) for name in REQUIRED}
    if None in positions.values():
        return 0

    pledges = {p.pk: p for p in published_pledges(entity)}
    targets = {t.pk: t for t in PledgeTarget.objects.filter(pledge__in=pledges.values())}
    reports, seen = [], {}
    for number, values, formula in _rows(book[REPORTS], REPORTS, positions[REPORTS], errors, heartbeat):
        column = _label(REPORTS, REPORT_COLUMNS, "pledge", positions[REPORTS])
        pledge_id = _as_id(values.get("pledge"))
        if pledge_id is None:
            if not formula:
                errors.add(REPORTS, number, column, _("“%(value)s” is not a pledge ID.") % {"value": values.get("pledge")}
                           if values.get("pledge") not in (None, "") else _("Give the pledge ID."))
            continue
        if pledge_id not in pledges:
            errors.add(REPORTS, number, column, _("Pledge %(id)s is not a published pledge of %(entity)s.")
                       % {"id": pledge_id, "entity": entity})
            continue
        if pledge_id in seen:
            errors.add(REPORTS, number, column, _("Pledge %(id)s is listed twice (first on row %(row)s).")
                       % {"id": pledge_id, "row": seen[pledge_id]})
            continue
        seen[pledge_id] = number
        reports.append((number, pledges[pledge_id], values))

    actuals: dict[int, list[tuple[int, dict]]] = {}
    for number, values, formula in _rows(book[TARGETS], TARGETS, positions[TARGETS], errors, heartbeat):
        pledge_id, target_id = _as_id(values.get("pledge")), _as_id(values.get("target"))
        target = targets.get(target_id)
        if target is None or target.pledge_id != pledge_id:
            if not formula:
                errors.add(TARGETS, number, _label(TARGETS, TARGET_COLUMNS, "target", positions[TARGETS]),
                           _("“%(value)s” is not a target of pledge %(pledge)s.")
                           % {"value": values.get("target"), "pledge": values.get("pledge")})
            continue
        if pledge_id not in seen:
            errors.add(TARGETS, number, _label(TARGETS, TARGET_COLUMNS, "pledge", positions[TARGETS]),
                       _("Pledge %(id)s has no row in the sheet “%(sheet)s”.") % {"id": pledge_id, "sheet": REPORTS})
            continue
        actuals.setdefault(pledge_id, []).append(
            (number, {"target": target, "actual_value": _as_number(values.get("actual_value"))}))

    rows_read = len(reports) + sum(len(rows) for rows in actuals.values())
    try:
        with transaction.atomic():
            heartbeat.beat()  # holds the run's row (PostgreSQL) while the transaction lasts
            for number, pledge, values in reports:
                _import_row(number, pledge, values, actuals.get(pledge.pk, []), actor=actor,
                            positions=positions, errors=errors, counts=counts, written=written)
            if errors:
                raise _Refused
            heartbeat.beat()  # committed with the reports: fresh when the write lock is released
    except _Refused:
        written.clear()
    return rows_read


def _import_row(number, pledge, values, target_rows, *, actor, positions, errors, counts, written) -> None:
    if not any(values.get(key) not in (None, "") for key in CONTENT_KEYS) and not any(
            row["actual_value"] not in (None, "") for _n, row in target_rows):
        counts["skipped"] += 1
        return
    data = _report_data(values, [row for _n, row in target_rows])
    period_end = data["period_end"]
    report = None
    if isinstance(period_end, datetime.date):
        existing = ProgressReport.objects.filter(pledge=pledge, year=period_end.year).first()
        if existing is not None and existing.status not in REPORT_EDITABLE_STATES:
            errors.add(REPORTS, number, _label(REPORTS, REPORT_COLUMNS, "period_end", positions[REPORTS]),
                       _("The report for %(year)s is already %(status)s; it can no longer be changed.")
                       % {"year": period_end.year, "status": existing.get_status_display().lower()})
            return
        report = existing
    try:
        if report is None:
            report = report_create(actor=actor, pledge=pledge, data=data)
            counts["created"] += 1
            written.append((pledge, report, True))
        elif _unchanged(report, report_clean(pledge=pledge, data=data, report=report)):
            counts["unchanged"] += 1
        else:
            report = report_update(actor=actor, report=report, data=data)
            counts["updated"] += 1
            written.append((pledge, report, False))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            sheet, row, column = _locate(field, number, target_rows, positions)
            for message in messages:
                errors.add(sheet, row, column, message)


def _locate(field: str, number: int, target_rows, positions) -> tuple[str, int, str]:
    """The sheet, row and column of a service error key (`share_delivered`, `targets[1].actual_value`)."""
    match = re.fullmatch(r"targets\[(\d+)\]\.(\w+)", field)
    if match and int(match.group(1)) < len(target_rows):
        key = "actual_value" if match.group(2) == "actual_value" else "target"
        return TARGETS, target_rows[int(match.group(1))][0], _label(TARGETS, TARGET_COLUMNS, key, positions[TARGETS])
    keys = {column.key for column in REPORT_COLUMNS}
    key = field if field in keys else "pledge"
    return REPORTS, number, _label(REPORTS, REPORT_COLUMNS, key, positions[REPORTS])


def report_upload_entities(user):
    """Entities the user may report for offline: their own as a focal point; any for administrators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Entity.objects.none()
    if user.is_superuser:
        return Entity.objects.order_by("name")
    return Entity.objects.filter(focal_points__user=user).distinct().order_by("name")
