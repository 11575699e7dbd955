"""Vega-Lite specs of the public charts, built in Python from the figures.

One function per kind of chart; each returns a plain dict (a Vega-Lite v6 spec with its data
inline, the map's borders excepted: world-atlas 50m, served from node_modules) that the server
draws to SVG for the page (`svg.chart_svg`) and the browser draws with vega-embed when a reader
asks for the interactive chart. Labels come in the active language; numbers stay raw so the
chart's own locale formats them. The tables beside the charts carry the same numbers.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _

from coalition.explore.breakdowns import Breakdown
from coalition.explore.connectivity.gap import GapRow
from coalition.explore.connectivity.profile import IndicatorProfile
from coalition.explore.figures import Event, MapRow, Month

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# The page's font stack (static/coalition/site.css), so the charts' text reads like the page's.
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif"
# The world's borders, 1:50m so that small island States have a shape.
ATLAS = "vendor/world-atlas/countries-50m.json"


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
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260, "labelSeparation": 6},
            "legend": {"labelFontSize": 12, "titleFontSize": 12},
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
                # Each campaign's marker links to its page. The address is absolute: the drawing made on
                # the server (vl-convert) would resolve a relative one against Vega's own data site.
                "data": {"values": [{"date": e.date.isoformat(), "event": e.name,
                                     "url": urljoin(settings.COALITION_SITE_URL, e.url) if e.url else ""}
                                    for e in events]},
                "mark": {"type": "rule", "color": EVENT_COLOUR, "strokeDash": [4, 3], "strokeWidth": 2, "tooltip": True,
                         "cursor": "pointer"},
                "encoding": {
                    "x": {"field": "date", "type": "temporal"},
                    "href": {"field": "url", "type": "nominal"},
                    "tooltip": [
                        {"field": "event", "type": "nominal", "title": _("Campaign or event")},
                        {"field": "date", "type": "temporal", "title": _("Date")},
                    ],
                },
            },
        ],
    })
    return spec


def campaign_progress_chart(months: list[Month], *, measure: str, goal, event_date, description: str) -> dict:
    """A campaign's cumulative published pledges (`measure` "pledges") or estimated value
    ("value_usd") by month of publication, its goal as a dashed rule when it has one, and the
    day its event opened as a dotted rule."""
    pledges = measure == "pledges"
    title = _("Published pledges (cumulative)") if pledges else _("Estimated value, US$ (cumulative)")
    number = "," if pledges else ",.0f"
    spec = _base(description)
    layers = [{
        "data": {"values": [
            {"month": m.month.isoformat(),
             "total": m.cumulative_pledges if pledges else float(m.cumulative_value_usd)} for m in months
        ]},
        "mark": {"type": "area", "line": {"color": LINE_COLOUR}, "color": "#cfe0f1", "interpolate": "step-after",
                 "tooltip": True},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "title": None, "timeUnit": "yearmonth"},
            "y": {"field": "total", "type": "quantitative", "title": title, "axis": {"format": "~s"}},
            "tooltip": [
                {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": _("Month")},
                {"field": "total", "type": "quantitative", "title": title, "format": number},
            ],
        },
    }]
    if goal:
        layers.append({
            "data": {"values": [{"goal": float(goal), "label": _("Goal")}]},
            "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [6, 4], "strokeWidth": 2, "tooltip": True},
            "encoding": {
                "y": {"field": "goal", "type": "quantitative"},
                "tooltip": [{"field": "label", "type": "nominal", "title": _("Target")},
                            {"field": "goal", "type": "quantitative", "title": title, "format": number}],
            },
        })
    if event_date is not None:
        layers.append({
            "data": {"values": [{"date": event_date.isoformat(), "label": _("Campaign opens")}]},
            "mark": {"type": "rule", "color": EVENT_COLOUR, "strokeDash": [2, 3], "tooltip": True},
            "encoding": {
                "x": {"field": "date", "type": "temporal"},
                "tooltip": [{"field": "label", "type": "nominal", "title": _("Campaign or event")},
                            {"field": "date", "type": "temporal", "title": _("Date")}],
            },
        })
    spec.update({"height": 200, "layer": layers})
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
        "url": static(ATLAS),
        "format": {"type": "topojson", "feature": "countries"},
    }
    lookup = {"lookup": "id", "from": {"data": {"values": values}, "key": "id",
                                        "fields": ["name", "pledges", "value_usd", "sids"]}}
    # A country no pledge names has no row: 0 keeps it on the map, in grey (Vega-Lite leaves out
    # a shape whose colour field is empty), with its name from the atlas.
    measure = {"calculate": "(measure == 'value_usd' ? datum.value_usd : datum.pledges) || 0", "as": "shown"}
    named = {"calculate": "datum.name || datum.properties.name", "as": "name"}
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
                "transform": [lookup, measure, named],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4, "tooltip": True},
                "encoding": {
                    "color": {
                        "condition": {"test": "datum.shown > 0", "field": "shown", "type": "quantitative",
                                      "scale": {"scheme": "blues", "type": "sqrt"}, "title": None,
                                      "legend": {"format": "~s"}},
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
                    "color": {"field": "shown", "type": "quantitative", "scale": {"scheme": "blues", "type": "sqrt"}},
                    "tooltip": tooltip,
                },
            },
        ],
    })
    return spec


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
    countries = {"url": static(ATLAS), "format": {"type": "topojson", "feature": "countries"}}
    lookup = {"lookup": "id", "from": {"data": {"values": values}, "key": "id",
                                        "fields": ["name", "offline", "online", "pledges", "per_person", "flag"]}}
    # A country not listed has no row: a colour field of 0 keeps it on the map, in grey (Vega-Lite
    # leaves out a shape whose colour field is empty), with its name from the atlas.
    shown = [{"calculate": "datum.offline || 0", "as": "shown"},
             {"calculate": "datum.name || datum.properties.name", "as": "name"}]
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
                "transform": [lookup, *shown],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4, "tooltip": True},
                "encoding": {
                    "color": {
                        "condition": {"test": "datum.offline != null", "field": "shown", "type": "quantitative",
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
