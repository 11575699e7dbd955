"""The one runner every indicator import goes through, whatever the file's format.

It records an ImportRun (who, which file, which source, counts, row-level errors, warnings) and
writes all-or-nothing in one transaction, in bounded memory whatever the file's size:

1. the reader's rows stream into StagedObservation (COPY on PostgreSQL, executemany of 5,000
   rows at a time on SQLite), while every row error is collected (capped), so the user gets
   all of them at once;
2. duplicate keys (indicator, country, year) are found in SQL on the staging table;
3. any error rolls everything back, the run's Edition included; only the failed ImportRun is
   saved, after the rollback;
4. otherwise one set-based merge, in SQL that SQLite (3.33+) and PostgreSQL both run: current
   values that differ from the staged ones are copied to ObservationRevision (edition = the
   one that gave them, replaced_by = this one), then updated; staged rows with no current
   value are inserted; the run's staging rows are deleted.

Re-running a file changes nothing (everything counts unchanged, no revision is written).
"""

import csv
import uuid
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from openpyxl.utils.exceptions import InvalidFileException

from coalition.common.actors import is_system, person
from coalition.common.workbooks import WorkbookRefused
from coalition.indicators.models import (
    DataSource,
    Edition,
    Indicator,
    Observation,
    ObservationRevision,
    StagedObservation,
)
from coalition.indicators.readers import Reader, Value
from coalition.reference.importing import MAX_ERRORS_KEPT
from coalition.reference.loaders.base import Counts, ImportErrors, RowError
from coalition.reference.models import ImportRun
from coalition.reference.runs import Heartbeat

BATCH = 5_000
PROGRESS_EVERY = 50_000


class _Refused(Exception):
    """Raised inside the transaction to roll it back when the file has errors."""


class _Errors:
    """Row errors, the first MAX_ERRORS_KEPT kept, the rest only counted."""

    def __init__(self):
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, error: RowError) -> None:
        self.total += 1
        if len(self.kept) < MAX_ERRORS_KEPT:
            self.kept.append(error)

    def as_list(self) -> list[dict]:
        rows = [error.as_dict() for error in self.kept]
        if self.total > len(self.kept):
            rows.append({"row": None, "column": "", "message": f"… and {self.total - len(self.kept):,} more errors"})
        return rows


IMPORT_PERMISSION = "indicators.add_observation"


def import_kind(source: DataSource) -> str:
    return f"indicators:{source.code}"[:60]


def _check_may_import(actor) -> None:
    """A person importing must hold the permission to add values; commands import as `SYSTEM`."""
    if is_system(actor):
        return
    if actor is None or not actor.is_active or not actor.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied("Only administrators allowed to add indicator values may import them.")


def indicator_import_upload(
    *, actor, upload, format: str, source: DataSource, edition_label: str, indicator: Indicator | None = None,
) -> ImportRun:
    """Keep an uploaded file under MEDIA_ROOT/imports and queue its import by a background task.

    Returns the ImportRun at once (running), so a page can link to it; it is already finished
    when tasks run immediately. Raises PermissionDenied for someone who may not import.
    """
    from coalition.indicators.tasks import import_indicator_file

    _check_may_import(actor)
    folder = Path(settings.MEDIA_ROOT) / "imports"
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    stored = FileSystemStorage(location=folder).save(
        f"{stamp}-{uuid.uuid4().hex[:8]}-{get_valid_filename(upload.name)}", upload)
    saved = folder / stored
    run = ImportRun.objects.create(
        kind=import_kind(source), source=f"{upload.name} ({saved})"[:500], edition=edition_label,
        started_by=person(actor),
    )
    result = import_indicator_file.enqueue(
        run_id=run.pk, path=str(saved), format=format, source=source.code, edition=edition_label,
        indicator=indicator.code if indicator else "", name=upload.name,
    )
    # The reaper (reference.runs) leaves a run alone while its task is queued, and fails it
    # once the task is found dead.
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def indicator_import(
    *, actor, reader: Reader, source: DataSource, edition_label: str,
    progress: Callable[[int], None] | None = None, run: ImportRun | None = None,
) -> ImportRun:
    """Import the values `reader` yields as edition `edition_label` of `source`; return the run.

    The run ends `succeeded` (counts: created = new values, updated = revised values, each
    previous value kept as an ObservationRevision, unchanged = the rest; skipped and warnings
    from the reader) or `failed` with its errors [{row, column, message}] and nothing written.
    `progress(values_read)` is called every PROGRESS_EVERY values. `run` is an ImportRun
    created beforehand (the admin creates one so it can link to it before a worker starts).
    Unexpected exceptions (bugs) mark the run failed and are re-raised. Raises PermissionDenied,
    before anything is written, when `actor` may not import (commands pass `SYSTEM`).
    """
    _check_may_import(actor)
    if run is None:
        run = ImportRun.objects.create(kind=import_kind(source), source=reader.name[:500], edition=edition_label,
                                       started_by=person(actor))
    errors, counts, read = _Errors(), Counts(), 0
    heartbeat = Heartbeat(run)
    try:
        with transaction.atomic():
            # The run's heartbeat, written first, holds its row for the whole transaction on
            # PostgreSQL (the reaper skips it), and again last, so it is fresh once committed.
            heartbeat.beat()
            edition, _ = Edition.objects.get_or_create(source=source, label=edition_label)
            read = _stage(reader, run, errors, progress)
            for error in _duplicates(run, key_column=reader.key_column):
                errors.add(error)
            if errors.total:
                raise _Refused
            _merge(run, source=source, edition=edition, counts=counts)
            counts.unchanged = read - counts.created - counts.updated
            StagedObservation.objects.filter(import_run=run).delete()
            heartbeat.beat()
    except _Refused:
        pass
    except ImportErrors as exc:
        for error in exc.errors:
            errors.add(error)
    except WorkbookRefused as exc:
        errors.add(RowError(exc.row, "", exc.message))
    except (OSError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile, InvalidFileException) as exc:
        errors.add(RowError(None, "", f"Could not read {reader.name}: {exc}"))
    except DatabaseError as exc:
        errors.add(RowError(None, "", f"The database refused the import: {exc}"))
    except Exception as exc:
        _finish(run, reader, read, _single(f"Import crashed: {exc!r}"), Counts())
        raise
    _finish(run, reader, read, errors, counts if not errors.total else Counts())
    return run


def _single(message: str) -> _Errors:
    errors = _Errors()
    errors.add(RowError(None, "", message))
    return errors


def _finish(run: ImportRun, reader: Reader, read: int, errors: _Errors, counts: Counts) -> None:
    run.rows_read = read
    run.status = ImportRun.Status.FAILED if errors.total else ImportRun.Status.SUCCEEDED
    run.errors = errors.as_list()
    run.created, run.updated, run.unchanged = counts.created, counts.updated, counts.unchanged
    run.skipped = reader.skipped
    run.warnings = reader.warnings()[:MAX_ERRORS_KEPT]
    run.finished_at = run.heartbeat_at = timezone.now()
    run.save()


# --- staging ------------------------------------------------------------------------------------

def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(model, *names: str) -> str:
    return ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in names)


def _stage(reader: Reader, run: ImportRun, errors: _Errors, progress) -> int:
    """Stream the reader's values into the staging table; return how many were read: the values
    staged and the rows refused, each refused row once however many errors it has."""
    read = 0
    refused: set[int] = set()
    items = iter(reader)  # loads the reader's code tables before COPY holds the connection
    with _staging_writer() as write:
        for item in items:
            if isinstance(item, Value):
                read += 1
                write((run.pk, *item))
                if progress is not None and read % PROGRESS_EVERY == 0:
                    progress(read)
            else:
                errors.add(item)
                if item.row and item.row > 1:
                    refused.add(item.row)
    return read + len(refused)


@contextmanager
def _staging_writer():
    """A function taking one staging row; rows go to the database in batches.

    PostgreSQL gets them through COPY (about four times faster than batched INSERTs there);
    SQLite through executemany, BATCH rows at a time.
    """
    table = _table(StagedObservation)
    columns = _columns(StagedObservation, "import_run", "row", "indicator_id", "country_id", "year", "value",
                       "is_estimate", "note", "origin")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                yield copy.write_row
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        batch: list[tuple] = []

        def write(row: tuple) -> None:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch.clear()

        yield write
        if batch:
            cursor.executemany(sql, batch)


def _duplicates(run: ImportRun, *, key_column: str):
    """RowErrors for staged rows repeating an earlier row's (indicator, country, year), one per row."""
    from coalition.reference.models import Country

    qn = connection.ops.quote_name
    staged, row = _table(StagedObservation), qn("row")
    sql = f"""
        WITH dup AS (
            SELECT indicator_id, country_id, year, MIN(id) AS first_id FROM {staged}
            WHERE import_run_id = %s GROUP BY indicator_id, country_id, year HAVING COUNT(*) > 1
        )
        SELECT s.{row}, f.{row}, i.code, c.iso3, s.year
        FROM dup
        JOIN {staged} s ON s.import_run_id = %s AND s.indicator_id = dup.indicator_id
            AND s.country_id = dup.country_id AND s.year = dup.year AND s.id <> dup.first_id
        JOIN {staged} f ON f.id = dup.first_id
        JOIN {_table(Indicator)} i ON i.id = s.indicator_id
        JOIN {_table(Country)} c ON c.id = s.country_id
        ORDER BY s.{row}, s.year
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.pk, run.pk])
        current, first, years = None, None, []
        for line, first_line, indicator, iso3, year in cursor:
            if line != current:
                if current is not None:
                    yield _duplicate_error(current, first, years, key_column)
                current, first, years = line, (first_line, indicator, iso3), []
            years.append(year)
        if current is not None:
            yield _duplicate_error(current, first, years, key_column)


def _duplicate_error(line: int, first: tuple, years: list[int], column: str) -> RowError:
    first_line, indicator, iso3 = first
    where = f"line {first_line}" if first_line != line else "the same line"
    shown = ", ".join(str(year) for year in years[:3]) + (f" and {len(years) - 3} more" if len(years) > 3 else "")
    return RowError(line, column, f"Duplicate of {where}: {indicator} for {iso3} in {shown} is given twice")


# --- merge --------------------------------------------------------------------------------------

def _merge(run: ImportRun, *, source: DataSource, edition: Edition, counts: Counts) -> None:
    obs, staged, revisions = _table(Observation), _table(StagedObservation), _table(ObservationRevision)
    same_key = "s.indicator_id = o.indicator_id AND s.country_id = o.country_id AND s.year = o.year"
    differs = "(o.value <> s.value OR o.is_estimate <> s.is_estimate OR o.note <> s.note OR o.origin <> s.origin)"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {revisions} ({_columns(ObservationRevision, 'indicator', 'country', 'year', 'source', 'value',
                'is_estimate', 'note', 'origin', 'edition', 'replaced_by', 'replaced_at', 'import_run')})
            SELECT o.indicator_id, o.country_id, o.year, o.source_id, o.value, o.is_estimate, o.note, o.origin,
                o.edition_id, %s, %s, %s
            FROM {obs} o JOIN {staged} s ON s.import_run_id = %s AND {same_key}
            WHERE o.source_id = %s AND {differs}""",
            [edition.pk, now, run.pk, run.pk, source.pk],
        )
        counts.updated = cursor.rowcount
        if counts.updated:
            cursor.execute(
                f"""UPDATE {obs} AS o SET value = s.value, is_estimate = s.is_estimate, note = s.note,
                    origin = s.origin, edition_id = %s, import_run_id = %s
                FROM {staged} s WHERE s.import_run_id = %s AND {same_key} AND o.source_id = %s AND {differs}""",
                [edition.pk, run.pk, run.pk, source.pk],
            )
        cursor.execute(
            f"""INSERT INTO {obs} ({_columns(Observation, 'indicator', 'country', 'year', 'source', 'value',
                'is_estimate', 'note', 'origin', 'edition', 'import_run')})
            SELECT s.indicator_id, s.country_id, s.year, %s, s.value, s.is_estimate, s.note, s.origin, %s, %s
            FROM {staged} s
            WHERE s.import_run_id = %s AND NOT EXISTS (
                SELECT 1 FROM {obs} o WHERE o.source_id = %s AND {same_key})""",
            [source.pk, edition.pk, run.pk, run.pk, source.pk],
        )
        counts.created = cursor.rowcount
