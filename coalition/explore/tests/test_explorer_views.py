"""The explorer page: messages for bad input, sorting, pagination, the htmx partial, the
full page without JavaScript, and a constant number of queries whatever the page holds."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.explore import explorer
from coalition.pledges.tests.explorer_fixtures import *  # noqa: F403  (the fixtures publish, reference, university)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _titles(response):
    return [p.title for p in response.context["result"].page.object_list]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("country=XXX", "Beneficiary country: no such value “XXX”; ignored."),
        ("region=NOPE", "Region: no such value “NOPE”; ignored."),
        ("sdg=99", "Sustainable Development Goal: no such value “99”; ignored."),
        ("node=p2c:ZZ", "Focus area and pillar: no such value “p2c:ZZ”; ignored."),
        ("value_min=lots", "Minimum value: “lots” is not an amount in US dollars; ignored."),
        ("value_max=-5", "Maximum value: “-5” is not an amount in US dollars; ignored."),
        ("value_min=10&value_max=5", "Value range: the minimum is above the maximum; range ignored."),
        ("published_from=2024-13-01", "Published from: “2024-13-01” is not a date (YYYY-MM-DD); ignored."),
        ("published_from=2025-01-02&published_to=2025-01-01", "Publication dates: the start is after the end; dates ignored."),
        ("sort=sideways", "Sort: no such order “sideways”; ignored."),
        ("sort=relevance", "Sort: no such order “relevance”; ignored."),
    ],
)
def test_bad_input_names_the_filter_and_is_ignored(client, publish, query, message):
    publish(title="Still listed")
    response = client.get(f"/pledges/?{query}&page=abc")
    assert response.status_code == 200
    assert message in response.context["result"].errors
    assert message.replace("“", "&ldquo;").replace("”", "&rdquo;") in response.text or message in response.text
    assert _titles(response) == ["Still listed"]


def test_sorting(client, publish):
    now = timezone.now()
    publish(title="B middle", value_amount=Decimal("5000"), published_at=now - datetime.timedelta(days=2))
    publish(title="a cheap and old", value_amount=Decimal("10"), published_at=now - datetime.timedelta(days=9))
    publish(title="C no value", value_amount=None, value_currency=None, value_year=None, published_at=now)
    assert _titles(client.get("/pledges/")) == ["C no value", "B middle", "a cheap and old"]
    assert _titles(client.get("/pledges/?sort=oldest")) == ["a cheap and old", "B middle", "C no value"]
    assert _titles(client.get("/pledges/?sort=value_desc")) == ["B middle", "a cheap and old", "C no value"]
    assert _titles(client.get("/pledges/?sort=value_asc")) == ["a cheap and old", "B middle", "C no value"]
    assert _titles(client.get("/pledges/?sort=title")) == ["a cheap and old", "B middle", "C no value"]


def test_a_search_is_sorted_by_relevance_unless_asked_otherwise(client, publish):
    publish(title="Rural schools", description="Schools.")
    publish(title="Rural rural connectivity for rural areas", description="Rural.")
    response = client.get("/pledges/?q=rural")
    assert response.context["filters"].sort == "relevance"
    assert _titles(response)[0] == "Rural rural connectivity for rural areas"
    assert _titles(client.get("/pledges/?q=rural&sort="))[0] == "Rural rural connectivity for rural areas"
    assert '<option value="" selected>Best match</option>' in response.text
    assert _titles(client.get("/pledges/?q=rural&sort=title")) == ["Rural rural connectivity for rural areas", "Rural schools"]


def test_pagination_keeps_the_filters(client, publish, monkeypatch):
    monkeypatch.setattr(explorer, "PAGE_SIZE", 2)
    for number in range(5):
        publish(title=f"Pledge {number}", pledge_type="policy")
    publish(title="Other type")
    first = client.get("/pledges/?type=policy&sort=title")
    assert _titles(first) == ["Pledge 0", "Pledge 1"]
    assert 'href="/pledges/?type=policy&amp;sort=title&amp;after=' in first.text
    assert "Page 1 of 3" in first.text


def test_without_javascript_the_full_page_carries_the_form_filters_and_results(client, publish, countries):
    pledge = publish(title="Nepal pledge", beneficiary_countries=[countries["NPL"]])
    response = client.get("/pledges/?country=NPL")
    html = response.text
    assert response.templates[0].name == "explore/explorer.html"
    assert '<form id="explorer" class="explorer" method="get" action="/pledges/"' in html
    assert '<button type="submit"' in html
    assert '<input type="checkbox" id="f-country-NPL" name="country" value="NPL" checked>' in html
    assert f'href="/pledges/{pledge.pk}/"' in html
    assert f'href="/entities/{pledge.lead_entity_id}/"' in html
    assert 'href="/countries/NPL/"' in html
    assert "1 pledge found." in html
    assert 'role="status"' in html
    assert "as of" in html
    assert 'href="/pledges/"' in html  # clear all filters
    assert "<legend>Beneficiary country</legend>" in html


def test_an_htmx_request_gets_only_the_results_and_the_shareable_address(client, publish, countries):
    publish(title="Nepal pledge", beneficiary_countries=[countries["NPL"]])
    response = client.get("/pledges/?q=&country=NPL&value_min=&sort=", headers=HTMX)
    assert [t.name for t in response.templates][0] == "explore/explorer_results.html"
    assert "<html" not in response.text
    assert 'id="explorer-status" hx-swap-oob="innerHTML"' in response.text
    assert "Nepal pledge" in response.text
    assert response["HX-Push-Url"] == "/pledges/?country=NPL"
    assert "HX-Request" in response["Vary"]


def test_an_htmx_request_for_the_whole_page_gets_the_whole_page(client, db):
    response = client.get("/pledges/", headers={"HX-Request": "true", "HX-Request-Type": "full"})
    assert "<html" in response.text


def test_the_page_speaks_french(client, publish):
    publish(title="Un engagement")
    response = client.get("/fr/pledges/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.text
    assert "<h1>Explorer les engagements</h1>" in response.text and "1 engagement trouvé." in response.text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_3_or_30_pledges(client, publish, countries, reference, university):
    def add(count, offset):
        for number in range(offset, offset + count):
            publish(
                title=f"Pledge {number}",
                scope="multi_country",
                beneficiary_countries=[countries["NPL"], countries["KEN"], countries["BTN"], countries["VUT"]],
                beneficiary_groups=[reference["beneficiaries"]["women"]],
                sdg_targets=[reference["sdg"]["9.c"]],
                wsis_lines=[reference["wsis"]["C7.1"]],
                partners=[{"entity": university, "role": "partner"}],
                campaign=reference["campaign"],
            )

    url = "/pledges/?q=pledge&type=programmatic&region=ITU-ASP&status=on_time&sort=value_desc"
    add(3, 0)
    few = _queries(client, url)
    add(27, 3)
    many = _queries(client, url)
    assert len(client.get(url).context["result"].page.object_list) == 25
    assert many == few, f"{few} queries for 3 pledges, {many} for 30"
    assert few <= 35
