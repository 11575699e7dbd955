"""A small action plan for the tests of activities, participations and national measures: one
plan with a pillar and two actions, a working-group lead, a second country focal point (Nepal)
and helpers that record and publish through the services.
"""

import datetime

import pytest
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint, User
from coalition.actionplan.models import Action, Pillar, Plan, WorkingGroupLead
from coalition.actionplan.services.activities import (
    activity_create,
    activity_move,
    participation_move,
    participation_record,
)
from coalition.tests.builders import PASSWORD

__all__ = ["plan", "actions", "wg_lead", "focal_npl", "activity_data", "published_activity",
           "record_activity", "publish_participation"]


@pytest.fixture
def plan(other_initiative):
    plan = Plan.objects.create(initiative=other_initiative, slug="ap-is-2022-2026", name_en="AP-IS Action Plan 2022–2026",
                               short_name="AP-IS 2022–2026", start_year=2022, end_year=2026)
    Pillar.objects.create(plan=plan, code="P1", name_en="Connectivity for all", working_group_en="Connectivity for All")
    Pillar.objects.create(plan=plan, code="P3", name_en="Digital data", working_group_en="Digital Data")
    return plan


@pytest.fixture
def actions(plan):
    p1, p3 = plan.pillars.order_by("code")
    return {
        "1.1": Action.objects.create(plan=plan, pillar=p1, code="1.1", title_en="Broadband mapping", illustrative=True),
        "3.1": Action.objects.create(plan=plan, pillar=p3, code="3.1", title_en="Data governance", illustrative=True),
    }


@pytest.fixture
def wg_lead(plan, administrator):
    """The lead of pillar P1's working group."""
    user = User.objects.create_user(email="wg.lead@example.org", password=PASSWORD)
    WorkingGroupLead.objects.create(pillar=plan.pillars.get(code="P1"), user=user, appointed_by=administrator,
                                    appointed_at=timezone.now())
    return user


@pytest.fixture
def focal_npl(countries, administrator):
    """A member-state focal point for Nepal (an LDC and LLDC in the test groups)."""
    user = User.objects.create_user(email="nepal.focal@example.org", password=PASSWORD)
    CountryFocalPoint.objects.create(user=user, country=countries["NPL"], approved_by=administrator,
                                     approved_at=timezone.now())
    return user


@pytest.fixture
def activity_data(countries, entity_a, actions):
    """A complete, valid set of activity fields as a form hands them to the services."""
    return {
        "kind": "workshop", "title": "Regional workshop on broadband mapping",
        "description": "Two days on mapping infrastructure and demand.",
        "start_date": datetime.date(2024, 3, 5), "end_date": datetime.date(2024, 3, 6),
        "place": "Bangkok", "host_country": None, "online": True,
        "organisers": [entity_a], "partners": [], "countries": [countries["NPL"], countries["BTN"]],
        "actions": [actions["1.1"]], "framework_nodes": [], "outputs": "A mapping toolkit.",
    }


def record_activity(author, reviewer, data, *, publish=True):
    """An activity recorded by `author`, submitted, and published by `reviewer` (unless `publish` is false)."""
    activity = activity_create(actor=author, data=data)
    if publish:
        activity_move(actor=author, activity=activity, action="submit")
        activity_move(actor=reviewer, activity=activity, action="publish")
    activity.refresh_from_db()
    return activity


@pytest.fixture
def published_activity(reviewer, activity_data):
    return record_activity(reviewer, reviewer, activity_data)


def publish_participation(author, reviewer, activity, country, *, women=0, men=0, other=0):
    """A participation recorded by `author`, submitted, and published by `reviewer`."""
    participation = participation_record(actor=author, activity=activity, data={
        "country": country, "women": women, "men": men, "other": other})
    participation_move(actor=author, participation=participation, action="submit")
    return participation_move(actor=reviewer, participation=participation, action="publish")
