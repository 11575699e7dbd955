"""Participation figures: totals by sex and country, and the shares of LDCs, LLDCs and SIDS derived
from each country's group membership on the activity's first day, checked against hand-computed
values."""

import datetime
from decimal import Decimal

import pytest

from coalition.actionplan.selectors.activities import participation_stats
from coalition.actionplan.services.activities import participation_record
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.actionplan.tests.activity_fixtures import publish_participation, record_activity
from coalition.common.asof import as_of_now
from coalition.reference.models import CountryGroupMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def bhutan_graduated(country_groups, countries):
    """Bhutan left the LDCs on 13 December 2023 (it stays an LLDC)."""
    CountryGroupMembership.objects.create(group=country_groups["LDC"], country=countries["BTN"],
                                          valid_to=datetime.date(2023, 12, 13))


@pytest.fixture
def workshop_2024(published_activity, reviewer, countries, bhutan_graduated):
    """Workshop of 5 March 2024: Nepal 3 women + 1 man (LDC, LLDC); Bhutan 2 + 2 + 1 other (LLDC only,
    no longer an LDC); Vanuatu 1 man (SIDS); France 10 women (none). A draft from Kenya does not count."""
    for iso3, counts in {"NPL": {"women": 3, "men": 1}, "BTN": {"women": 2, "men": 2, "other": 1},
                         "VUT": {"men": 1}, "FRA": {"women": 10}}.items():
        publish_participation(reviewer, reviewer, published_activity, countries[iso3], **counts)
    participation_record(actor=reviewer, activity=published_activity, data={"country": countries["KEN"], "men": 50})
    return published_activity


@pytest.fixture
def mission_2022(reviewer, activity_data, countries, workshop_2024):
    """Advisory mission of 1 June 2022, when Bhutan was still an LDC: Bhutan 4 men."""
    activity = record_activity(reviewer, reviewer, {**activity_data, "kind": "advisory_mission", "title": "Mission",
                                                    "start_date": datetime.date(2022, 6, 1), "end_date": None})
    publish_participation(reviewer, reviewer, activity, countries["BTN"], men=4)
    return activity


def test_one_activitys_totals_by_sex_and_country(workshop_2024):
    stats = participation_stats(as_of=as_of_now(), activities=[workshop_2024])
    assert (stats.women, stats.men, stats.other, stats.total) == (15, 4, 1, 20)
    assert [(row.country.iso3, row.women, row.men, row.other, row.total) for row in stats.rows] == [
        ("BTN", 2, 2, 1, 5), ("FRA", 10, 0, 0, 10), ("NPL", 3, 1, 0, 4), ("VUT", 0, 1, 0, 1)]
    assert stats.women_share == Decimal("0.7500") and stats.activities == 1 and stats.countries == 4


def test_a_country_that_left_ldc_status_before_the_activity_is_not_counted_as_an_ldc(workshop_2024):
    stats = participation_stats(as_of=as_of_now(), activities=[workshop_2024])
    assert {share.code: (share.participants, share.share) for share in stats.groups} == {
        "LDC": (4, Decimal("0.2000")),  # Nepal only: Bhutan graduated on 13 December 2023
        "LLDC": (9, Decimal("0.4500")),  # Nepal 4 + Bhutan 5
        "SIDS": (1, Decimal("0.0500")),  # Vanuatu
    }
    assert {row.country.iso3: row.group_codes for row in stats.rows} == {
        "BTN": ["LLDC"], "FRA": [], "NPL": ["LDC", "LLDC"], "VUT": ["SIDS"]}


def test_across_activities_each_participant_counts_by_the_groups_on_its_own_activitys_date(
        mission_2022, workshop_2024, django_assert_num_queries):
    with django_assert_num_queries(3):  # the counts with their groups, the countries, the groups
        stats = participation_stats(as_of=as_of_now())
    assert stats.total == 24 and stats.activities == 2
    assert {share.code: (share.participants, share.share) for share in stats.groups} == {
        "LDC": (8, Decimal("0.3333")),  # Nepal 4 in 2024 + Bhutan 4 in 2022 (an LDC then)
        "LLDC": (13, Decimal("0.5417")),  # Nepal 4 + Bhutan 5 + Bhutan 4
        "SIDS": (1, Decimal("0.0417")),
    }
    bhutan = next(row for row in stats.rows if row.country.iso3 == "BTN")
    assert (bhutan.total, bhutan.groups) == (9, {"LLDC": 9, "LDC": 4})


def test_one_countrys_figures(mission_2022, countries):
    stats = participation_stats(as_of=as_of_now(), country=countries["BTN"])
    assert (stats.total, stats.activities, stats.group("LDC").participants) == (9, 2, 4)


def test_no_participant_gives_no_share(published_activity, country_groups):
    stats = participation_stats(as_of=as_of_now(), activities=[published_activity])
    assert stats.total == 0 and stats.women_share is None
    assert all(share.share is None for share in stats.groups)
