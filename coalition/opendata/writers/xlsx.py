"""Excel workbook (XLSX): one sheet per table, headed by the columns' titles in the file's
language, and a last sheet with the column dictionary.

openpyxl's write-only mode streams each sheet to a temporary file, so memory stays flat however
many rows; a table longer than a sheet (1,048,576 rows) continues on sheets named `<table> (2)`,
`<table> (3)`… Text stays text: a value starting with "=" is typed as a string, never a formula
(`common.spreadsheet.xlsx_texts_as_text`). Moments are written in UTC."""

import datetime
from collections.abc import Iterable, Iterator

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from coalition.common.spreadsheet import xlsx_texts_as_text
from coalition.opendata.tables.columns import Table
from coalition.opendata.writers import CHUNK

TITLE = "Excel (XLSX)"
DESCRIPTION = gettext_lazy("One workbook: a sheet per table with column titles in the file's language, and a sheet "
                           "describing every column.")
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSION = "xlsx"

# Rows of a sheet below its header row.
SHEET_ROWS = 1_048_575


def _value(sheet, value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        xlsx_texts_as_text([cell])
        return cell
    return value


def _sheet_name(table: Table, part: int) -> str:
    return table.name[:31] if part == 1 else f"{table.name[:25]} ({part})"


def xlsx_write(*, tables: Iterable[tuple[Table, Iterable[tuple]]], stream, language: str,
               sheet_rows: int = SHEET_ROWS) -> Iterator[int]:
    """Write `tables` ((table, rows) pairs) as one workbook to `stream`; yields rows written."""
    workbook = Workbook(write_only=True)
    count = 0
    written = []
    with translation.override(language):
        for table, rows in tables:
            written.append(table)
            titles = [str(column.title) for column in table.columns]
            part, in_sheet, sheet = 0, sheet_rows, None
            for row in rows:
                if in_sheet == sheet_rows:
                    part, in_sheet = part + 1, 0
                    sheet = workbook.create_sheet(_sheet_name(table, part))
                    sheet.append([_value(sheet, title) for title in titles])
                sheet.append([_value(sheet, value) for value in row])
                in_sheet += 1
                count += 1
                if count % CHUNK == 0:
                    yield count
            if sheet is None:
                sheet = workbook.create_sheet(_sheet_name(table, 1))
                sheet.append([_value(sheet, title) for title in titles])
        dictionary = workbook.create_sheet(_("Dictionary")[:31])
        dictionary.append([_("Table"), _("Sheet column"), _("Column name"), _("Type"), _("Unit"), _("Required"),
                           _("Description"), _("Allowed values"), _("Example")])
        for table in written:
            for column in table.columns:
                allowed = "; ".join(f"{code} = {label}" for code, label in column.enum_labels(language))
                dictionary.append([_value(dictionary, value) for value in (
                    table.name, str(column.title), column.name, column.type, column.unit,
                    _("yes") if column.required else _("no"), str(column.description), allowed, column.example,
                )])
    workbook.save(stream)
    yield count
