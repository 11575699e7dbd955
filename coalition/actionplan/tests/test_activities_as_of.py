"""The plan's record as of a date: what was published then, read from the dated versions."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from coalition.actionplan.selectors.activities import (
    activities_published,
    country_activities,
    country_measures,
    country_participations,
    measures_published,
    participation_stats,
)
from coalition.actionplan.services.activities import activity_move, participation_move
from coalition.actionplan.services.measures import measure_create, measure_move
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.actionplan.tests.activity_fixtures import publish_participation, record_activity
from coalition.common.asof import as_of_date, as_of_now

pytestmark = pytest.mark.django_db


def _yesterday():
    return as_of_date(timezone.localdate() - datetime.timedelta(days=1))


@pytest.fixture
def measure(country_focal, reviewer, countries):
    measure = measure_create(actor=country_focal, data={
        "country": countries["KEN"], "kind": "policy", "title": "National broadband plan adopted",
        "description": "Sets 2030 targets.", "adopted_on": datetime.date(2024, 5, 1)})
    measure_move(actor=country_focal, measure=measure, action="submit")
    return measure_move(actor=reviewer, measure=measure, action="publish")


def test_published_today_is_absent_as_of_yesterday(published_activity, country_focal, reviewer, countries, measure):
    publish_participation(country_focal, reviewer, published_activity, countries["KEN"], women=2)
    today, yesterday = as_of_now(), _yesterday()
    assert list(activities_published(as_of=today)) == [published_activity]
    assert list(activities_published(as_of=yesterday)) == []
    assert [p.country.iso3 for p in country_participations(country=countries["KEN"], as_of=today)] == ["KEN"]
    assert list(country_participations(country=countries["KEN"], as_of=yesterday)) == []
    assert list(country_measures(country=countries["KEN"], as_of=today)) == [measure]
    assert list(country_measures(country=countries["KEN"], as_of=yesterday)) == []
    assert participation_stats(as_of=today).total == 2 and participation_stats(as_of=yesterday).total == 0


def test_a_withdrawn_activity_counts_while_it_was_published(reviewer, activity_data, countries, country_focal):
    with time_machine.travel(datetime.datetime(2025, 1, 10, 9, tzinfo=datetime.UTC), tick=False):
        activity = record_activity(reviewer, reviewer, activity_data)
        publish_participation(country_focal, reviewer, activity, countries["KEN"], men=3)
    with time_machine.travel(datetime.datetime(2025, 2, 10, 9, tzinfo=datetime.UTC), tick=False):
        activity_move(actor=reviewer, activity=activity, action="withdraw")
    between, before = as_of_date(datetime.date(2025, 1, 20)), as_of_date(datetime.date(2025, 1, 9))
    assert list(activities_published(as_of=between)) == [activity]
    assert list(activities_published(as_of=before)) == []
    assert list(activities_published(as_of=as_of_now())) == []
    assert participation_stats(as_of=between).total == 3
    assert participation_stats(as_of=as_of_now()).total == 0  # its activity is withdrawn


def test_a_withdrawn_participation_leaves_the_figures_from_then_on(published_activity, country_focal, reviewer,
                                                                    countries):
    participation = publish_participation(country_focal, reviewer, published_activity, countries["KEN"], men=3)
    participation_move(actor=country_focal, participation=participation, action="withdraw")
    assert participation_stats(as_of=as_of_now()).total == 0


def test_drafts_and_submissions_are_never_published(reviewer, activity_data, country_focal, countries):
    record_activity(reviewer, reviewer, activity_data, publish=False)
    measure = measure_create(actor=country_focal, data={"country": countries["KEN"], "kind": "law", "title": "Draft",
                                                        "description": "A bill."})
    measure_move(actor=country_focal, measure=measure, action="submit")
    assert not activities_published(as_of=as_of_now()).exists()
    assert not measures_published(as_of=as_of_now()).exists()


def test_activities_filter_by_kind_country_action_and_year(reviewer, activity_data, countries, actions, country_focal):
    workshop = record_activity(reviewer, reviewer, activity_data)  # 2024, for Nepal and Bhutan, action 1.1
    study = record_activity(reviewer, reviewer, {
        **activity_data, "kind": "study", "title": "Study", "countries": [], "host_country": countries["FRA"],
        "actions": [actions["3.1"]], "start_date": datetime.date(2023, 11, 1), "end_date": datetime.date(2024, 2, 1)})
    training = record_activity(reviewer, reviewer, {
        **activity_data, "kind": "training", "title": "Training", "countries": [], "start_date": datetime.date(2022, 5, 1),
        "end_date": None})
    publish_participation(country_focal, reviewer, training, countries["KEN"], women=1)
    now = as_of_now()
    assert set(activities_published(as_of=now, kind="study")) == {study}
    assert set(activities_published(as_of=now, country=countries["NPL"])) == {workshop}
    assert set(activities_published(as_of=now, country=countries["FRA"])) == {study}  # its host
    assert set(country_activities(country=countries["KEN"], as_of=now)) == {training}  # took part
    assert set(activities_published(as_of=now, action=actions["3.1"])) == {study}
    assert set(activities_published(as_of=now, year=2024)) == {workshop, study}  # the study runs into 2024
    assert set(activities_published(as_of=now, year=2022)) == {training}
