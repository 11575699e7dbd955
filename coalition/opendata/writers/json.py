"""JSON: one document per dataset, written row by row, never held whole in memory.

    {"dataset": "pledges", "title": …, "description": …, "language": "en",
     "as_of": "2025-05-01T08:00:00Z", "licence": {…},
     "tables": [{"name": "pledges", "title": …, "columns": [{"name", "title", "type",
                 "description", "unit", "enum": [{"code", "label"}]}…],
                 "rows": [{"id": 1, "title": …}, …]}, …]}

A row is an object keyed by column name. Numbers stay exact (a decimal is written as its
digits, not through a binary float), dates are ISO 8601, moments UTC ending in Z, a missing
value is null. Codes never change with the language; titles, descriptions and labels do."""

import datetime
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from coalition.opendata.tables.columns import Table, utc_text
from coalition.opendata.writers import CHUNK

TITLE = "JSON"
DESCRIPTION = _("One document per dataset with its description, every table's columns and its rows as objects.")
MEDIA_TYPE = "application/json"
EXTENSION = "json"


def json_value(value) -> str:
    """`value` as a JSON literal."""
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else "null"
    if isinstance(value, datetime.datetime):
        return json.dumps(utc_text(value))
    if isinstance(value, datetime.date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def _columns(table: Table, language: str) -> list[dict]:
    return [
        {"name": column.name, "title": str(column.title), "type": column.type, "description": str(column.description),
         "unit": column.unit or None,
         "enum": [{"code": code, "label": label} for code, label in column.enum_labels(language)] or None}
        for column in table.columns
    ]


def json_write(*, head: dict, tables: Iterable[tuple[Table, Iterable[tuple]]], stream, language: str) -> Iterator[int]:
    """Write a document opening with `head` (name, title… of the dataset) and holding `tables`
    ((table, rows) pairs) to `stream`; yields rows written."""

    def put(text: str) -> None:
        stream.write(text.encode("utf-8"))

    count = 0
    with translation.override(language):
        put(json.dumps(head, ensure_ascii=False, default=str)[:-1])
        put(', "tables": [')
        for index, (table, rows) in enumerate(tables):
            names = [json.dumps(name) + ": " for name in table.column_names]
            put(("," if index else "") + "\n{" + json.dumps({"name": table.name, "title": str(table.title),
                "description": str(table.description), "columns": _columns(table, language)}, ensure_ascii=False)[1:-1])
            put(', "rows": [')
            first = True
            for row in rows:
                put(("\n" if first else ",\n") + "{" + ", ".join(
                    name + json_value(value) for name, value in zip(names, row, strict=True)) + "}")
                first = False
                count += 1
                if count % CHUNK == 0:
                    yield count
            put("]}")
        put("]}\n")
    yield count
