"""How a report's raw values read, in the active language: one function for both renderers.

Numbers go through `common.formatting` (CLDR via Babel: "1,234" / "1 234", "$12.3M" / "12,3 M $US");
dates are written the way the language writes them ("6 December 2026" / "6 décembre 2026").
"""

import datetime
import functools
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coalition.common import formatting
from coalition.reports.document import Figure, Report, report_sources


def cell(value, unit: str, *, compact: bool = False) -> str:
    """One raw value in its unit ("count", "usd", "share", "percent", "number", "text"); "—" for
    none. A "number" keeps the decimals its Decimal carries (builders round indicator values to
    the indicator's own); `compact` writes large dollars short, as key figures do. Remembered
    per language: a report's tables repeat the same counts and dates many times over."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and unit == "text":
        return value
    # Decimal("1.50") equals Decimal("1.5"): the key holds the value as written, too.
    return _cell(get_language(), (type(value), str(value)), value, unit, compact)


@functools.lru_cache(maxsize=50_000)
def _cell(_language: str, _key: tuple, value, unit: str, compact: bool) -> str:
    if unit == "count":
        return formatting.number(value)
    if unit == "usd":
        return formatting.usd(value, compact=compact)
    if unit == "share":
        return formatting.share(value)
    if unit == "percent":
        return formatting.share(Decimal(str(value)) / 100, digits=_decimals(value))
    if unit == "number":
        return formatting.number(value, _decimals(value))
    if isinstance(value, datetime.date):
        return date_text(value)
    return str(value)


def _decimals(value) -> int:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0
    if isinstance(value, float):
        return 1
    return 0


def date_text(day: datetime.date | None) -> str:
    """A date as the active language writes it in full."""
    return _date_text(get_language(), day) if day else ""


@functools.lru_cache(maxsize=4096)
def _date_text(_language: str, day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def figure_comparison(figure: Figure) -> str:
    """"A year earlier (6 December 2025): 1,234 (+12.0%)", or "" when there is nothing to compare."""
    if figure.previous is None or figure.previous_as_of is None:
        return ""
    text = _("%(date)s: %(value)s") % {
        "date": date_text(figure.previous_as_of), "value": cell(figure.previous, figure.unit, compact=True),
    }
    if figure.unit in ("count", "usd", "number") and figure.previous and figure.value is not None:
        change = (Decimal(str(figure.value)) - Decimal(str(figure.previous))) / Decimal(str(figure.previous))
        sign = "+" if change > 0 else ""
        text += f" ({sign}{formatting.share(change)})"
    return text


def source_numbers(report: Report) -> dict[str, int]:
    """Each source's footnote number, in the order the report lists them (`report_sources`)."""
    return {source.key: number for number, source in enumerate(report_sources(report), start=1)}
