"""The progress partials show every figure with its date, what it covers, the weighting in words
and a switch to the other one that keeps the page's other parameters; readable without script.
The registry and its hand-computed table are in `test_progress_rollup`."""

import re

from django.http import QueryDict
from django.template.loader import render_to_string

from coalition.common.asof import as_of_now
from coalition.explore.progress import progress_by_node, progress_rollup, weighting_asked, weighting_links
from coalition.explore.tests.test_progress_rollup import registry  # noqa: F401 (fixture)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_switch_changes_only_the_weighting_and_keeps_the_other_parameters():
    links = weighting_links(QueryDict("as_of=2024-11-19&country=KEN&country=NPL&weighting=equal"))

    assert [(code, str(label), url, current) for code, label, url, current in links] == [
        ("usd", "Weighted by value in US dollars", "?as_of=2024-11-19&country=KEN&country=NPL#pledge-progress", False),
        ("equal", "Each pledge counts equally",
         "?as_of=2024-11-19&country=KEN&country=NPL&weighting=equal#pledge-progress", True),
    ]
    assert [url for _c, _l, url, current in weighting_links(QueryDict(""), fragment="") if current] == ["?"]


def test_an_unknown_weighting_asked_by_a_page_falls_back_to_us_dollars():
    assert [weighting_asked(QueryDict(q)) for q in ("", "weighting=equal", "weighting=population")] == [
        "usd", "equal", "usd"]


def test_the_roll_up_shows_its_figures_what_it_covers_and_how_it_weighs(registry, rf):  # noqa: F811
    as_of = as_of_now()
    request = rf.get("/countries/KEN/", {"as_of": ""})
    html = render_to_string("explore/_progress_rollup.html", {
        "rollup": progress_rollup(as_of), "as_of": as_of, "weighting_links": weighting_links(request.GET)})

    shown = text(html)
    assert "57.5%" in shown and "50.8%" in shown
    assert "6 published pledges, of which 1 has no accepted report." in shown
    assert "Weighted by value in US dollars. Each reported pledge counts in proportion" in shown
    assert "2 reported pledges have no value in US dollars" in shown  # the notes
    assert html.count('class="figure__as-of"') == 2 and html.count('class="plan-meter"') == 2
    assert 'href="?as_of=&amp;weighting=equal#pledge-progress"' in html and 'aria-current="true"' in html
    assert "<script" not in html


def test_a_mean_nothing_weighs_in_shows_a_dash_and_no_meter(registry):  # noqa: F811
    as_of = as_of_now()
    html = render_to_string("explore/_progress_rollup.html", {
        "rollup": progress_rollup(as_of, node=registry["FA2"]), "as_of": as_of})

    assert text(html).count("—") == 2 and "plan-meter" not in html and "<nav" not in html


def test_the_nodes_table_lists_each_initiatives_nodes_indented_under_their_parents(registry, other_initiative):  # noqa: F811
    as_of = as_of_now()
    html = render_to_string("explore/_progress_by_node.html", {
        "nodes": progress_by_node(as_of, weighting="equal"), "as_of": as_of})

    assert html.count("<table") == 2 and html.count("<caption>") == 2
    assert text(html).index("AP-IS: progress reported") < text(html).index("Partner2Connect: progress reported")
    assert html.count('scope="col"') == 10 and html.count('scope="row"') == 4
    rows = [text(row) for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", html, re.S)]
    assert rows[1:] == ["FA1 Access 4 1 65.0% 55.0%", "&emsp;↳ FA1.1 Infrastructure (under FA1) 2 0 50.0% 45.0%",
                        "FA2 Skills 2 0 15.0% 65.0%"]
    assert "Each pledge counts equally" in html


def test_without_a_framework_the_table_says_so(db):
    html = render_to_string("explore/_progress_by_node.html", {"nodes": [], "as_of": as_of_now()})

    assert "No framework to roll progress up to." in html and "<table" not in html
