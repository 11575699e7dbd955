"""Numbers, money and shares written the way the reader's language writes them (CLDR, via Babel).

Templates use the filters in `templatetags/coalition_format.py`; charts and CSV files keep raw
numbers and let the reader's software format them.
"""

from decimal import Decimal

from babel import Locale
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent
from django.utils.translation import get_language


def _locale() -> str:
    return (get_language() or "en").split("-")[0]


def number(value, digits: int = 0) -> str:
    """1,234,567 in English, 1 234 567 in French; "—" for no value."""
    if value is None or value == "":
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale=_locale())


def usd(value, *, compact: bool = True) -> str:
    """US dollars: "$12.3M" / "12,3 M $US" when compact (for figures), whole dollars otherwise."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    locale = _locale()
    if compact and abs(value) >= 1_000_000:
        return format_compact_currency(value, "USD", locale=locale, fraction_digits=1)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace("#,##0.00", "#,##0")
    return format_currency(value.quantize(Decimal(1)), "USD", format=pattern, currency_digits=False, locale=locale)


def share(value, digits: int = 1) -> str:
    """A share between 0 and 1 as a percentage: "42.3%" / "42,3 %"; "—" for no value."""
    if value is None or value == "":
        return "—"
    pattern = Locale.parse(_locale()).percent_formats[None].pattern
    fraction = "." + "0" * digits if digits else ""
    return format_percent(Decimal(str(value)), format=pattern.replace("#,##0", "#,##0" + fraction, 1), locale=_locale())


def meter(value) -> str:
    """A share between 0 and 1 as the width of a bar in percent, kept within 0 and 100 and written
    with a dot whatever the language (it goes into an SVG length): "42.3"; "0" for no value."""
    if value is None or value == "":
        return "0"
    width = min(max(Decimal(str(value)) * 100, Decimal(0)), Decimal(100))
    return f"{width:.1f}"


def amounts(pairs) -> str:
    """Amounts in their own currencies, [(code, amount)]: "KES 2,000,000; XOF 5,000,000"."""
    return "; ".join(f"{code}\u00a0{number(amount)}" for code, amount in pairs)
