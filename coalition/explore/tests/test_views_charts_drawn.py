"""The public pages with charts arrive with their charts drawn (SVG in the HTML, a table of
numbers beside each) and load no Vega library on a first visit: the dashboard, a country's
connectivity profile and the gap view."""

import json

import lxml.html
import pytest
from django.urls import reverse

from coalition.explore.tests.connectivity_fixtures import connectivity  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def drawn_charts(response) -> dict:
    """Each chart on the page, by name: its drawings, the table that goes with it, the button."""
    assert response.status_code == 200
    html = lxml.html.fromstring(response.content)
    # Nothing heavy on a first visit: no script of the Vega libraries or the world's borders.
    sources = html.xpath("//script/@src")
    assert sources and not [src for src in sources if "vega" in src or "world-atlas" in src], sources
    assert not html.xpath("//link[contains(@href, 'vega') or contains(@href, 'world-atlas')]")
    specs = json.loads(html.get_element_by_id("chart-specs").text)
    charts = {}
    for drawing in html.xpath("//div[@class='chart__drawing']"):
        name = drawing.get("data-chart")
        section = drawing.xpath("ancestor::section[1]")[0]
        charts[name] = {
            "svgs": drawing.xpath("./*[local-name()='svg']"),
            "table": section.xpath(".//details[@class='chart-data']//table"),
            "button": section.xpath(f".//button[@data-interactive='{name}']"),
        }
    assert set(charts) == set(specs), "every spec is drawn, and nothing else"
    for name, chart in charts.items():
        wide, narrow = chart["svgs"]
        assert wide.get("class") == "chart-svg chart-svg--wide" and narrow.get("class") == "chart-svg chart-svg--narrow"
        assert int(wide.get("width")) > int(narrow.get("width"))
        for image in (wide, narrow):
            assert image.get("role") == "img" and image.get("aria-label"), name
            assert image.xpath("./*[local-name()='title']")[0].text == image.get("aria-label")
        assert chart["button"], f"{name}: no button for the interactive chart"
    return charts


def test_the_dashboard_arrives_with_every_chart_drawn_and_its_table(client, published):
    charts = drawn_charts(client.get(reverse("explore:dashboard")))

    assert {"growth", "map", "type", "focus-area"} <= set(charts)
    assert all(chart["table"] for chart in charts.values())
    # The map has a shape for every country of the atlas (grey where no pledge names it).
    assert len(charts["map"]["svgs"][0].xpath(".//*[local-name()='path'][@transform='scale(0.5)']")) > 200


def test_the_dashboard_in_french_draws_its_charts_in_french(client, published):
    charts = drawn_charts(client.get("/fr" + reverse("explore:dashboard")))

    labels = " ".join(charts["growth"]["svgs"][0].itertext())
    assert "Engagements" in labels  # the axis title, translated
    assert not any(month in labels for month in ("Jan ", "Apr ", "Oct "))


def test_the_connectivity_profile_arrives_with_its_indicator_charts_drawn(client, connectivity, published):
    charts = drawn_charts(client.get("/countries/KEN/connectivity/"))

    assert set(charts) == {"internet-use", "coverage-4g"}  # the indicators with values
    assert all(chart["table"] for chart in charts.values())


def test_the_gap_view_arrives_with_its_map_drawn(client, connectivity, published):
    charts = drawn_charts(client.get("/connectivity/gap/"))

    assert set(charts) == {"gap-map"}
    wide = charts["gap-map"]["svgs"][0]
    assert "Offline people" in " ".join(wide.itertext())  # the legend


def test_an_empty_registry_s_dashboard_still_draws_its_charts(client, countries):
    charts = drawn_charts(client.get(reverse("explore:dashboard")))

    assert {"growth", "map"} <= set(charts)
