"""Query-count guards: every public page asks the database the same number of questions whether
the registry holds 10 pledges or 10,000 (issue 14). A page whose count grew with the registry
(a query per pledge, per entity, per country) would fail here long before it is slow in
production. Speed itself is measured by the benchmarks in bench/, never here."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coalition.demo.generate import demo_generate
from coalition.pledges.models import Pledge, Status
from coalition.reference.testing import load_reference_fixture

SMALL, LARGE = 10, 10_000
# Sections that appear only once a country or an entity has pledges, reports or partners.
SLACK = 3


def _pages() -> dict[str, str]:
    pledge = Pledge.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    year_back = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()
    return {
        "home": reverse("explore:home"),
        "dashboard": reverse("explore:dashboard"),
        "dashboard a year back": reverse("explore:dashboard") + f"?as_of={year_back}",
        "dashboard CSV": reverse("explore:dashboard_csv", args=["countries"]),
        "explorer": reverse("explore:explorer"),
        "explorer, two facets and a word, sorted": reverse("explore:explorer")
        + "?country=NPL&type=programmatic&q=schools&sort=value",
        "pledge": reverse("explore:pledge", args=[pledge.pk]),
        "entity": reverse("explore:entity", args=[pledge.lead_entity_id]),
        "countries": reverse("explore:countries"),
        "country": reverse("explore:country", args=["NPL"]),
        "groups": reverse("explore:groups"),
        "group": reverse("explore:group", args=["LDC"]),
        "connectivity profile": reverse("explore:profile", args=["NPL"]),
        "gap view": reverse("explore:gap"),
        "gap CSV": reverse("explore:gap_csv"),
    }


def _queries_per_page(pledges: int) -> dict[str, int]:
    """Each page's query count, on a registry of `pledges` demo pledges, nothing cached."""
    with transaction.atomic():
        demo_generate(pledges=pledges, seed=3)
        counts = {}
        for name, url in _pages().items():
            for cache in caches.all():
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = Client().get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            assert response.status_code == 200, (name, response.status_code)
            counts[name] = len(queries.captured_queries)
        transaction.set_rollback(True)
    return counts


@pytest.mark.django_db
def test_every_public_page_asks_as_many_queries_of_10_000_pledges_as_of_10(catalogue):
    load_reference_fixture()

    small, large = _queries_per_page(SMALL), _queries_per_page(LARGE)

    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name] + SLACK}
    assert grown == {}, f"query counts grew with the registry (10 pledges, 10,000 pledges): {grown}"
