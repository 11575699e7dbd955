"""The explorer on random past days of a generated registry reads the dashboard's read model:
with no filter its total is the dashboard's pledge count of the day; with filters it counts the
pledge versions of the day exactly as the registry does by hand; every facet counted over the
versions equals the day's stored tallies; the rows are the versions of the day. The past-day
page runs in a bounded number of queries."""

import datetime
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict

from coalition.common.asof import as_of_date
from coalition.explore.daily import tallies_for
from coalition.explore.explorer import explorer_search
from coalition.explore.facets import FACETS
from coalition.explore.figures import key_figures
from coalition.explore.registry import HistoricalRegistry, entity_versions, published_pledge_versions
from coalition.pledges.models import Pledge, Status
from coalition.reference.models import Country, CountryGroup
from coalition.reference.testing import load_reference_fixture

DAYS = 4


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A 60-pledge demo with its history, generated once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_fixture()
        # The command, not the generator: the explore app may not import the demo app above it.
        call_command("demo", "generate", "--pledges", "60", "--seed", "5", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def days(demo, db) -> list[datetime.date]:
    """Random past days between the first publication and yesterday."""
    first = Pledge.history.filter(status=Status.PUBLISHED).order_by("history_date").first().history_date.date()
    span = (datetime.date.today() - first).days
    return sorted(first + datetime.timedelta(days=n) for n in random.Random(14).sample(range(1, span), DAYS))


def _search(query: str, day: datetime.date, **kwargs):
    return explorer_search(params=QueryDict(query), as_of=as_of_date(day), **kwargs)


def _listed(query: str, day: datetime.date) -> set[int]:
    return {row.id for row in _search(query, day, page_size=1000).page.object_list}


def _counts(result) -> dict[str, dict[str, int]]:
    return {f.name: {v.value: v.count for v in [*f.values, *f.hidden] if v.count} for f in result.facets}


def test_the_explorers_total_is_the_dashboards_pledge_count(days):
    for day in days:
        dashboard = key_figures(tallies_for(as_of_date(day))).pledges
        assert _search("", day).total == dashboard, day
        assert len(_listed("", day)) == dashboard, day


def test_counting_over_the_versions_gives_the_days_stored_tallies_for_every_facet(days):
    for day in days:
        tallied = _search("", day)
        # A publication range holding every pledge makes the page count rather than read tallies.
        counted = _search("published_from=1990-01-01", day)

        assert counted.total == tallied.total, day
        assert _counts(counted) == _counts(tallied), day


def test_one_facet_value_counts_what_the_days_tallies_say(days):
    for day in days:
        tallies = tallies_for(as_of_date(day))
        for facet, kind in (("type", "type"), ("stakeholder", "stakeholder"), ("initiative", "initiative")):
            for value, tally in tallies.of(kind).items():
                assert _search(f"{facet}={value}", day).total == tally.pledges, (day, facet, value)


def _by_hand(day: datetime.date, *, pledge_type=None, country=None, group=None, stakeholder=None) -> set[int]:
    """The same filters written against the registry of the day directly."""
    as_of = as_of_date(day)
    registry = HistoricalRegistry(as_of)
    versions = registry.published()
    if pledge_type:
        versions = versions.filter(pledge_type=pledge_type)
    if country:
        versions = versions.filter(registry.linked_to("beneficiary_countries", [Country.objects.get(iso3=country).pk]))
    if group:
        versions = versions.filter(registry.targeting_groups([group], day))
    if stakeholder:
        versions = versions.filter(lead_entity_id__in=entity_versions(as_of).filter(entity_type=stakeholder).values("id"))
    return set(versions.values_list("id", flat=True))


def test_filters_select_and_count_the_pledges_the_registry_of_the_day_holds(days):
    checked = 0
    for day in days:
        pledges = published_pledge_versions(as_of_date(day))
        country = (pledges.values_list("historicalpledge_beneficiary_countries__country__iso3", flat=True)
                   .exclude(historicalpledge_beneficiary_countries__isnull=True).order_by("id").first())
        kind = pledges.order_by("id").values_list("pledge_type", flat=True).first()
        group = CountryGroup.objects.get(code="LDC").code
        for query, hand in (
            (f"type={kind}", {"pledge_type": kind}),
            (f"country={country}&type={kind}", {"country": country, "pledge_type": kind}),
            (f"group={group}", {"group": group}),
            (f"group={group}&stakeholder=government", {"group": group, "stakeholder": "government"}),
            (f"country={country}", {"country": country}),
        ):
            if "None" in query:
                continue
            expected = _by_hand(day, **hand)
            assert _search(query, day).total == len(expected), (day, query)
            assert _listed(query, day) == expected, (day, query)
            checked += bool(expected)
    assert checked >= DAYS  # the filters found pledges on most days


def test_rows_are_the_pledges_as_they_stood(days):
    for day in days:
        result = _search("", day, page_size=1000)
        versions = {v.id: v for v in published_pledge_versions(as_of_date(day))}
        for row in result.page.object_list:
            assert (row.title, row.value_usd) == (versions[row.id].title, versions[row.id].value_usd)
            assert row.reporting_label


def test_the_status_facet_adds_up_to_the_total(days):
    for day in days:
        result = _search("published_from=1990-01-01", day)
        (status,) = [f for f in result.facets if f.name == "status"]
        assert sum(v.count for v in [*status.values, *status.hidden]) == result.total, day


def test_a_past_day_page_runs_in_a_bounded_number_of_queries(days, client, django_assert_max_num_queries):
    day = days[-1].isoformat()
    client.get(f"/pledges/?as_of={day}")  # the day's tallies counted and stored on the way
    with django_assert_max_num_queries(20):
        assert client.get(f"/pledges/?as_of={day}").status_code == 200
    with django_assert_max_num_queries(12 + 2 * len(FACETS)):
        assert client.get(f"/pledges/?as_of={day}&type=programmatic&group=LDC&sort=value_desc").status_code == 200
