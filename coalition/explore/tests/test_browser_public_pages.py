"""The public pages in headless Chromium: the dashboard, the explorer, a pledge, an entity and a
country, in English and in French (switched with the header's language buttons), each checked
with axe-core (npm, node_modules/axe-core) for serious or critical accessibility violations; the
dashboard's charts drawn on the server, legible on a phone, and swapped for vega-embed's on
request (the Vega libraries loaded only then); and the explorer used with the keyboard alone.

The registry is built through the services at fixed moments (time-machine), with enough variety
that every table and chart has something in it:

- Kenya (ITU Africa, an LDC): entity A's programmatic pledge, 1,000,000 EUR of 2022, March 2024.
- Nepal (ITU Asia & Pacific, an LDC and LLDC): entity B's financial "Himalayan broadband",
  with entity A as partner, 300,000 USD, May 2024; a report accepted in November 2024.
- Vanuatu (a SIDS): entity B's in-kind "Island broadband", 120,000 USD, September 2024.
- Bhutan (an LLDC): entity A's policy "Broadband mapping for Bhutan", no value, January 2025.
- France and Nepal: entity A's advocacy "Digital skills for all", no value, April 2025.
"""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
from django.templatetags.static import static

from coalition.pledges.models import Campaign
from coalition.reference.models import BeneficiaryGroup, SdgGoal, WsisActionLine
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests.builders import publish as _publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Loaded from the site's static files: the Content-Security-Policy refuses an inline copy.
AXE = "vendor/axe-core/axe.min.js"
BLOCKING = ("serious", "critical")
PAGES = ["dashboard", "explorer", "pledge", "entity", "country"]


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def registry(country_groups, countries, pledge_data, pledger_a, pledger_b, reviewer, entity_a, entity_b, currencies, initiative):
    goal = SdgGoal.objects.create(number=9, title_en="Industry, innovation and infrastructure", short_en="Infrastructure",
                                  short_fr="Infrastructures")
    sdg = goal.targets.create(code="9.c", title_en="Access to ICT", title_fr="Accès aux TIC")
    wsis = WsisActionLine.objects.create(code="C2", title_en="Information and communication infrastructure",
                                         title_fr="Infrastructure de l’information et de la communication")
    women = BeneficiaryGroup.objects.create(code="women", name_en="Women and girls", name_fr="Femmes et filles")
    summit = Campaign.objects.create(initiative=initiative, slug="summit-24", name_en="Connectivity Summit 2024",
                                     name_fr="Sommet de la connectivité 2024", start_date=datetime.date(2024, 9, 1))
    pledge_data = {**pledge_data, "sdg_targets": [sdg], "wsis_lines": [wsis], "beneficiary_groups": [women]}
    with at(2024, 3, 1, 10):
        kenya = _publish(pledger_a, reviewer, {**pledge_data, "title": "Kenya schools online"})
    with at(2024, 5, 1, 10):
        himalayan = _publish(pledger_b, reviewer, {
            **pledge_data, "lead_entity": entity_b, "title": "Himalayan broadband", "pledge_type": "financial",
            "beneficiary_countries": [countries["NPL"]], "value_amount": Decimal("300000"), "value_currency": "USD",
            "partners": [{"entity": entity_a, "role": "co-financier"}],
        })
    with at(2024, 9, 2, 10):
        island = _publish(pledger_b, reviewer, {
            **pledge_data, "lead_entity": entity_b, "title": "Island broadband", "pledge_type": "in_kind",
            "beneficiary_countries": [countries["VUT"]], "value_amount": Decimal("120000"), "value_currency": "USD",
            "campaign": summit,
        })
    with at(2024, 11, 5, 10):
        report = report_create(actor=pledger_b, pledge=himalayan, data={
            "period_end": datetime.date(2024, 10, 31), "implementation_status": "on_track", "share_delivered": "30",
            "disbursed_amount": "90000", "disbursed_currency": "USD", "disbursed_year": 2024,
            "narrative": "Two valleys connected.", "challenges": "",
            "targets": [{"target": himalayan.targets.get(), "actual_value": "150"}], "evidence": [],
        })
        report_submit(actor=pledger_b, report=report)
    with at(2024, 11, 20, 10):
        report_accept(actor=reviewer, report=report, verification_level="documented")
    with at(2025, 1, 15, 10):
        bhutan = _publish(pledger_a, reviewer, {
            **pledge_data, "title": "Broadband mapping for Bhutan", "pledge_type": "policy",
            "beneficiary_countries": [countries["BTN"]], "value_amount": None, "value_currency": None, "value_year": None,
        })
    with at(2025, 4, 1, 10):
        skills = _publish(pledger_a, reviewer, {
            **pledge_data, "title": "Digital skills for all", "pledge_type": "advocacy", "scope": "multi_country",
            "beneficiary_countries": [countries["FRA"], countries["NPL"]],
            "value_amount": None, "value_currency": None, "value_year": None,
        })
    return {"kenya": kenya, "himalayan": himalayan, "island": island, "bhutan": bhutan, "skills": skills}


def path_of(name, registry, entity_a):
    return {
        "dashboard": "/dashboard/",
        "explorer": "/pledges/",
        "pledge": f"/pledges/{registry['himalayan'].pk}/",
        "entity": f"/entities/{entity_a.pk}/",
        "country": "/countries/NPL/",
    }[name]


def in_french(page):
    """Switch with the header's language buttons (a form posting to set_language), to the same
    page at its French address (/fr/…, the query string kept)."""
    here = urlsplit(page.url)
    page.get_by_role("button", name="Français").click()
    # Predicates are functions, not expression strings, which Playwright would eval in the page and
    # the site's Content-Security-Policy refuses.
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    assert page.url == here._replace(path="/fr" + here.path).geturl()


def interactive(page, name):
    """Press the chart's "Interactive chart" button and wait for vega-embed to draw it."""
    page.locator(f"[data-interactive='{name}']").click()
    page.wait_for_function(
        "name => document.querySelector(`.chart__drawing[data-chart='${name}']`).classList.contains('is-interactive')",
        arg=name,
    )


def scrolled_to_the_end(page):
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 900, 900):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.evaluate("window.scrollTo(0, 0)")


def blocking_violations(page):
    page.add_script_tag(url=static(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
            targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
        }));
    }""")
    return [v for v in violations if v["impact"] in BLOCKING]


def described(violations):
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}), {v['count']} nodes, e.g. {v['targets']}"
                     for v in violations)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", PAGES)
def test_a_public_page_has_no_serious_or_critical_accessibility_violation(page, registry, entity_a, name, language):
    response = page.goto(path_of(name, registry, entity_a))
    assert response.status == 200, f"{name}: HTTP {response.status}"
    if language == "fr":
        in_french(page)
    assert page.evaluate("document.documentElement.lang") == language

    violations = blocking_violations(page)

    assert not violations, f"{name} ({language}):\n{described(violations)}"


def test_the_dashboard_shows_every_chart_drawn_and_loads_vega_only_when_asked(page, registry):
    heavy = []
    page.on("response", lambda r: heavy.append((r.url.split("/static/")[-1], r.status))
            if "/vendor/vega" in r.url or "/vendor/world-atlas/" in r.url else None)
    page.goto("/dashboard/")
    scrolled_to_the_end(page)

    drawings = page.locator(".chart__drawing")
    assert drawings.count() >= 5
    assert page.locator(".chart__drawing svg.chart-svg--wide:visible").count() == drawings.count()
    assert heavy == []  # the first visit, scrolled to the end, fetched neither Vega nor the atlas

    interactive(page, "map")

    assert sorted(heavy) == [("vendor/vega-embed/build/vega-embed.min.js", 200), ("vendor/vega-lite/build/vega-lite.min.js", 200),
                             ("vendor/vega/build/vega.min.js", 200), ("vendor/world-atlas/countries-50m.json", 200)]
    # vega-embed's map replaced the drawing: a shape per country, and the choice of measure.
    assert page.locator("[data-chart=map] svg.chart-svg").count() == 0
    assert page.locator("[data-chart=map] .chart__canvas svg path").count() >= 5
    assert page.locator("[data-chart=map] .vega-bindings input[type=radio]").count() == 2
    assert page.locator("[data-interactive=map]").is_hidden()
    # The libraries load once for the page: the next chart needs nothing more.
    interactive(page, "growth")
    assert len(heavy) == 4
    assert page.locator("[data-chart=growth] .chart__canvas svg path, [data-chart=growth] .chart__canvas svg line").count() > 0


def test_the_chart_labels_stay_on_the_screen_of_a_phone_and_of_a_desktop(chromium, live_server, registry):
    for width in (375, 1280):
        context = chromium.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto("/dashboard/")
        drawings = page.locator(".chart__drawing").count()

        shown = page.evaluate("""() => [...document.querySelectorAll('svg.chart-svg')]
            .filter(svg => svg.getBoundingClientRect().width > 0)
            .map(svg => ({width: svg.getBoundingClientRect().width, natural: +svg.getAttribute('width'),
                          texts: [...svg.querySelectorAll('text')].map(t => {
                              const box = t.getBoundingClientRect();
                              return {text: t.textContent, left: box.left, right: box.right, size: parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / +svg.getAttribute('width')};
                          })}))""")
        context.close()

        assert drawings >= 5 and len(shown) == drawings  # one drawing of each chart shows
        for chart in shown:
            # On a phone each chart is the one drawn for it (not the wide one shrunk), at its size.
            assert chart["width"] <= width - 20 and chart["width"] >= 0.8 * chart["natural"], (width, chart["natural"])
            for text in chart["texts"]:
                assert 0 <= text["left"] and text["right"] <= width, (width, text)
                assert text["size"] >= 9, (width, text)  # legible, not scaled down


def test_the_french_dashboard_writes_its_chart_axes_in_french(page, registry):
    page.goto("/dashboard/")
    in_french(page)

    text = page.locator("[data-chart=growth] svg.chart-svg--wide").text_content()
    assert re.search(r"\b(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)", text), text
    assert not re.search(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b", text)
    interactive(page, "growth")
    text = page.locator("[data-chart=growth] .chart__canvas svg").text_content()
    assert re.search(r"\b(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)", text), text


# --- The explorer with the keyboard alone --------------------------------------------------------

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow && style.boxShadow !== 'none';
    const box = el.getBoundingClientRect();
    return {
        id: el.id, tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
        text: (el.innerText || el.value || '').trim().slice(0, 80),
        classes: el.className && typeof el.className === 'string' ? el.className : '',
        inResults: !!el.closest('.results'), href: el.getAttribute('href') || '',
        checked: !!el.checked, visible: outline || ring, onScreen: box.width > 0 && box.height > 0,
    };
}"""


def focused(page):
    here = page.evaluate(FOCUSED)
    assert here is not None, "focus fell back to the page's body"
    if here["type"] == "date" and not here["visible"]:
        # The calendar button inside a date input: Chromium focuses it in the input's shadow tree,
        # where the site's :focus-visible rule does not reach; Chromium draws its own ring there.
        here["visible"] = page.evaluate("document.activeElement.matches(':focus-within')")
    assert here["visible"], f"no visible focus indicator on {here}"
    assert here["onScreen"], f"the focused element is not on the screen: {here}"
    return here


def tab_to(page, wanted, *, limit=120):
    """Press Tab until `wanted(focused element)` holds; every stop must show where focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = focused(page)
        if wanted(here):
            return here
    raise AssertionError(f"not reached with {limit} presses of Tab; focus is on {here}")


def result_titles(page):
    return page.locator(".results .result__title").all_inner_texts()


def results_are(page, titles):
    page.wait_for_function(
        "titles => JSON.stringify([...document.querySelectorAll('.results .result__title')]"
        ".map(e => e.innerText.trim()).sort()) === JSON.stringify(titles)",
        arg=sorted(titles),
    )


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page, registry):
    page.goto("/pledges/")

    page.keyboard.press("Tab")
    first = focused(page)
    assert "skip-link" in first["classes"] and first["href"] == "#main"
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab goes on from the main content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_the_explorer_can_be_searched_filtered_and_followed_with_the_keyboard_alone(page, registry):
    page.goto("/pledges/")
    assert len(result_titles(page)) == 5

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    tab_to(page, lambda el: el["id"] == "explorer-q")
    page.keyboard.type("broadband")
    page.keyboard.press("Enter")
    results_are(page, ["Himalayan broadband", "Island broadband", "Broadband mapping for Bhutan"])
    assert "q=broadband" in page.url or page.locator("#explorer-q").input_value() == "broadband"

    here = tab_to(page, lambda el: el["id"] == "f-type-financial")
    assert not here["checked"]
    page.keyboard.press("Space")
    results_are(page, ["Himalayan broadband"])
    assert page.locator("#f-type-financial").is_checked()
    assert page.locator("#explorer-q").input_value() == "broadband"
    # Focus stays on the box just ticked when the results are redrawn, so the reader goes on from there.
    assert focused(page)["id"] == "f-type-financial"

    link = tab_to(page, lambda el: el["inResults"] and el["tag"] == "a")
    assert link["text"] == "Himalayan broadband"
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(rf"/pledges/{registry['himalayan'].pk}/$"))
    assert page.get_by_role("heading", name="Himalayan broadband", level=1).is_visible()


def test_the_filtered_explorer_has_no_serious_or_critical_accessibility_violation(page, registry):
    response = page.goto("/pledges/?q=broadband&type=financial")
    assert response.status == 200
    in_french(page)
    assert result_titles(page) == ["Himalayan broadband"]

    violations = blocking_violations(page)

    assert not violations, described(violations)
