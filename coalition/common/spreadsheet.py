"""User text in the spreadsheets and CSV files the platform writes stays text.

A title such as `=HYPERLINK("http://evil.example", "Click")` must not become a live formula
when a reviewer opens a download in a spreadsheet program (OWASP "CSV injection"). XLSX cells
holding text are typed as strings; CSV cells starting with = + - @, a tab or a carriage
return get a leading apostrophe, which spreadsheet programs show as text and do not compute.
Numbers written as text ("-12.50") are left as they are.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def csv_cell(value):
    """`value` safe to put in a CSV cell."""
    if isinstance(value, str) and value.startswith(_TRIGGERS) and not _is_number(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer whose rows go through `csv_cell`."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_texts_as_text(cells: Iterable) -> None:
    """Type every text cell of `cells` (openpyxl cells) as a string, formula-looking or not.

    openpyxl types a value starting with "=" as a formula; written back as a string it is
    shown as typed and read back as the same text.
    """
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
