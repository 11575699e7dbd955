"""Write many rows fast, straight into a model's table, without the ORM's per-object work.

For generators and loaders that produce hundreds of thousands of rows: no model instances,
no signals, no `save()`. Table and column names always come from the model's `_meta`, so a
renamed column or table never needs a change here. Callers assign primary keys themselves
(`next_pk`) and call `reset_sequences` when they are done.

SQLite gets `executemany` with one transaction per chunk; PostgreSQL gets `COPY … FROM STDIN`
through psycopg 3, several times faster than INSERT there.
"""

import functools
import multiprocessing
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models, transaction

Batch = list[tuple[type[models.Model], Sequence[str], Iterable[Sequence]]]

# Column types whose Python values both drivers take as the ORM would send them (Django's
# SQLite backend registers adapters for Decimal and date). Date-times need the backend's own
# adaptation (SQLite stores naive UTC text that the ORM's lookups compare as strings); any
# other type goes through `get_db_prep_save`, the ORM's full path.
_PASSTHROUGH_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "BooleanField",
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "DateField",
        "DecimalField",
    }
)

DEFAULT_CHUNK_SIZE = 20_000


def bulk_write(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[Sequence],
    *,
    using: str = "default",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> int:
    """Insert `rows` (tuples in the order of `attnames`) into `model`'s table; return the count.

    Preconditions: every row carries its primary key if the model's key is among `attnames`
    (nothing is read back), and the values are valid — no validation happens here. Rows are
    consumed lazily, `chunk_size` at a time, so a generator keeps memory flat. Each chunk is
    written in its own transaction unless the caller already holds one (then the caller's
    transaction decides). Sends no signals: history, caches and search indexes are the
    caller's business.
    """
    connection = connections[using]
    fields = _fields(model, attnames)
    converters = _converters(fields, connection)
    written = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, chunk_size)):
        if converters:
            chunk = [_convert(row, converters) for row in chunk]
        with transaction.atomic(using=using, savepoint=False):
            if connection.vendor == "postgresql":
                _copy(connection, model, fields, chunk)
            else:
                _executemany(connection, model, fields, chunk)
        written += len(chunk)
    return written


class BatchWriter:
    """Write batches of rows, one transaction per batch, optionally from a second process.

    A batch is a list of `(model, attnames, rows)` written in that order. With
    `background=True` a forked child process with its own database connection writes while
    the caller prepares the next batch: on two cores that hides most of the writing. (A
    thread would not: SQLite's driver takes the interpreter lock back after every row.) One
    batch waits at most, which bounds memory. The child sees only committed data, so the
    caller must not be inside a transaction (ValueError otherwise); the caller's connections
    are closed before the fork and reopen on next use. An in-memory SQLite database (tests)
    is always written inline.

    Use as a context manager: leaving it waits for the last batch and raises `BulkWriteError`
    if a batch failed; batches after a failed one are not written. `counts` holds the rows
    written per model label once the block has ended.
    """

    def __init__(self, *, using: str = "default", background: bool = False):
        connection = connections[using]
        if background and connection.in_atomic_block:
            raise ValueError("a background writer cannot see the caller's open transaction")
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            background = False  # a forked child would write to its own copy of the database
        self.using, self.background = using, background
        self.counts: Counter[str] = Counter()
        self._pipe = self._child = None
        self._error: str | None = None

    def __enter__(self) -> "BatchWriter":
        if self.background:
            connections.close_all()
            parent_end, child_end = multiprocessing.get_context("fork").Pipe()
            self._child = multiprocessing.get_context("fork").Process(
                target=_child_main, args=(child_end, self.using), name="bulk-writer", daemon=True
            )
            self._child.start()
            child_end.close()
            self._pipe = parent_end
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if not self._child:
            return
        self._send(None)
        # Read until the child's final report; an error report may come before it.
        while (message := self._receive()) is not None and message[0] != "done":
            pass
        if message is not None:
            self.counts.update(message[1])
        self._child.join()
        if exc is None and self._error is not None:
            raise BulkWriteError(self._error)

    def submit(self, batch: Batch) -> None:
        if not self._child:
            _write_batch(batch, self.using, self.counts)
            return
        if self._pipe.poll():
            self._receive()
        if self._error is not None:
            raise BulkWriteError(self._error)
        # Materialise generators: only lists and tuples cross the process boundary.
        self._send([(model._meta.label, list(attnames), list(rows)) for model, attnames, rows in batch])

    def _send(self, message) -> None:
        try:
            self._pipe.send(message)
        except (BrokenPipeError, ConnectionResetError):
            self._error = self._error or "the writer process stopped unexpectedly"

    def _receive(self):
        try:
            message = self._pipe.recv()
        except EOFError:
            self._error = self._error or "the writer process stopped unexpectedly"
            return None
        if message[0] == "error":
            self._error = message[1]
        return message


class BulkWriteError(Exception):
    """A background batch failed; the message carries the original error and its traceback."""


def _child_main(pipe, using: str) -> None:
    """The writer process: write each batch received, report the first error, then counts."""
    counts: Counter[str] = Counter()
    failed = False
    try:
        while (batch := pipe.recv()) is not None:
            if failed:
                continue  # keep reading so the parent never blocks on a full pipe
            try:
                _write_batch([(apps.get_model(label), names, rows) for label, names, rows in batch], using, counts)
            except Exception:
                failed = True
                pipe.send(("error", traceback.format_exc()))
        pipe.send(("done", dict(counts)))
    finally:
        connections[using].close()
        pipe.close()


def _write_batch(batch: Batch, using: str, counts: Counter) -> None:
    with transaction.atomic(using=using):
        for model, attnames, rows in batch:
            counts[model._meta.label] += bulk_write(model, attnames, rows, using=using)


def next_pk(model: type[models.Model], *, using: str = "default") -> int:
    """The first primary key free after the table's current highest one."""
    highest = model._base_manager.using(using).aggregate(highest=models.Max("pk"))["highest"]
    return (highest or 0) + 1


def reset_sequences(model_list: Iterable[type[models.Model]], *, using: str = "default") -> None:
    """Point each model's id sequence past its highest key after keys were written by hand.

    Only PostgreSQL needs it; SQLite's AUTOINCREMENT follows explicit keys on its own, and
    Django returns no statements for it.
    """
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _fields(model, attnames) -> list[models.Field]:
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    unknown = [name for name in attnames if name not in by_attname]
    if unknown:
        raise ValueError(f"{model._meta.label} has no concrete field(s) {', '.join(unknown)}")
    return [by_attname[name] for name in attnames]


def _converters(fields, connection) -> list[tuple[int, Callable]]:
    converters = []
    for index, field in enumerate(fields):
        target = field.target_field if field.is_relation else field
        internal_type = target.get_internal_type()
        if internal_type in _PASSTHROUGH_TYPES:
            continue
        if internal_type == "DateTimeField":
            if connection.vendor == "postgresql":
                continue  # psycopg sends aware datetimes as timestamptz, as the ORM does
            # The backend's adaptation alone, remembered: the ORM's full path costs several
            # times more, this runs for millions of values, and rows written together often
            # share their timestamps (a record and its versions).
            converters.append((index, functools.lru_cache(maxsize=8192)(connection.ops.adapt_datetimefield_value)))
            continue

        def convert(value, _field=field, _connection=connection):
            return None if value is None else _field.get_db_prep_save(value, _connection)

        converters.append((index, convert))
    return converters


def _convert(row, converters) -> list:
    row = list(row)
    for index, convert in converters:
        row[index] = convert(row[index])
    return row


def _columns_sql(connection, model, fields) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)


def _executemany(connection, model, fields, chunk) -> None:
    table, columns = _columns_sql(connection, model, fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", chunk)


def _copy(connection, model, fields, chunk) -> None:
    table, columns = _columns_sql(connection, model, fields)
    with connection.cursor() as cursor:
        # The psycopg cursor itself: Django's wrapper does not expose COPY.
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in chunk:
                copy.write_row(row)
