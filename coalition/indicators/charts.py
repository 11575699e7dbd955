"""Vega-Lite specs of the connectivity pages, built in Python like the dashboard's
(`pledges/charts.py`): a small line chart per indicator with its 2030 target, and the gap map.

Each returns a plain dict with its data inline (the map's borders excepted: world-atlas 50m,
served from node_modules), drawn by vega-embed in the browser; the tables beside them carry
the same numbers for readers without JavaScript.
"""

from django.templatetags.static import static
from django.utils.translation import gettext as _

from coalition.pledges.charts import LINE_COLOUR, _base

from .gap import GapRow
from .profile import IndicatorProfile

TARGET_COLOUR = "#8a4b00"
FLAG_COLOUR = "#8e1b1b"


def indicator_chart(row: IndicatorProfile) -> dict:
    """The country's values of one indicator by year (a line with points, estimates hollow),
    the 2030 target as a dashed rule, and the projected 2030 value as a lone dotted point."""
    indicator = row.indicator
    name = indicator.short_name
    values = [{"year": value.year, "value": value.value, "source": value.source, "edition": value.edition}
              for value in row.values]
    years = [value.year for value in row.values] + [row.target.year]
    spec = _base(_("%(indicator)s by year, with the %(year)s target") % {"indicator": name, "year": row.target.year})
    y_scale = {"zero": True}
    if indicator.unit == "percent" and indicator.direction == "increase":
        y_scale = {"domain": [0, 100]}
    x = {"field": "year", "type": "quantitative", "title": None,
         "scale": {"domain": [min(years), max(years)]}, "axis": {"format": "d", "tickMinStep": 1, "labelFlush": True}}
    layers = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "color": LINE_COLOUR, "point": {"filled": True, "size": 30}, "tooltip": True},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative", "title": None, "scale": y_scale},
                "tooltip": [
                    {"field": "year", "type": "quantitative", "title": _("Year"), "format": "d"},
                    {"field": "value", "type": "quantitative", "title": name, "format": f",.{indicator.decimals}f"},
                    {"field": "source", "type": "nominal", "title": _("Source")},
                    {"field": "edition", "type": "nominal", "title": _("Edition")},
                ],
            },
        },
        {
            "data": {"values": [{"target": row.target.value, "label": _("Target %(year)s") % {"year": row.target.year}}]},
            "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [5, 4], "strokeWidth": 2, "tooltip": True},
            "encoding": {
                "y": {"field": "target", "type": "quantitative"},
                "tooltip": [{"field": "label", "type": "nominal", "title": _("Target")},
                            {"field": "target", "type": "quantitative", "title": name}],
            },
        },
    ]
    if row.progress.projected is not None and row.values:
        last = row.values[-1]
        layers.append({
            "data": {"values": [{"year": last.year, "value": last.value}, {"year": row.target.year, "value": row.progress.projected}]},
            "mark": {"type": "line", "color": LINE_COLOUR, "strokeDash": [2, 3], "point": {"filled": False, "size": 30},
                     "tooltip": True},
            "encoding": {
                "x": x, "y": {"field": "value", "type": "quantitative"},
                "tooltip": [{"field": "year", "type": "quantitative", "title": _("Projected"), "format": "d"},
                            {"field": "value", "type": "quantitative", "title": name, "format": f",.{indicator.decimals}f"}],
            },
        })
    spec.update({"height": 140, "layer": layers})
    return spec


def gap_map(rows: list[GapRow]) -> dict:
    """Offline people per country (world-atlas 50m joined on ISO numeric codes, square-root
    colour scale); flagged countries get a dark ring at their centre so the flag is not carried
    by colour alone."""
    values = [
        {"id": row.country.numeric, "name": row.country.name, "offline": round(row.offline.offline),
         "online": round(row.offline.share_online, 1), "pledges": row.pledges,
         "per_person": float(row.usd_per_offline) if row.usd_per_offline is not None else None,
         "flag": _("large gap, little pledged") if row.flagged else ""}
        for row in rows
    ]
    countries = {"url": static("vendor/world-atlas/countries-50m.json"), "format": {"type": "topojson", "feature": "countries"}}
    lookup = {"lookup": "id", "from": {"data": {"values": values}, "key": "id",
                                        "fields": ["name", "offline", "online", "pledges", "per_person", "flag"]}}
    tooltip = [
        {"field": "name", "type": "nominal", "title": _("Country")},
        {"field": "offline", "type": "quantitative", "title": _("Offline people"), "format": ",.0f"},
        {"field": "online", "type": "quantitative", "title": _("Internet use (%)"), "format": ",.1f"},
        {"field": "pledges", "type": "quantitative", "title": _("Pledges"), "format": ","},
        {"field": "per_person", "type": "quantitative", "title": _("US$ per offline person"), "format": ",.2f"},
        {"field": "flag", "type": "nominal", "title": _("Flag")},
    ]
    spec = _base(_("World map of offline people per country, countries with a large gap and little pledged ringed"))
    spec.update({
        "height": 400,
        "projection": {"type": "equalEarth"},
        "layer": [
            {
                "data": countries,
                "transform": [lookup],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4, "tooltip": True},
                "encoding": {
                    "color": {
                        "condition": {"test": "datum.offline != null", "field": "offline", "type": "quantitative",
                                      "scale": {"scheme": "oranges", "type": "sqrt"},
                                      "title": _("Offline people"), "legend": {"format": "~s"}},
                        "value": "#e4e4e4",
                    },
                    "tooltip": tooltip,
                },
            },
            {
                "data": countries,
                "transform": [lookup, {"filter": "datum.flag"},
                              {"calculate": "geoCentroid(null, datum)", "as": "centre"},
                              {"calculate": "datum.centre[0]", "as": "longitude"},
                              {"calculate": "datum.centre[1]", "as": "latitude"}],
                "mark": {"type": "circle", "stroke": FLAG_COLOUR, "strokeWidth": 2.5, "fillOpacity": 0, "tooltip": True},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "size": {"value": 90},
                    "tooltip": tooltip,
                },
            },
        ],
    })
    return spec
