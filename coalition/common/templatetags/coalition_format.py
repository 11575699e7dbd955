"""Template filters for locale-aware figures: {{ value|number }}, {{ value|usd }}, {{ value|share }}, {{ value|meter }},
{{ pairs|amounts }}."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from coalition.common import formatting

register = template.Library()


@register.filter
def number(value, digits=0):
    return formatting.number(value, int(digits))


@register.filter
def usd(value):
    return formatting.usd(value)


@register.filter
def usd_exact(value):
    return formatting.usd(value, compact=False)


@register.filter
def share(value, digits=1):
    return formatting.share(value, int(digits))


@register.filter
def meter(value):
    return formatting.meter(value)


@register.filter
def amounts(pairs):
    return formatting.amounts(pairs)


@register.simple_tag
def usd_converted(value, provisional=False):
    """A stated amount's US dollars as pages show them: "≈ $1,234", marked "(provisional rate)"
    when its year's rate was a year-to-date average, or "USD pending a rate" while none is stored."""
    if value is None or value == "":
        return format_html('<span class="money-pending">{}</span>', gettext("USD pending a rate"))
    shown = formatting.usd(value, compact=False)
    if provisional:
        return format_html('≈ {} <span class="hint">({})</span>', shown, gettext("provisional rate"))
    return format_html("≈ {}", shown)
