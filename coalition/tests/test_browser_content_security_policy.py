"""The pages at work under the site's Content-Security-Policy, in headless Chromium: the
dashboard's interactive charts, their tooltips and the world map (Vega without eval), the explorer filtered
through htmx, and the admin (a nonce for its inline styles, a hash for django-simple-history's one
style attribute). The `page` fixture fails any test whose pages the policy blocked anything on."""

import pytest

from coalition.explore.tests.test_browser_public_pages import interactive, registry  # noqa: F401 (fixture)
from coalition.tests.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_draws_its_charts_tooltips_and_map_under_the_policy(page, registry):
    response = page.goto("/dashboard/")
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]
    interactive(page, "map")
    interactive(page, "type")

    assert page.locator(".chart__failed").count() == 0
    assert page.locator("[data-chart=map] .chart__canvas svg path").count() >= 5
    page.locator("[data-chart=type] .chart__canvas g.mark-rect path").first.hover()
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for()
    # The tooltip's styles come from charts.css, not from a <style> vega-tooltip would inject.
    assert tooltip.evaluate("el => getComputedStyle(el).position") == "fixed"
    assert page.locator("style#vega-tooltip-style, style#vega-embed-style").count() == 0


def test_the_dashboard_meter_is_drawn_without_a_style_attribute(page, registry):
    page.goto("/dashboard/")

    share, drawn = page.locator("svg.meter").evaluate("""svg => [
        parseFloat(svg.querySelector('rect').getAttribute('width')),
        100 * svg.querySelector('rect').getBoundingClientRect().width / svg.getBoundingClientRect().width,
    ]""")

    assert 0 < share < 100
    assert drawn == pytest.approx(share, abs=0.5)


def test_the_explorer_filters_through_htmx_under_the_policy(page, registry):
    htmx_requests = []
    page.on("request", lambda request: htmx_requests.append(request.url)
            if request.headers.get("hx-request") == "true" else None)
    page.goto("/pledges/")
    assert page.locator(".results .result__title").count() == 5

    page.locator("#f-type-financial").check()

    page.wait_for_function("() => document.querySelectorAll('.results .result__title').length === 1")
    assert page.locator(".results .result__title").inner_text() == "Himalayan broadband"
    assert any("type=financial" in url for url in htmx_requests), htmx_requests


def test_the_admin_works_under_the_policy(page, administrator, published, entity_a):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(administrator.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    for path in ["/admin/", "/admin/pledges/pledge/", f"/admin/pledges/pledge/{published.pk}/change/",
                 "/admin/entities/entity/", f"/admin/entities/entity/{entity_a.pk}/change/"]:
        assert page.goto(path).status == 200, path

    page.goto(f"/admin/pledges/pledge/{published.pk}/history/")
    # The page's own <style>, allowed by its nonce, stretches the table across the module.
    assert page.locator("#change-history").evaluate(
        "table => table.getBoundingClientRect().width >= table.parentElement.getBoundingClientRect().width - 1")

    page.goto(f"/admin/entities/entity/{entity_a.pk}/history/")
    # django-simple-history's style="border-top: 0", allowed by its hash, overrides the admin's 1px border.
    assert page.locator("p.paginator").evaluate("p => getComputedStyle(p).borderTopWidth") == "0px"
