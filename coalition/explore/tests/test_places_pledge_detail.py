"""The public pledge page links its entities and places to their pages and shows a timeline of
its publication, changes and accepted reports."""

import re

from django.urls import reverse

from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401


def test_the_lead_partners_countries_and_regions_link_to_their_pages(client, registry, entity_a, entity_b):
    nepal = client.get(reverse("explore:pledge", args=[registry["nepal"].pk]))
    regional = client.get(reverse("explore:pledge", args=[registry["regional"].pk]))

    assert reverse("explore:entity", args=[entity_b.pk]) in nepal.text
    assert reverse("explore:entity", args=[entity_a.pk]) in nepal.text  # the partner
    assert reverse("explore:country", args=["NPL"]) in nepal.text
    assert reverse("explore:group", args=["ITU-ASP"]) in regional.text
    assert reverse("explore:country", args=["BTN"]) in regional.text


def test_the_timeline_lists_publication_and_accepted_reports_in_order(client, registry):
    response = client.get(reverse("explore:pledge", args=[registry["nepal"].pk]))

    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', response.text, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", timeline, re.S)
    assert len(items) == 2
    assert "1 May 2024" in items[0] and "published" in items[0]
    assert "20 November 2024" in items[1] and "progress report to 31 October 2024 accepted" in items[1]
    assert "30.0% delivered" in items[1] and "$90,000 disbursed" in items[1]
    assert [event.kind for event in response.context["timeline"]] == ["published", "report"]


def test_money_is_written_in_the_readers_language(client, registry):
    response = client.get("/fr" + reverse("explore:pledge", args=[registry["nepal"].pk]))

    assert re.search(r"300\s000\s\$US", response.text)
    assert "Népal" in response.text
