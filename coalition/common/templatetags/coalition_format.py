"""Template filters for locale-aware figures: {{ value|number }}, {{ value|usd }}, {{ value|share }}, {{ value|meter }}."""

from django import template

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
