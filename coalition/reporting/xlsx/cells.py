"""The cells of an uploaded template read as people write them, as the values the services take.

Each reader takes one cell (None past the end of a short row) and returns its value, or raises
`Unreadable` with what is wrong, so that the upload names that cell and goes on to the next one.
Whether a value is acceptable (a share up to 100, a known currency, a year in range) is left to
`report_clean`: here only what the cell means is decided.
"""

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from coalition.common.i18n import choice_code, fold
from coalition.common.workbook_cells import CellNumber, cell_number
from coalition.reporting.models import ImplementationStatus

# Target units that are themselves percentages: "%", "% of schools", "percent", "pourcentage"…
_PERCENT_UNIT = re.compile(r"^%|\bper ?cent|\bpour ?cent")


class Unreadable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


def _value(cell):
    value = getattr(cell, "value", None)
    return value.strip() if isinstance(value, str) else value


def _blank(value) -> bool:
    return value in (None, "")


def _shown(cell, number: CellNumber | None) -> str:
    """The cell as the person sees it, for messages: a percent cell shows its percentage."""
    if number is not None and number.percent:
        return f"{number.value.normalize():f} %"
    return str(_value(cell))[:40]


def _number(cell) -> CellNumber | None:
    if _blank(_value(cell)):
        return None
    number = cell_number(cell)
    if number is None:
        raise Unreadable(_("“%(value)s” is not a number.") % {"value": _shown(cell, None)})
    return number


def as_text(cell) -> str:
    value = _value(cell)
    return "" if value is None else str(value)


def as_date(cell) -> datetime.date | None:
    value = _value(cell)
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise Unreadable(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": str(value)[:40]}) from None


def as_status(cell, codes: dict[str, str]) -> str:
    """A code, or its label in any interface language (see `common.i18n.choice_codes`)."""
    value = _value(cell)
    if _blank(value):
        return ""
    code = choice_code(codes, value)
    if code is None:
        raise Unreadable(_("“%(value)s” is not an implementation status. Use one of: %(choices)s.") % {
            "value": str(value)[:40],
            "choices": ", ".join(f"{code} ({label})" for code, label in ImplementationStatus.choices)})
    return code


def as_share(cell) -> Decimal | None:
    """A percentage from 0 to 100: 40, a cell formatted as 40 %, or the text "40 %" all read 40."""
    number = _number(cell)
    return None if number is None else number.value


def as_amount(cell) -> Decimal | None:
    number = _number(cell)
    if number is not None and number.percent:
        raise Unreadable(_("“%(value)s” is a percentage; give the amount of money itself.")
                         % {"value": _shown(cell, number)})
    return None if number is None else number.value


def as_year(cell) -> int | None:
    value = _value(cell)
    if _blank(value):
        return None
    number = cell_number(cell)
    if number is None or number.percent or number.value != number.value.to_integral_value():
        raise Unreadable(_("“%(value)s” is not a year.") % {"value": _shown(cell, number)})
    return int(number.value)


def as_actual(cell, unit: str | None) -> Decimal | None:
    """A number in the target's unit; a percentage only when that unit is one (`unit` None: not known)."""
    number = _number(cell)
    if number is not None and number.percent and unit is not None and not _PERCENT_UNIT.search(fold(unit)):
        raise Unreadable(_("“%(value)s” is a percentage, but this target is counted in “%(unit)s”: give the "
                           "number in that unit.") % {"value": _shown(cell, number), "unit": unit})
    return None if number is None else number.value
