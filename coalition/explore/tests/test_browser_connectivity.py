"""The connectivity pages in headless Chromium: the country profile, the comparison and the gap
view in English and French, checked with axe-core for serious or critical violations once their
charts and map are drawn; the profile's charts drawn and its tables readable without JavaScript;
the gap view's map drawn on request from world-atlas, and its filters used from the form."""

import pytest

from coalition.explore.tests.connectivity_fixtures import connectivity  # noqa: F401 (fixture)
from coalition.explore.tests.test_browser_public_pages import blocking_violations, charts_drawn, described, in_french

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATHS = {
    "profile": "/countries/KEN/connectivity/",
    "compare": "/countries/compare/?c=KEN&c=NPL&c=VUT",
    "gap": "/connectivity/gap/",
}


def open_the_map(page):
    page.get_by_text("Show the map").or_(page.get_by_text("Afficher la carte")).click()
    page.wait_for_function("() => document.querySelector('[data-chart=gap-map]').classList.contains('is-drawn')")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", list(PATHS))
def test_a_connectivity_page_has_no_serious_or_critical_accessibility_violation(page, connectivity, published, name, language):
    response = page.goto(PATHS[name])
    assert response.status == 200, f"{name}: HTTP {response.status}"
    if language == "fr":
        in_french(page)
    assert page.evaluate("document.documentElement.lang") == language
    if name == "profile":
        charts_drawn(page)
    if name == "gap":
        open_the_map(page)

    violations = blocking_violations(page)

    assert not violations, f"{name} ({language}):\n{described(violations)}"


def test_the_profile_draws_a_chart_per_indicator_with_values(page, connectivity, published):
    page.goto(PATHS["profile"])
    charts_drawn(page)

    charts = page.locator("[data-chart]")
    assert charts.count() == 2  # Internet use and 4G coverage have values in the fixture
    assert page.locator("[data-chart].is-drawn").count() == 2
    assert page.locator("[data-chart=internet-use] svg path").count() > 0
    # Once drawn, the table of numbers folds away under its summary.
    assert page.locator("#indicator-internet-use details.chart-data").get_attribute("open") is None


def test_the_profile_reads_without_javascript(chromium, live_server, connectivity, published):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(PATHS["profile"])

    table = page.locator("#indicator-internet-use details.chart-data")
    assert table.get_attribute("open") is not None
    assert table.locator("tbody tr").count() == 4
    assert page.get_by_text("32,500,000").count() >= 1
    context.close()


def test_the_gap_map_is_drawn_on_request_from_world_atlas(page, connectivity, published):
    atlas = []
    page.on("response", lambda r: atlas.append(r.status) if r.url.endswith("world-atlas/countries-50m.json") else None)
    page.goto(PATHS["gap"])
    page.wait_for_timeout(300)
    assert atlas == []  # nothing heavy until asked

    open_the_map(page)

    assert atlas == [200]
    assert page.locator("[data-chart=gap-map] svg path").count() >= 5


def test_the_gap_filters_work_from_the_form(page, connectivity, published):
    page.goto(PATHS["gap"])
    page.get_by_label("Country group").select_option("LDC")
    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**group=LDC**")

    rows = page.locator(".gap-table tbody th[scope=row]")
    assert rows.all_inner_texts() == ["Kenya", "Nepal"]
    assert page.get_by_role("link", name="Download the whole table (CSV)").get_attribute("href").endswith("group=LDC")
