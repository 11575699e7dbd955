"""Write many rows fast, straight into a model's table, without the ORM's per-object work.

For generators and loaders that produce hundreds of thousands of rows: no model instances,
no signals, no `save()`. Table and column names always come from the model's `_meta`, so a
renamed column or table never needs a change here. Callers assign primary keys themselves
(`next_pk`) and call `reset_sequences` when they are done.

SQLite gets `executemany` with one transaction per chunk; PostgreSQL gets `COPY … FROM STDIN`
through psycopg 3, several times faster than INSERT there.
"""

import datetime
import functools
import itertools
import multiprocessing
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

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
ROWS_PER_STATEMENT = 100


def bulk_write(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[Sequence],
    *,
    using: str = "default",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    prepared: bool = False,
) -> int:
    """Insert `rows` (tuples in the order of `attnames`) into `model`'s table; return the count.

    Preconditions: every row carries its primary key if the model's key is among `attnames`
    (nothing is read back), and the values are valid — no validation happens here. Rows are
    consumed lazily, `chunk_size` at a time, so a generator keeps memory flat. Each chunk is
    written in its own transaction unless the caller already holds one (then the caller's
    transaction decides). Sends no signals: history, caches and search indexes are the
    caller's business. `prepared=True` says the rows already went through `prepare_rows`.
    """
    connection = connections[using]
    fields = _fields(model, attnames)
    converters = [] if prepared else _converters(fields, connection)
    written = 0
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, chunk_size)):
        if converters:
            chunk = [_convert(row, converters) for row in chunk]
        with transaction.atomic(using=using, savepoint=False):
            if connection.vendor == "postgresql":
                _copy(connection, model, fields, chunk)
            else:
                _executemany(connection, model, fields, chunk)
        written += len(chunk)
    return written


def prepare_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence], *, using: str = "default") -> list:
    """`rows` as a list with each value adapted for the database as `bulk_write` would."""
    converters = _converters(_fields(model, attnames), connections[using])
    if not converters:
        return rows if isinstance(rows, list) else list(rows)
    return [_convert(row, converters) for row in rows]


class BatchWriter:
    """Write batches of rows, one transaction per batch, optionally from other processes.

    A batch is a list of `(model, attnames, rows)` written in that order. With
    `background=True`, forked child processes with their own database connections write
    while the caller prepares the next batch; on two cores that hides most of the writing.
    (Threads would not: SQLite's driver takes the interpreter lock back after every row.)
    `lanes` children write side by side on PostgreSQL, one lane per child; SQLite has one
    writer at a time, so there every lane goes to one child. Batches of one lane are written
    in order; batches of different lanes in no particular order, so a batch must not depend
    on another lane's rows through an enforced foreign key. Each lane holds at most one
    waiting batch, which bounds memory.

    The children see only committed data, so the caller must not be inside a transaction
    (ValueError otherwise); the caller's connections are closed before the fork and reopen on
    next use. An in-memory SQLite database (tests) is always written inline.

    Use as a context manager: leaving it waits for the last batches and raises
    `BulkWriteError` if one failed; after a failure a lane writes nothing more, other lanes
    carry on. `counts` holds the rows written per model label once the block has ended.
    """

    def __init__(self, *, using: str = "default", background: bool = False, lanes: int = 1):
        connection = connections[using]
        if background and connection.in_atomic_block:
            raise ValueError("a background writer cannot see the caller's open transaction")
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            background = False  # a forked child would write to its own copy of the database
        self.using, self.background = using, background
        self.lanes = lanes if background and connection.vendor == "postgresql" else 1
        self.counts: Counter[str] = Counter()
        self._children: list[_Child] = []

    def __enter__(self) -> "BatchWriter":
        if self.background:
            connections.close_all()
            self._children = [_Child(self.using) for _lane in range(self.lanes)]
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        errors = []
        for child in self._children:
            self.counts.update(child.finish())
            if child.error:
                errors.append(child.error)
        if exc is None and errors:
            raise BulkWriteError("\n".join(errors))

    def submit(self, batch: Batch, *, lane: int = 0) -> None:
        if not self._children:
            _write_batch(batch, self.using, self.counts)
            return
        child = self._children[lane % self.lanes]
        # Adapt values here, where there is CPU to spare, and send plain lists to the child.
        child.send(
            [
                (model._meta.label, list(attnames), prepare_rows(model, attnames, rows, using=self.using))
                for model, attnames, rows in batch
            ]
        )


class BulkWriteError(Exception):
    """A background batch failed; the message carries the original error and its traceback."""


class _Child:
    """One writer process and the parent's end of its pipe."""

    def __init__(self, using: str):
        context = multiprocessing.get_context("fork")
        self.pipe, child_end = context.Pipe()
        self.process = context.Process(target=_child_main, args=(child_end, using), name="bulk-writer", daemon=True)
        self.process.start()
        child_end.close()
        self.error: str | None = None

    def send(self, batch) -> None:
        if self.pipe.poll():
            self._receive()
        if self.error is not None:
            raise BulkWriteError(self.error)
        self._send(batch)

    def finish(self) -> dict:
        """Wait for the child to write what it has; return its counts."""
        self._send(None)
        # Read until the child's final report; an error report may come before it.
        while (message := self._receive()) is not None and message[0] != "done":
            pass
        self.process.join()
        return message[1] if message else {}

    def _send(self, message) -> None:
        try:
            self.pipe.send(message)
        except (BrokenPipeError, ConnectionResetError):
            self.error = self.error or "the writer process stopped unexpectedly"

    def _receive(self):
        try:
            message = self.pipe.recv()
        except EOFError:
            self.error = self.error or "the writer process stopped unexpectedly"
            return None
        if message[0] == "error":
            self.error = message[1]
        return message


def _child_main(pipe, using: str) -> None:
    """The writer process: write each batch received, report the first error, then counts."""
    counts: Counter[str] = Counter()
    failed = False
    try:
        while (batch := pipe.recv()) is not None:
            if failed:
                continue  # keep reading so the parent never blocks on a full pipe
            try:
                batch = [(apps.get_model(label), names, rows) for label, names, rows in batch]
                _write_batch(batch, using, counts, prepared=True)
            except Exception:
                failed = True
                pipe.send(("error", traceback.format_exc()))
        pipe.send(("done", dict(counts)))
    finally:
        connections[using].close()
        pipe.close()


def _write_batch(batch: Batch, using: str, counts: Counter, *, prepared: bool = False) -> None:
    with transaction.atomic(using=using):
        for model, attnames, rows in batch:
            counts[model._meta.label] += bulk_write(model, attnames, rows, using=using, prepared=prepared)


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


def tables_analyze(tables: Iterable[str], *, using: str = "default", connection=None) -> None:
    """Refresh the query planner's statistics of the tables a bulk load filled (by name).

    Right after a load PostgreSQL knows nothing of the new rows until autovacuum runs (off on
    some servers), and a planner that believes a table empty picks plans that take minutes on
    100,000 pledges instead of seconds. SQLite's planner uses such statistics too. Outside a
    transaction PostgreSQL also vacuums them (`VACUUM (ANALYZE)`), which sets the visibility
    map its index-only scans need; inside one (tests) it only analyses. `connection`
    overrides `using` (a restore works on a connection of its own).
    """
    connection = connection or connections[using]
    quote = connection.ops.quote_name
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for table in dict.fromkeys(tables):
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {quote(table)}")


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
            converters.append((index, _sqlite_datetime(connection)))
            continue

        def convert(value, _field=field, _connection=connection):
            return None if value is None else _field.get_db_prep_save(value, _connection)

        converters.append((index, convert))
    return converters


def _sqlite_datetime(connection) -> Callable:
    """The SQLite backend's datetime adaptation; UTC values to a UTC database (the demo's, and
    the default) take a shortcut giving the same text without the time-zone machinery."""
    adapt = functools.lru_cache(maxsize=8192)(connection.ops.adapt_datetimefield_value)
    if connection.timezone is not datetime.UTC:
        return adapt

    def convert(value, _utc=datetime.UTC, _adapt=adapt):
        if value is not None and value.tzinfo is _utc:
            return str(value.replace(tzinfo=None))
        return _adapt(value)

    return convert


def _convert(row, converters) -> list:
    row = list(row)
    for index, convert in converters:
        row[index] = convert(row[index])
    return row


def _columns_sql(connection, model, fields) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)


def _executemany(connection, model, fields, chunk) -> None:
    """INSERT several rows per statement: SQLite's cost is mostly per statement (its
    AUTOINCREMENT bookkeeping runs once per statement), so this is about 40% faster than
    one row per statement. Stays under the backend's limit on query parameters."""
    table, columns = _columns_sql(connection, model, fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, min(ROWS_PER_STATEMENT, connection.features.max_query_params // len(fields)))
    whole = len(chunk) - len(chunk) % per_statement
    with connection.cursor() as cursor:
        if whole:
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row_sql] * per_statement)
            flatten = itertools.chain.from_iterable
            cursor.executemany(
                sql, [tuple(flatten(chunk[start : start + per_statement])) for start in range(0, whole, per_statement)]
            )
        if whole < len(chunk):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {row_sql}", chunk[whole:])


def _copy(connection, model, fields, chunk) -> None:
    table, columns = _columns_sql(connection, model, fields)
    with connection.cursor() as cursor:
        # The psycopg cursor itself: Django's wrapper does not expose COPY.
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in chunk:
                copy.write_row(row)
