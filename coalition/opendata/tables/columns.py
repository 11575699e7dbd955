"""The column dictionary's vocabulary: a table, its columns, its keys, and how its rows are read.

A table is defined once, in code, and everything published about it is read from that one
definition: the rows of every file (CSV, XLSX, JSON), the dictionary page, the XLSX dictionary
sheet and the Frictionless table schema. Column names and codes never change with the language;
titles, descriptions, enum labels and the names of things (countries, groups…) do.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from coalition.common.asof import AsOf

# The Table Schema types the columns use (https://specs.frictionlessdata.io/table-schema/).
TYPES = ("string", "integer", "number", "boolean", "date", "datetime")


@dataclass(frozen=True)
class Column:
    """One column: its stable `name` and Table Schema `type`, what it means, and where its values
    come from (`source`: a field path for `values_list`, or a function of the language giving a
    query expression). `enum` is a Django choices class whose codes are the only values allowed."""

    name: str
    type: str
    title: str
    description: str
    source: str | Callable[[str], object]
    example: str = ""
    unit: str = ""
    enum: type | None = None
    required: bool = False

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"Column {self.name}: unknown type {self.type!r}")

    def expression(self, language: str):
        return self.source(language) if callable(self.source) else self.source

    def enum_codes(self) -> list[str]:
        return list(self.enum.values) if self.enum is not None else []

    def enum_labels(self, language: str) -> list[tuple[str, str]]:
        """[(code, label in `language`)] of an enum column; [] for the others."""
        if self.enum is None:
            return []
        with translation.override(language):
            return [(code, str(label)) for code, label in self.enum.choices]


@dataclass(frozen=True)
class ForeignKey:
    """Values of `fields` are found in `reference` (a table name; "" for the table itself)."""

    fields: tuple[str, ...]
    reference: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """What a set of rows covers: the public pledges (all of them for a dump, an explorer
    selection for a download), the language of names, and the day reporting statuses are
    computed for. With `as_of` a past day, `pledges` holds the pledge versions published at its
    end (`explore.registry`), and every table reads the rows as they stood then."""

    pledges: object  # a QuerySet of Pledge, or of pledge versions when `past`
    language: str
    today: datetime.date
    as_of: AsOf | None = None  # None or today: the live rows

    @property
    def past(self) -> bool:
        return self.as_of is not None and not self.as_of.is_today


@dataclass(frozen=True)
class Table:
    """A table of a dataset: its columns, keys, and the rows of a scope (`queryset(scope)` gives
    the objects, read column by column with `values_list` in chunks, so memory stays flat)."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    queryset: Callable[[Scope], object]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    order_by: tuple[str, ...] = ("pk",)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, scope: Scope, *, chunk_size: int = 2000) -> Iterator[tuple]:
        """The table's rows for `scope`, in a stable order, as tuples in column order."""
        expressions = {f"c{index}": column.expression(scope.language) for index, column in enumerate(self.columns)}
        plain = {key: value for key, value in expressions.items() if isinstance(value, str)}
        computed = {key: value for key, value in expressions.items() if not isinstance(value, str)}
        queryset = self.queryset(scope).order_by(*self.order_by)
        if computed:
            queryset = queryset.annotate(**computed)
        names = [plain.get(key, key) for key in expressions]
        enums = [index for index, column in enumerate(self.columns) if column.enum is not None]
        for row in queryset.values_list(*names).iterator(chunk_size=chunk_size):
            if enums:
                row = list(row)
                for index in enums:
                    if row[index] == "":
                        row[index] = None
            yield tuple(row)


def translated(field_name: str) -> Callable[[str], object]:
    """The source of a column holding `field_name` in the asked language, English where the
    translation is blank (the site's own fallback, `common.i18n.pick`)."""

    def expression(language: str):
        if language == "en":
            return F(f"{field_name}_en")
        return Coalesce(NullIf(F(f"{field_name}_{language}"), Value("")), F(f"{field_name}_en"), output_field=TextField())

    return expression


def cell_text(value) -> str:
    """A cell's value as text in a CSV file: dates and moments in ISO 8601 (UTC, seconds),
    booleans as true/false, decimals as written, missing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return utc_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
