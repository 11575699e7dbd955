"""Write many rows fast, straight into a model's table, without the ORM's per-object work.

For generators and loaders that produce hundreds of thousands of rows: no model instances,
no signals, no `save()`. Table and column names always come from the model's `_meta`, so a
renamed column or table never needs a change here. Callers assign primary keys themselves
(`next_pk`) and call `reset_sequences` when they are done.

SQLite gets `executemany` with one transaction per chunk; PostgreSQL gets `COPY … FROM STDIN`
through psycopg 3, several times faster than INSERT there.
"""

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from django.core.management.color import no_style
from django.db import connections, models, transaction

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
            # The backend's adaptation alone: the ORM's full path costs several times more,
            # and this runs for millions of values.
            converters.append((index, connection.ops.adapt_datetimefield_value))
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
