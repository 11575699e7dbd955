"""The connectivity pages in headless Chromium: the country profile, the comparison and the gap
view in English and French, checked with axe-core for serious or critical violations; the
profile's charts drawn on the server, and readable with their tables without JavaScript; the gap
view's map drawn on the server, its interactive version loaded from world-atlas only on request;
and the gap view's filters used from the form."""

import pytest

from coalition.explore.tests.connectivity_fixtures import connectivity  # noqa: F401 (fixture)
from coalition.explore.tests.test_browser_public_pages import blocking_violations, described, in_french, interactive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATHS = {
    "profile": "/countries/KEN/connectivity/",
    "compare": "/countries/compare/?c=KEN&c=NPL&c=VUT",
    "gap": "/connectivity/gap/",
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", list(PATHS))
def test_a_connectivity_page_has_no_serious_or_critical_accessibility_violation(page, connectivity, published, name, language):
    response = page.goto(PATHS[name])
    assert response.status == 200, f"{name}: HTTP {response.status}"
    if language == "fr":
        in_french(page)
    assert page.evaluate("document.documentElement.lang") == language

    violations = blocking_violations(page)

    assert not violations, f"{name} ({language}):\n{described(violations)}"


def test_the_profile_shows_a_chart_per_indicator_with_values_and_its_table_folded(page, connectivity, published):
    page.goto(PATHS["profile"])

    drawings = page.locator(".chart__drawing")
    assert drawings.count() == 2  # Internet use and 4G coverage have values in the fixture
    assert page.locator("[data-chart=internet-use] svg.chart-svg--wide:visible path").count() > 0
    # The table of numbers is folded under its summary, a press away.
    table = page.locator("#indicator-internet-use details.chart-data")
    assert table.get_attribute("open") is None
    table.locator("summary").click()
    assert table.locator("tbody tr").first.is_visible()


def test_the_profile_reads_without_javascript(chromium, live_server, connectivity, published):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(PATHS["profile"])

    chart = page.locator("[data-chart=internet-use] svg.chart-svg--wide")
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    assert chart.locator("text").all_text_contents()  # its axes, drawn on the server
    assert page.locator("[data-interactive]").first.is_hidden()  # no button that could not work
    table = page.locator("#indicator-internet-use details.chart-data")
    table.locator("summary").click()  # <details> opens without JavaScript
    assert table.locator("tbody tr").count() == 4
    assert table.locator("tbody tr").first.is_visible()
    assert page.get_by_text("32,500,000").count() >= 1
    context.close()


def test_the_gap_map_is_drawn_on_the_server_and_interactive_on_request(page, connectivity, published):
    atlas = []
    page.on("response", lambda r: atlas.append(r.status) if r.url.endswith("world-atlas/countries-50m.json") else None)
    page.goto(PATHS["gap"])
    page.wait_for_timeout(300)

    assert page.locator("[data-chart=gap-map] svg.chart-svg--wide:visible path").count() >= 5
    assert atlas == []  # nothing heavy until asked

    interactive(page, "gap-map")

    assert atlas == [200]
    assert page.locator("[data-chart=gap-map] .chart__canvas svg path").count() >= 5


def test_the_gap_filters_work_from_the_form(page, connectivity, published):
    page.goto(PATHS["gap"])
    page.get_by_label("Country group").select_option("LDC")
    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**group=LDC**")

    rows = page.locator(".gap-table tbody th[scope=row]")
    assert rows.all_inner_texts() == ["Kenya", "Nepal"]
    assert page.get_by_role("link", name="Download the whole table (CSV)").get_attribute("href").endswith("group=LDC")
