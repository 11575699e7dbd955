"""`{{ value|indicator_value:indicator }}`: an indicator's value in its unit, the reader's way."""

from django import template

from coalition.common import formatting

register = template.Library()


@register.filter
def indicator_value(value, indicator) -> str:
    """45.2% / 45,2 % for a percentage, 12.3 per 100, $1,230 for dollars, "—" for no value."""
    if value is None or value == "":
        return "—"
    unit, digits = indicator.unit, indicator.decimals
    if unit == "percent":
        return formatting.share(value / 100, digits)
    if unit == "usd":
        return formatting.usd(value)
    return formatting.number(round(value, digits), digits)


@register.filter
def percent(value, digits=1) -> str:
    """A percentage between 0 and 100 (not a share between 0 and 1): 45.2% / 45,2 %."""
    if value is None or value == "":
        return "—"
    return formatting.share(value / 100, int(digits))


@register.filter
def usd_cents(value) -> str:
    """US dollars with cents, for small amounts such as dollars per person: $0.42 / 0,42 $US."""
    if value is None or value == "":
        return "—"
    from babel.numbers import format_currency

    return format_currency(value, "USD", locale=formatting._locale())
