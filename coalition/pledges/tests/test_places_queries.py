"""Query-count guards: a place page reads as many queries for 30 pledges as for 3."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .places_fixtures import at, groups, many_pledges  # noqa: F401


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url_of", [
    lambda entity: reverse("pledges:country", args=["NPL"]),
    lambda entity: reverse("pledges:group", args=["ITU-ASP"]),
    lambda entity: reverse("pledges:entity", args=[entity.pk]),
    lambda entity: reverse("pledges:countries"),
    lambda entity: reverse("pledges:groups"),
    lambda entity: reverse("pledges:country", args=["NPL"]) + "?as_of=2999-01-01&page=2",
], ids=["country", "group", "entity", "countries", "groups", "country-page-2"])
def test_a_place_page_reads_the_same_queries_for_3_and_30_pledges(client, many_pledges, entity_a, url_of):
    many_pledges(3)
    few = queries(client, url_of(entity_a))
    many_pledges(27)
    many = queries(client, url_of(entity_a))

    assert many == few


@pytest.mark.parametrize("name", ["pledges:group", "pledges:country"])
def test_an_earlier_date_reads_the_same_queries_for_3_and_30_pledges(client, many_pledges, name):
    with at(2024, 1, 1, 10):
        many_pledges(3)
    args = ["ITU-ASP"] if name == "pledges:group" else ["NPL"]
    url = reverse(name, args=args) + "?as_of=2024-06-01"
    few = queries(client, url)
    with at(2024, 1, 2, 10):
        many_pledges(27)

    response = client.get(url)
    assert response.context["key"].pledges == 30
    assert queries(client, url) == few
