"""Vega-Lite specs of the public charts, built in Python from the figures.

One function per kind of chart; each returns a plain dict (a Vega-Lite v6 spec with its data
inline) that the browser draws with vega-embed and a server can render to SVG. Labels come in
the active language; numbers stay raw so the chart's own locale formats them.
"""

from django.templatetags.static import static
from django.utils.translation import gettext as _

from .figures import Breakdown, Event, MapRow, Month

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Colour-blind-safe blues; meaning is also carried by bar length, labels and the data tables.
BAR_COLOUR = "#1f5f99"
LINE_COLOUR = "#1f5f99"
EVENT_COLOUR = "#8a4b00"


def _base(description: str) -> dict:
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "config": {
            "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
            "view": {"stroke": None},
        },
    }


def breakdown_chart(breakdown: Breakdown) -> dict:
    """Horizontal bars: pledges per category, the value in US dollars in the tooltip."""
    spec = _base(breakdown.title)
    spec.update({
        "height": {"step": 22},
        "data": {"values": [
            {"category": row.label, "pledges": row.pledges, "value_usd": float(row.value_usd)} for row in breakdown.rows
        ]},
        "mark": {"type": "bar", "color": BAR_COLOUR, "tooltip": True},
        "encoding": {
            "y": {"field": "category", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 170}},
            "x": {"field": "pledges", "type": "quantitative", "title": _("Pledges")},
            "tooltip": [
                {"field": "category", "type": "nominal", "title": breakdown.category},
                {"field": "pledges", "type": "quantitative", "title": _("Pledges"), "format": ","},
                {"field": "value_usd", "type": "quantitative", "title": _("Estimated value (US$)"), "format": ",.0f"},
            ],
        },
    })
    return spec


def growth_chart(months: list[Month], events: list[Event]) -> dict:
    """Cumulative published pledges by month, with the campaigns and events marked as rules."""
    spec = _base(_("Cumulative published pledges by month of publication, with campaigns and events"))
    spec.update({
        "height": 260,
        "layer": [
            {
                "data": {"values": [
                    {"month": m.month.isoformat(), "pledges": m.cumulative_pledges,
                     "value_usd": float(m.cumulative_value_usd), "published": m.published}
                    for m in months
                ]},
                "mark": {"type": "area", "line": {"color": LINE_COLOUR}, "color": "#cfe0f1", "tooltip": True},
                "encoding": {
                    "x": {"field": "month", "type": "temporal", "title": None, "timeUnit": "yearmonth"},
                    "y": {"field": "pledges", "type": "quantitative", "title": _("Published pledges (cumulative)")},
                    "tooltip": [
                        {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": _("Month")},
                        {"field": "pledges", "type": "quantitative", "title": _("Pledges"), "format": ","},
                        {"field": "published", "type": "quantitative", "title": _("Published that month"), "format": ","},
                        {"field": "value_usd", "type": "quantitative", "title": _("Estimated value (US$)"), "format": ",.0f"},
                    ],
                },
            },
            {
                "data": {"values": [{"date": e.date.isoformat(), "event": e.name} for e in events]},
                "mark": {"type": "rule", "color": EVENT_COLOUR, "strokeDash": [4, 3], "tooltip": True},
                "encoding": {
                    "x": {"field": "date", "type": "temporal"},
                    "tooltip": [
                        {"field": "event", "type": "nominal", "title": _("Campaign or event")},
                        {"field": "date", "type": "temporal", "title": _("Date")},
                    ],
                },
            },
        ],
    })
    return spec


def world_map(rows: list[MapRow], *, small_islands: set[str]) -> dict:
    """Choropleth of pledges per beneficiary country (world-atlas 50m, joined on ISO numeric
    codes), a switch between count and value, and a dot on each small island state so that
    it can be seen and pointed at."""
    values = [
        {"id": row.numeric, "name": row.name, "pledges": row.pledges, "value_usd": float(row.value_usd),
         "sids": row.iso3 in small_islands}
        for row in rows
    ]
    countries = {
        "url": static("vendor/world-atlas/countries-50m.json"),
        "format": {"type": "topojson", "feature": "countries"},
    }
    lookup = {"lookup": "id", "from": {"data": {"values": values}, "key": "id",
                                        "fields": ["name", "pledges", "value_usd", "sids"]}}
    measure = {"calculate": "measure == 'value_usd' ? datum.value_usd : datum.pledges", "as": "shown"}
    tooltip = [
        {"field": "name", "type": "nominal", "title": _("Country")},
        {"field": "pledges", "type": "quantitative", "title": _("Pledges"), "format": ","},
        {"field": "value_usd", "type": "quantitative", "title": _("Estimated value (US$)"), "format": ",.0f"},
    ]
    spec = _base(_("World map of published pledges per beneficiary country"))
    spec.update({
        "height": 420,
        "projection": {"type": "equalEarth"},
        "params": [{
            "name": "measure", "value": "pledges",
            "bind": {"input": "radio", "options": ["pledges", "value_usd"],
                     "labels": [_("Number of pledges"), _("Estimated value (US$)")], "name": _("Show") + " "},
        }],
        "layer": [
            {
                "data": countries,
                "transform": [lookup, measure],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4, "tooltip": True},
                "encoding": {
                    "color": {
                        "condition": {"test": "datum.shown > 0", "field": "shown", "type": "quantitative",
                                      "scale": {"scheme": "blues", "type": "sqrt"}, "title": None},
                        "value": "#e4e4e4",
                    },
                    "tooltip": tooltip,
                },
            },
            {
                "data": countries,
                "transform": [lookup, measure, {"filter": "datum.sids && datum.shown > 0"},
                              {"calculate": "geoCentroid(null, datum)", "as": "centre"},
                              {"calculate": "datum.centre[0]", "as": "longitude"},
                              {"calculate": "datum.centre[1]", "as": "latitude"}],
                "mark": {"type": "circle", "stroke": "#0b2e52", "strokeWidth": 0.8, "opacity": 0.9, "tooltip": True},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "size": {"value": 40},
                    "color": {"field": "shown", "type": "quantitative", "scale": {"scheme": "blues", "type": "sqrt"},
                              "legend": None},
                    "tooltip": tooltip,
                },
            },
        ],
    })
    return spec
