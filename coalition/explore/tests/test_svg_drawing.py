"""The charts drawn to SVG on the server (coalition/explore/svg.py): one accessible image in the
page's font, kept in the cache under its spec, in the reader's language, and the world map drawn
from the bundled atlas without the network, light, with every island still there."""

import gzip
import json
import re
from types import SimpleNamespace

import pytest
import vl_convert
from django.utils import translation

from coalition.explore import charts, svg

BARS = {
    "$schema": charts.SCHEMA, "description": "Pledges by type", "width": "container", "height": {"step": 22},
    "config": {"font": charts.FONT, "axis": {"labelFontSize": 12, "titleFontSize": 12}},
    "data": {"values": [{"category": "Programmatic", "pledges": 3400}, {"category": "Financial", "pledges": 1200}]},
    "mark": "bar",
    "encoding": {
        "y": {"field": "category", "type": "nominal", "sort": None, "title": None},
        "x": {"field": "pledges", "type": "quantitative", "title": "Pledges"},
    },
}
MONTHS = {
    "description": "Pledges by month", "width": "container", "height": 120,
    "data": {"values": [{"month": f"2024-{m:02d}-01", "pledges": m * 800} for m in range(1, 13)]},
    "mark": "line",
    "encoding": {"x": {"field": "month", "type": "temporal"}, "y": {"field": "pledges", "type": "quantitative"}},
}
# Fiji, Tonga and Nauru (small island developing States), Kenya and France, as the map's rows.
MAP_ROWS = [
    SimpleNamespace(iso3="KEN", numeric="404", name="Kenya", pledges=12, value_usd=1_000_000),
    SimpleNamespace(iso3="FRA", numeric="250", name="France", pledges=3, value_usd=0),
    SimpleNamespace(iso3="FJI", numeric="242", name="Fiji", pledges=2, value_usd=50_000),
    SimpleNamespace(iso3="TON", numeric="776", name="Tonga", pledges=1, value_usd=10_000),
    SimpleNamespace(iso3="NRU", numeric="520", name="Nauru", pledges=1, value_usd=0),
]


@pytest.fixture
def drawn(monkeypatch):
    """Every call to vl-convert, with its arguments."""
    calls = []
    draw = vl_convert.vegalite_to_svg

    def counted(spec, **options):
        calls.append({"spec": spec, **options})
        return draw(spec, **options)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counted)
    return calls


def test_a_chart_is_one_accessible_image_in_the_page_s_font():
    image = svg.chart_svg(BARS, width=400)

    root = re.match(r"<svg [^>]*>", image).group()
    assert 'class="chart-svg"' in root and 'width="400"' in root and 'viewBox="0 0 400 ' in root
    assert 'role="img"' in root and 'aria-label="Pledges by type"' in root
    assert "<title>Pledges by type</title><desc>" in image
    # Inside the image nothing claims a role of its own, runs or fetches anything.
    assert "role=" not in image[len(root):] and "<script" not in image
    assert not re.search(r'(?:href|src)="(?!#)', image)
    # The page's fonts, at the size the spec asks for (measured larger, written as asked).
    assert set(re.findall(r'font-family="([^"]*)"', image)) == {charts.FONT}
    assert 'font-size="12px"' in image
    assert ">Programmatic<" in image and ">Financial<" in image


def test_a_drawing_is_kept_in_the_cache_until_its_spec_or_language_changes(drawn):
    first = svg.chart_svg(BARS, width=400)
    assert svg.chart_svg(BARS, width=400) == first
    assert len(drawn) == 1

    svg.chart_svg({**BARS, "data": {"values": [{"category": "Policy", "pledges": 5}]}}, width=400)
    svg.chart_svg(BARS, width=340)
    with translation.override("fr"):
        svg.chart_svg(BARS, width=400)
    assert len(drawn) == 4


def test_several_drawings_are_read_and_drawn_together(drawn):
    found = svg.drawings({"bars": BARS, "months": MONTHS}, svg.HALF)

    assert set(found) == {"bars", "months"}
    assert 'class="chart-svg chart-svg--wide" width="512"' in found["bars"].wide
    assert 'class="chart-svg chart-svg--narrow" width="340"' in found["bars"].narrow
    assert found["bars"].title == "Pledges by type"
    assert found["bars"].interactive_kb > 100  # the Vega libraries, compressed
    assert len(drawn) == 4
    svg.drawings({"bars": BARS, "months": MONTHS}, svg.HALF)
    assert len(drawn) == 4


def test_the_french_drawing_writes_months_and_numbers_in_french():
    with translation.override("fr"):
        image = svg.chart_svg(MONTHS, width=600)

    labels = re.findall(r">([^<>]+)</text>", image)
    assert any(re.match(r"(janv|févr|avr|juil|sept|oct|déc)", label) for label in labels), labels
    assert "5\u202f000" in labels and "10\u202f000" in labels, labels
    english = re.findall(r">([^<>]+)</text>", svg.chart_svg(MONTHS, width=600))
    assert "5,000" in english and "10,000" in english, english


def test_the_world_map_is_drawn_from_the_bundled_atlas_without_the_network(drawn):
    spec = charts.world_map(MAP_ROWS, small_islands={"FJI", "TON", "NRU"})

    image = svg.chart_svg(spec, width=1056)

    (call,) = drawn
    assert call["allowed_base_urls"] == []
    assert '"url"' not in json.dumps(call["spec"])  # the borders inline, nothing to fetch
    assert call["spec"]["layer"][0]["data"]["values"]["type"] == "Topology"
    # A shape per country of the atlas (in grey where no pledge names it), written in half pixels
    # relative to the point before...
    shapes = re.findall(r'<path transform="scale\(0\.5\)" d="M[^"]*" fill="([^"]*)"', image)
    assert len(shapes) == len(svg._atlas_file()["objects"]["countries"]["geometries"])
    assert len([fill for fill in shapes if fill != "#e4e4e4"]) == len(MAP_ROWS)
    # ... and a dot on each small island State with pledges, so that it can be seen.
    assert len(re.findall(r'd="M[\d.]+,0A', image)) == 3
    # Light enough for a slow link: the 1:50m borders are 230 KB compressed.
    assert len(gzip.compress(image.encode())) < 45_000


@pytest.mark.parametrize("width", [svg.FULL.wide, svg.FULL.narrow])
def test_simplified_borders_keep_every_ring_the_right_way_round_and_every_island(width):
    original = svg._atlas_file()
    simplified = svg._atlas(round(svg.MAP_TOLERANCE_PX * 360 / width, 4))
    before = [svg._decoded(arc) for arc in original["arcs"]]
    after = [svg._decoded(arc) for arc in simplified["arcs"]]

    assert sum(map(len, after)) < sum(map(len, before)) / 3
    # Neighbours still share their borders: the arcs keep their ends.
    assert all(a[0] == b[0] and a[-1] == b[-1] for a, b in zip(before, after, strict=True))
    for geometry in original["objects"]["countries"]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        for ring in (ring for polygon in polygons for ring in polygon):
            area = svg._ring_area(before, ring)
            if area:  # rings along a pole have none, and are kept whole
                assert svg._ring_area(after, ring) * area > 0, (geometry["properties"]["name"], ring)
    islands = [i for i, arc in enumerate(before) if arc[0] == arc[-1] and len(arc) >= 4]
    assert islands and all(len(after[i]) >= 4 for i in islands)


def test_text_from_the_registry_is_written_as_text_never_as_markup():
    hostile = '<script>alert("x")</script> & <b>'
    spec = {**BARS, "description": f"Pledges {hostile}",
            "data": {"values": [{"category": hostile, "pledges": 1}, {"category": "Financial", "pledges": 2}]}}

    image = svg.chart_svg(spec, width=600)

    assert "<script" not in image and "<b>" not in image
    assert "&lt;script&gt;" in image and "&amp;" in image
