"""Query-count guards: every place page reads as many queries for 30 pledges as for 3, today and
on an earlier date, whether its day's tallies must be counted first or are stored already.
(One test per date: publishing 30 pledges through the services is the slow part.)"""

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.explore.daily import days_forget
from coalition.explore.tests.places_fixtures import at, groups, many_pledges  # noqa: F401


def queries(client, urls) -> dict[str, tuple[int, int]]:
    """(queries with no stored tallies, queries once they are stored) of each page."""
    counts = {}
    for url in urls:
        days_forget()
        for cache in caches.all():  # the progress roll-ups are kept in Django's cache
            cache.clear()
        measured = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            measured.append(len(context))
        counts[url] = tuple(measured)
    return counts


def place_urls(entity, suffix=""):
    return [
        reverse("explore:country", args=["NPL"]) + suffix,
        reverse("explore:group", args=["ITU-ASP"]) + suffix,
        reverse("explore:entity", args=[entity.pk]) + suffix,
        reverse("explore:countries") + suffix,
        reverse("explore:groups") + suffix,
    ]


def test_the_place_pages_read_the_same_queries_for_3_and_30_pledges(client, many_pledges, entity_a):
    urls = [*place_urls(entity_a), reverse("explore:country", args=["NPL"]) + "?page=2"]
    many_pledges(3)
    few = queries(client, urls)
    many_pledges(27)

    assert client.get(urls[0]).context["key"].pledges == 30
    assert queries(client, urls) == few


def test_on_an_earlier_date_they_read_the_same_queries_for_3_and_30_pledges(client, many_pledges, entity_a):
    urls = place_urls(entity_a, "?as_of=2024-06-01")
    with at(2024, 1, 1, 10):
        many_pledges(3)
    few = queries(client, urls)
    with at(2024, 1, 2, 10):
        many_pledges(27)

    response = client.get(urls[0])
    assert response.context["key"].pledges == 30 and len(response.context["page"]) == 25
    assert queries(client, urls) == few
