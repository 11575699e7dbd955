"""The explorer's facet counts read from the stored tallies equal counting them (issue 14): with
no filter, or one country, region or group, `facets_tallied` gives every facet exactly what
`facets_count` counts over the live tables — after a publication with a campaign, an accepted
report and a change of an entity's type — on SQLite and PostgreSQL; the page then reads them
in a few queries, and any other filter still counts."""

import pytest
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.demo.generate import demo_generate
from coalition.entities.models import Entity
from coalition.explore.explorer import explorer_search
from coalition.explore.facets import FACETS, FacetContext, facet_total, facets_count, facets_tallied
from coalition.pledges.models import Campaign, Pledge, Status
from coalition.pledges.selectors import pledge_list_published
from coalition.reference.groups import CLASSIFICATION_KINDS, REGION_KINDS
from coalition.reference.models import Country, CountryGroup, Initiative
from coalition.reference.testing import load_reference_fixture
from coalition.reporting.models import ReportStatus
from coalition.tests import builders
from coalition.tests.builders import publish


@pytest.fixture
def registry(db):
    load_reference_fixture()
    demo_generate(pledges=150, seed=8)
    entity = Entity.objects.filter(is_demo=True).order_by("pk").first()
    initiative = Initiative.objects.get(slug="p2c")
    data = {
        **builders.pledge_fields(initiative, entity, {"KEN": Country.objects.get(iso3="KEN")}),
        "framework_nodes": list(initiative.nodes.filter(parent__isnull=False).order_by("pk")[:1]),
        "value_currency": "USD", "value_year": 2024,
        "campaign": Campaign.objects.order_by("pk").first(),
    }
    publish(builders.make_focal_point(entity, "facets@example.org"), builders.make_reviewer(), data)
    led = Entity.objects.filter(led_pledges__status=Status.PUBLISHED).order_by("-pk").first()
    led.entity_type = "academia" if led.entity_type != "academia" else "government"
    led.save()


def shown(ctx, counts):
    """Per facet, the non-zero counts of the values the facet offers (what the page shows)."""
    result = {}
    for facet in FACETS:
        offered = {option.value for option in facet.options(ctx)}
        result[facet.name] = {value: n for value, n in counts[facet.name].items() if n and value in offered}
    return result


def busiest(facet: str) -> dict[str, list[str]]:
    """A filter on the value of `facet` most published pledges name (the fixture's codes vary)."""
    if facet == "country":
        return {"country": [Country.objects.filter(pledges__status=Status.PUBLISHED).annotate(
            n=Count("pledges")).order_by("-n", "iso3").first().iso3]}
    kinds = REGION_KINDS if facet == "region" else CLASSIFICATION_KINDS
    group = CountryGroup.objects.filter(kind__in=kinds, memberships__isnull=False).order_by("kind", "code").first()
    return {facet: [group.code]}


@pytest.mark.parametrize("facet", ["", "country", "region", "group"])
def test_tallied_counts_equal_counted_ones(registry, facet):
    assert Pledge.objects.filter(status=Status.PUBLISHED, campaign__isnull=False).exists()
    assert Pledge.objects.filter(status=Status.PUBLISHED, progress_reports__status=ReportStatus.ACCEPTED).exists()
    chosen = busiest(facet) if facet else {}
    ctx = FacetContext(today=timezone.localdate())
    for facet in FACETS:
        facet.options(ctx)
    counted = facets_count(ctx, pledge_list_published(), chosen)

    tallied, total = facets_tallied(ctx, chosen)

    assert shown(ctx, tallied) == shown(ctx, counted)
    assert total == facet_total(counted, chosen) > 0
    assert sum(shown(ctx, tallied)["status"].values()) == total > 0  # every status comes from the clock's start


def test_the_page_reads_stored_counts_and_counts_other_filters(registry):
    explorer_search(params=QueryDict())  # today's tallies counted and stored on the way
    with CaptureQueriesContext(connection) as unfiltered:
        result = explorer_search(params=QueryDict())
    with CaptureQueriesContext(connection) as filtered:
        explorer_search(params=QueryDict("type=financial"))

    assert result.total == Pledge.objects.filter(status=Status.PUBLISHED).count()
    assert not any("GROUP BY" in query["sql"] and "pledges_pledge" in query["sql"] for query in unfiltered.captured_queries)
    assert len(unfiltered.captured_queries) < len(filtered.captured_queries)


def test_a_search_or_two_filters_are_counted(registry):
    ctx = FacetContext(today=timezone.localdate())
    assert facets_tallied(ctx, {"country": ["KEN"], "type": ["financial"]}) is None
    assert facets_tallied(ctx, {"country": ["KEN", "NER"]}) is None
    assert facets_tallied(FacetContext(today=timezone.localdate().replace(year=2020)), {}) is None
