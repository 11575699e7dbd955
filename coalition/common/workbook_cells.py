"""The number a person sees in a workbook cell, which is not always the number the cell stores.

A cell formatted as a percentage stores 0.3 and shows "30%": whoever typed it meant thirty
percent. Text cells ("Text" format, or pasted from elsewhere) hold numbers too, written the way
people write percentages: "30%", "30 %", "30,5 %" (French spreadsheets put a no-break space
before the sign and a decimal comma). `cell_number` reads both as the percentage shown, and
says it was one, so that each reader decides what a percentage means in the column at hand.

Both XLSX readers (offline progress reports and indicator files) read numbers through here.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_PERCENT_TEXT = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*%")
# What a number format shows as is: "quoted text", \x (one escaped character), [Red] or [$€-40C].
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass(frozen=True)
class CellNumber:
    value: Decimal
    percent: bool  # shown or written as a percentage: `value` is the number before the % sign


def is_percent_format(number_format: str | None) -> bool:
    """Whether a number format shows its number × 100 with a % sign ("0%", "0.00 %", "#,##0.0%").

    A % inside quotes or after a backslash is a literal character that scales nothing."""
    return "%" in _LITERALS.sub("", number_format or "")


def cell_number(cell) -> CellNumber | None:
    """The number shown in `cell` (an openpyxl cell, read-only or not), or None when it shows none.

    A percent-formatted number cell reads as its percentage (0.3 → 30), as does a text cell
    such as "30 %" or "30,5%"; other numbers and numeric text read as they are. Blank cells,
    booleans, dates, non-finite numbers and other text are not numbers.
    """
    value = getattr(cell, "value", None)
    if isinstance(value, bool) or isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return None
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        if not number.is_finite():
            return None
        if is_percent_format(getattr(cell, "number_format", None)):
            return CellNumber(number * 100, percent=True)
        return CellNumber(number, percent=False)
    return text_number(value) if isinstance(value, str) else None


def text_number(text: str) -> CellNumber | None:
    """The number written in `text`: "30 %", "30%" and "30,5 %" as percentages, "1250.5" or "-3" as
    they are; None for anything else (blank, words, non-finite numbers)."""
    text = text.strip()
    if match := _PERCENT_TEXT.fullmatch(text):
        return CellNumber(Decimal(match.group(1).replace(",", ".")), percent=True)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return CellNumber(number, percent=False) if number.is_finite() else None
