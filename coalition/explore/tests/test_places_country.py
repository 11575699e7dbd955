"""The country pages: a country's groups on the date, the pledges benefiting it and their totals,
and the list of countries (search in both languages, sort)."""

import re
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401
from coalition.pledges.models import Pledge, Status


def published_naming(country):
    return Pledge.objects.filter(status=Status.PUBLISHED, beneficiary_countries=country)


def test_a_country_page_counts_the_published_pledges_naming_it(client, registry, countries):
    nepal = countries["NPL"]

    response = client.get(reverse("explore:country", args=["NPL"]))

    assert response.status_code == 200
    key = response.context["key"]
    records = published_naming(nepal)
    assert key.pledges == records.count() == 1
    assert key.value_usd == records.aggregate(v=Sum("value_usd"))["v"] == Decimal("300000.00")
    assert key.reported == 1 and key.disbursed_usd == Decimal("90000.00")
    assert [p.title for p in response.context["page"]] == ["Himalayan broadband"]
    assert "Himalayan broadband" in response.text and "$300,000" in response.text
    assert "NPL" in response.text and "NP" in response.text and "524" in response.text


def test_a_pledge_published_after_the_date_is_not_counted_then(client, registry):
    before = client.get(reverse("explore:country", args=["NPL"]), {"as_of": "2024-04-30"})
    after = client.get(reverse("explore:country", args=["NPL"]), {"as_of": "2024-05-01"})

    assert before.context["key"].pledges == 0 and list(before.context["page"]) == []
    assert "No published pledge names Nepal on this date." in before.text
    assert after.context["key"].pledges == 1
    assert "30 April 2024" in before.text


def test_the_groups_shown_are_those_of_the_date_each_linking_to_its_page(client, registry):
    today = client.get(reverse("explore:country", args=["KEN"]))
    then = client.get(reverse("explore:country", args=["KEN"]), {"as_of": "2024-12-31"})

    assert [g.code for g in today.context["groups"]] == ["ITU-AFR"]
    assert sorted(g.code for g in then.context["groups"]) == ["ITU-AFR", "LDC"]
    assert today.status_code == 200 and then.status_code == 200
    assert reverse("explore:group", args=["LDC"]) in then.text
    assert reverse("explore:group", args=["ITU-AFR"]) in today.text
    assert reverse("explore:group", args=["LDC"]) not in today.text


def test_a_pledge_withdrawn_since_is_listed_on_an_earlier_date_without_a_link(client, registry):
    kenya = registry["kenya"]

    then = client.get(reverse("explore:country", args=["KEN"]), {"as_of": "2025-01-01"})
    today = client.get(reverse("explore:country", args=["KEN"]))

    assert [p.title for p in then.context["page"]] == ["Kenya schools online"]
    assert "no longer published" in then.text
    assert reverse("explore:pledge", args=[kenya.pk]) not in then.text
    assert today.context["key"].pledges == 0


def test_totals_by_focus_area_and_type_are_tables_of_the_records(client, registry):
    response = client.get(reverse("explore:country", args=["NPL"]))

    focus, kinds = response.context["breakdowns"]
    assert [(row.label, row.pledges, row.value_usd) for row in focus.rows] == [("P2C FA1 Access", 1, Decimal("300000.00"))]
    assert [(row.code, row.pledges) for row in kinds.rows] == [("financial", 1)]
    assert "Pledges by focus area" in response.text and "Pledges by type" in response.text


def test_the_explorer_link_filters_by_the_country(client, registry):
    response = client.get(reverse("explore:country", args=["NPL"]))

    assert reverse("explore:explorer") + "?country=NPL" in response.text


def test_the_country_name_reads_in_french(client, registry):
    response = client.get("/fr" + reverse("explore:country", args=["NPL"]))

    assert "<h1 id=\"place-title\">Népal</h1>" in response.text
    assert re.search(r"300\s000\s\$US", response.text)  # French grouping and currency
    assert "Nepal</h1>" not in response.text


def test_the_code_is_read_in_any_case(client, registry):
    assert client.get(reverse("explore:country", args=["npl"])).context["country"].iso3 == "NPL"


def test_the_country_list_shows_the_countries_pledges_name_with_their_figures(client, registry, countries):
    response = client.get(reverse("explore:countries"))

    rows = {row.country.iso3: (row.pledges, row.value_usd) for row in response.context["rows"]}
    assert rows == {"NPL": (1, Decimal("300000.00")), "BTN": (1, Decimal("0"))}
    assert reverse("explore:country", args=["NPL"]) in response.text


def test_the_country_list_can_include_every_country_and_sorts_by_value(client, registry):
    response = client.get(reverse("explore:countries"), {"all": "1", "sort": "value"})

    iso3 = [row.country.iso3 for row in response.context["rows"]]
    assert iso3[0] == "NPL" and len(iso3) == 5
    by_pledges = client.get(reverse("explore:countries"), {"all": "1", "sort": "pledges"}).context["rows"]
    assert [row.pledges for row in by_pledges] == sorted((row.pledges for row in by_pledges), reverse=True)


def test_the_country_list_on_an_earlier_date_counts_what_was_published_then(client, registry):
    response = client.get(reverse("explore:countries"), {"as_of": "2024-06-30"})

    rows = {row.country.iso3: row.pledges for row in response.context["rows"]}
    assert rows == {"KEN": 1, "NPL": 1}


def test_the_country_list_searches_names_in_both_languages(client, registry):
    english = client.get(reverse("explore:countries"), {"q": "bhutan", "all": "1"})
    french = client.get(reverse("explore:countries"), {"q": "bhoutan", "all": "1"})

    assert [row.country.iso3 for row in english.context["rows"]] == ["BTN"]
    assert [row.country.iso3 for row in french.context["rows"]] == ["BTN"]


def test_an_unknown_sort_falls_back_to_the_name(client, registry):
    response = client.get(reverse("explore:countries"), {"sort": "drop table", "all": "1"})

    assert response.status_code == 200
    assert [row.country.name for row in response.context["rows"]] == ["Bhutan", "France", "Kenya", "Nepal", "Vanuatu"]
