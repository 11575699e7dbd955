"""The one runner every reference import goes through.

It records an ImportRun (who, what, from where, status, counts, errors) and writes
all-or-nothing: rows are read and validated first, and only an error-free read is written,
inside a single transaction. A failed run leaves nothing behind but its ImportRun; a run that
wrote ends by refreshing the planner's statistics of the reference tables.
"""

import csv

from django.db import DatabaseError, transaction
from django.utils import timezone

from coalition.common.bulk import tables_analyze
from coalition.reference.loaders.base import Counts, ImportErrors, Loader, Row, RowError
from coalition.reference.models import ImportRun
from coalition.reference.runs import Heartbeat

# Enough to fix a file without turning one systematic mistake into a huge JSON column.
MAX_ERRORS_KEPT = 200


def run_import(*, loader: Loader, user=None) -> ImportRun:
    """Run `loader` and return its finished ImportRun (status succeeded or failed).

    Validation problems never raise: they end up in `run.errors` as {row, column, message}
    and nothing else is written. Unexpected exceptions (bugs) mark the run failed and are
    re-raised so they are not mistaken for bad input.
    """
    run = ImportRun.objects.create(kind=loader.kind, source=loader.source[:500], started_by=user)
    counts = Counts()
    rows: list[Row] = []
    errors: list[RowError] = []
    heartbeat = Heartbeat(run)  # a long read stays alive in the reaper's eyes (reference.runs)
    try:
        for item in loader.read():
            heartbeat()
            (errors if isinstance(item, RowError) else rows).append(item)
        if not errors:
            with transaction.atomic():
                heartbeat.beat()
                loader.write(rows, counts)
                heartbeat.beat()
    except ImportErrors as exc:
        errors.extend(exc.errors)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        errors.append(RowError(None, "", f"Could not read {loader.source}: {exc}"))
    except DatabaseError as exc:
        errors.append(RowError(None, "", f"The database refused the import: {exc}"))
    except Exception as exc:
        _finish(run, rows, [RowError(None, "", f"Import crashed: {exc!r}")], Counts())
        raise
    _finish(run, rows, errors, counts if not errors else Counts())
    if run.status == ImportRun.Status.SUCCEEDED and counts.tables:
        # Fresh statistics for the planner: a membership table it believes empty makes it
        # choose plans that take minutes over a large registry (DESIGN: bulk loads end with ANALYZE).
        tables_analyze(sorted(counts.tables))
    return run


def _finish(run: ImportRun, rows: list[Row], errors: list[RowError], counts: Counts) -> None:
    error_rows = {error.row for error in errors if error.row and error.row > 1}
    run.rows_read = len(rows) + len(error_rows - {row.number for row in rows})
    run.status = ImportRun.Status.FAILED if errors else ImportRun.Status.SUCCEEDED
    run.errors = [error.as_dict() for error in errors[:MAX_ERRORS_KEPT]]
    if len(errors) > MAX_ERRORS_KEPT:
        run.errors.append(
            {"row": None, "column": "", "message": f"… and {len(errors) - MAX_ERRORS_KEPT} more errors"}
        )
    run.created, run.updated, run.unchanged = counts.created, counts.updated, counts.unchanged
    run.deleted, run.skipped, run.warnings = counts.deleted, counts.skipped, counts.warnings
    run.finished_at = run.heartbeat_at = timezone.now()
    run.save()
