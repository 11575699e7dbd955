"""The upload of a filled template: validated cell by cell, written all or nothing."""

import datetime
import os
import re
import uuid
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coalition.common.i18n import choice_codes, fold
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
from coalition.reporting.xlsx import cells
from coalition.reporting.xlsx.columns import (
    CONTENT_KEYS,
    FORMULA,
    IGNORED,
    KIND,
    REPORT_COLUMNS,
    REPORTS,
    REQUIRED,
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


class _Row(NamedTuple):
    number: int
    values: dict[str, Any]  # each read column's value as typed (text stripped)
    cells: dict[str, Any]  # and its cell, for what its number format shows
    bad: set[str]  # the columns whose cell is already in error: nothing more is said about them


def _header_map(sheet, name: str, errors: _Errors) -> dict[str, tuple[int, str]] | None:
    """{column key: (index, header as written)}; headers match whatever their case, accents and spacing."""
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    found: dict[str, tuple[int, str]] = {}
    for index, value in enumerate(first):
        if value not in (None, ""):
            found.setdefault(fold(str(value)), (index, str(value).strip()))
    missing = [column for column in REQUIRED[name] if fold(column.header) not in found]
    for column in missing:
        errors.add(name, 1, column.header, _("Missing column “%(column)s” in sheet “%(sheet)s”.")
                   % {"column": column.header, "sheet": name})
    return None if missing else {column.key: found[fold(column.header)] for column in REQUIRED[name]}


def _layouts(book, errors: _Errors) -> dict[str, dict[str, tuple[int, str]]] | None:
    """Each sheet's columns; None (with every missing sheet and column reported) when any is missing."""
    layouts = {}
    for name in REQUIRED:
        if name not in book.sheetnames:
            errors.add(name, None, "", _("The sheet “%(sheet)s” is missing; use the downloaded template.")
                       % {"sheet": name})
        else:
            layouts[name] = _header_map(book[name], name, errors)
    return layouts if len(layouts) == len(REQUIRED) and None not in layouts.values() else None


def _rows(sheet, name: str, layout: dict[str, tuple[int, str]], errors: _Errors, beat):
    """Yield a `_Row` for each non-empty row; formula cells are errors (and `bad`).

    Every row of the file is read, however far its sheet's declared dimension says it ends."""
    for number, found in enumerate(sheet.iter_rows(min_row=2), start=2):
        beat()
        row = _Row(number, {}, {}, set())
        for column in REQUIRED[name]:
            if column.key in IGNORED:
                continue
            index, header = layout[column.key]
            cell = found[index] if index < len(found) else None
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and FORMULA.match(value)):
                errors.add(name, number, header, _("Formulas are not accepted; type the value itself."))
                row.bad.add(column.key)
                continue
            row.values[column.key] = value.strip() if isinstance(value, str) else value
            row.cells[column.key] = cell
        if row.bad or any(v not in (None, "") for v in row.values.values()):
            yield row


def _read(row: _Row, sheet: str, layout, errors: _Errors, readers: dict) -> dict[str, Any]:
    """The row's values read by `readers` ({key: cell → value}); an unreadable cell is an error, None and `bad`."""
    read = {}
    for key, reader in readers.items():
        read[key] = None
        if key in row.bad:
            continue
        try:
            read[key] = reader(row.cells.get(key))
        except cells.Unreadable as problem:
            errors.add(sheet, row.number, layout[key][1], problem.message)
            row.bad.add(key)
    return read


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
    layouts = _layouts(book, errors)
    if layouts is None:
        return 0
    statuses = choice_codes(ImplementationStatus)
    report_readers = {"period_end": cells.as_date, "implementation_status": lambda cell: cells.as_status(cell, statuses),
                      "share_delivered": cells.as_share, "disbursed_amount": cells.as_amount,
                      "disbursed_currency": cells.as_text, "disbursed_year": cells.as_year,
                      "narrative": cells.as_text, "challenges": cells.as_text}

    pledges = {p.pk: p for p in published_pledges(entity)}
    targets = {t.pk: t for t in PledgeTarget.objects.filter(pledge__in=pledges.values())}
    reports, seen = [], {}
    for row in _rows(book[REPORTS], REPORTS, layouts[REPORTS], errors, heartbeat):
        # Every cell is read first, so that a wrong pledge ID does not hide what else is wrong.
        data = _read(row, REPORTS, layouts[REPORTS], errors, report_readers)
        column = layouts[REPORTS]["pledge"][1]
        pledge_id, given = _as_id(row.values.get("pledge")), row.values.get("pledge")
        if pledge_id is None:
            if "pledge" not in row.bad:
                errors.add(REPORTS, row.number, column, _("“%(value)s” is not a pledge ID.") % {"value": given}
                           if given not in (None, "") else _("Give the pledge ID."))
            continue
        if pledge_id not in pledges:
            errors.add(REPORTS, row.number, column, _("Pledge %(id)s is not a published pledge of %(entity)s.")
                       % {"id": pledge_id, "entity": entity})
            continue
        if pledge_id in seen:
            errors.add(REPORTS, row.number, column, _("Pledge %(id)s is listed twice (first on row %(row)s).")
                       % {"id": pledge_id, "row": seen[pledge_id]})
            continue
        seen[pledge_id] = row.number
        reports.append((row, pledges[pledge_id], data))

    actuals: dict[int, list[tuple[_Row, dict]]] = {}
    for row in _rows(book[TARGETS], TARGETS, layouts[TARGETS], errors, heartbeat):
        pledge_id, target_id = _as_id(row.values.get("pledge")), _as_id(row.values.get("target"))
        target = targets.get(target_id)
        if target is not None and target.pledge_id != pledge_id:
            target = None
        unit = target.unit if target is not None else None
        actual = _read(row, TARGETS, layouts[TARGETS], errors,
                       {"actual_value": lambda cell, unit=unit: cells.as_actual(cell, unit)})["actual_value"]
        if target is None:
            if not {"pledge", "target"} & row.bad:
                errors.add(TARGETS, row.number, layouts[TARGETS]["target"][1],
                           _("“%(value)s” is not a target of pledge %(pledge)s.")
                           % {"value": row.values.get("target"), "pledge": row.values.get("pledge")})
            continue
        if pledge_id not in seen:
            errors.add(TARGETS, row.number, layouts[TARGETS]["pledge"][1],
                       _("Pledge %(id)s has no row in the sheet “%(sheet)s”.") % {"id": pledge_id, "sheet": REPORTS})
            continue
        actuals.setdefault(pledge_id, []).append((row, {"target": target, "actual_value": actual}))

    rows_read = len(reports) + sum(len(rows) for rows in actuals.values())
    try:
        with transaction.atomic():
            heartbeat.beat()  # holds the run's row (PostgreSQL) while the transaction lasts
            for row, pledge, data in reports:
                _import_row(row, pledge, data, actuals.get(pledge.pk, []), actor=actor,
                            layouts=layouts, errors=errors, counts=counts, written=written)
            if errors:
                raise _Refused
            heartbeat.beat()  # committed with the reports: fresh when the write lock is released
    except _Refused:
        written.clear()
    return rows_read


def _import_row(row: _Row, pledge, data, target_rows, *, actor, layouts, errors, counts, written) -> None:
    if not any(row.values.get(key) not in (None, "") for key in CONTENT_KEYS) and not any(
            target_row.values.get("actual_value") not in (None, "") for target_row, _t in target_rows):
        counts["skipped"] += 1
        return
    data = {**data, "targets": [actual for _r, actual in target_rows]}
    period_end = data["period_end"]
    report = None
    if isinstance(period_end, datetime.date):
        existing = ProgressReport.objects.filter(pledge=pledge, year=period_end.year).first()
        if existing is not None and existing.status not in REPORT_EDITABLE_STATES:
            errors.add(REPORTS, row.number, layouts[REPORTS]["period_end"][1],
                       _("The report for %(year)s is already %(status)s; it can no longer be changed.")
                       % {"year": period_end.year, "status": existing.get_status_display().lower()})
            return
        report = existing
    try:
        if row.bad or any(target_row.bad for target_row, _t in target_rows):
            # Cells already in error: nothing is written, but the rest of the row is still checked.
            report_clean(pledge=pledge, data=data, report=report)
        elif report is None:
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
            sheet, where, key = _locate(field, row, target_rows)
            if key in where.bad:
                continue  # that cell's own error says it already
            for message in messages:
                errors.add(sheet, where.number, layouts[sheet][key][1], message)


def _locate(field: str, row: _Row, target_rows) -> tuple[str, _Row, str]:
    """The sheet, row and column key of a service error key (`share_delivered`, `targets[1].actual_value`)."""
    match = re.fullmatch(r"targets\[(\d+)\]\.(\w+)", field)
    if match and int(match.group(1)) < len(target_rows):
        key = "actual_value" if match.group(2) == "actual_value" else "target"
        return TARGETS, target_rows[int(match.group(1))][0], key
    keys = {column.key for column in REPORT_COLUMNS}
    return REPORTS, row, field if field in keys else "pledge"


def report_upload_entities(user):
    """Entities the user may report for offline: their own as a focal point; any for administrators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Entity.objects.none()
    if user.is_superuser:
        return Entity.objects.order_by("name")
    return Entity.objects.filter(focal_points__user=user).distinct().order_by("name")
