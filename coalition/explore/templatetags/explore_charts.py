"""The charts drawn on the server (`svg.drawings`), placed in a page by name, with the button that
swaps one for its interactive version (static/coalition/charts.js)."""

from django import template
from django.templatetags.static import static

from coalition.explore import svg

register = template.Library()


@register.inclusion_tag("explore/_chart.html", takes_context=True)
def chart(context, name: str):
    """`{% chart "growth" %}`: the drawing named `name` in the context's `drawings`."""
    return {"name": name, "drawing": context.get("drawings", {}).get(name)}


@register.simple_tag
def vega_scripts() -> str:
    """The Vega libraries' addresses, space-separated, for charts.js to load on request."""
    return " ".join(static(name) for name in svg.VEGA_SCRIPTS)
