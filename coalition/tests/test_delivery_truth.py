"""Delivery told truthfully over a demo registry (issue 20): a pledge whose reporting closed is
never reminded nor inactive, whatever the day from 2026 to 2030; the four parts of the value
pledged add up to it for random past days, for the registry and each kind of place; and the
days alone move pledges between statuses in the stored tallies exactly as counting again does.
On SQLite and PostgreSQL."""

import csv
import datetime
import io
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from coalition.common.asof import as_of_date
from coalition.demo.generate import demo_generate
from coalition.entities.models import Entity
from coalition.explore import daily
from coalition.explore.figures import PARTS, reporting_statuses_from, value_parts
from coalition.explore.tallies import Scope, for_pages, tallies_count
from coalition.pledges.models import Campaign, Pledge, Status
from coalition.reference.models import Country, CountryGroup
from coalition.reference.testing import load_reference_fixture
from coalition.reporting.reminders import report_reminders_pending
from coalition.reporting.selectors import pledge_count_by_reporting_status, pledge_reporting_status
from coalition.reporting.status import CLOSED_STATUSES, ReportingStatus
from coalition.tests import builders

SEED = 20


@pytest.fixture
def demo(db):
    load_reference_fixture()
    demo_generate(pledges=300, seed=SEED)
    return daily.first_day()


def test_the_demo_has_completed_discontinued_and_ended_pledges(demo):
    today = timezone.localdate()
    statuses = pledge_count_by_reporting_status(Pledge.objects.filter(status=Status.PUBLISHED), today=today)
    assert statuses.get(ReportingStatus.COMPLETED, 0) > 0
    assert statuses.get(ReportingStatus.DISCONTINUED, 0) > 0
    assert statuses.get(ReportingStatus.ENDED, 0) > 0


def test_a_closed_pledge_is_never_reminded_nor_inactive_from_2026_to_2030(demo):
    published = list(Pledge.objects.filter(status=Status.PUBLISHED).select_related("lead_entity"))
    # Every lead entity gets a focal point with an account, so that any pledge could be reminded.
    for n, entity in enumerate(Entity.objects.filter(pk__in={p.lead_entity_id for p in published})):
        builders.make_focal_point(entity, f"focal{n}@example.org")
    reminded_any = False
    day = datetime.date(2026, 1, 1)
    while day <= datetime.date(2030, 12, 31):
        statuses = {p.pk: pledge_reporting_status(p, today=day) for p in published}
        closed = {pk for pk, status in statuses.items() if status in CLOSED_STATUSES}
        reminded = {reminder.pledge.pk for reminder in report_reminders_pending(today=day)}
        assert not reminded & closed, day
        reminded_any |= bool(reminded)
        counts = pledge_count_by_reporting_status(Pledge.objects.all(), today=day)
        inactive = {pk for pk, status in statuses.items() if status == ReportingStatus.INACTIVE}
        assert counts.get(ReportingStatus.INACTIVE, 0) == len(inactive) and not inactive & closed, day
        day += datetime.timedelta(days=73)
    assert reminded_any


def _places():
    return [None, Scope(country=Country.objects.get(iso3="KEN")), Scope(group=CountryGroup.objects.get(code="LDC")),
            Scope(entity=Entity.objects.filter(led_pledges__status=Status.PUBLISHED).order_by("pk").first()),
            Scope(campaign=Campaign.objects.filter(pledges__status=Status.PUBLISHED).order_by("pk").first())]


def test_the_four_parts_add_up_to_the_value_pledged_on_random_days(demo):
    rng = random.Random(SEED)
    span = (timezone.localdate() - demo).days
    places = _places()
    for day in sorted(demo + datetime.timedelta(days=rng.randrange(span)) for _ in range(6)):
        for scope in places:
            tallies = daily.tallies_for(as_of_date(day), scope)
            parts = value_parts(tallies)
            assert sum(getattr(parts, part) for part in PARTS) == parts.pledged == tallies.get("all").value_usd
            assert all(getattr(parts, part) >= 0 for part in PARTS), (day, scope)
            assert sum(parts.pledges[part] for part in PARTS[1:]) == tallies.get("all").pledges
    today = value_parts(daily.tallies_for(as_of_date(timezone.localdate())))
    assert today.delivered > 0 and today.to_deliver > 0 and today.at_risk > 0 and today.closed_undelivered > 0
    assert sum(value for _level, _label, value in today.by_level) == today.delivered


def test_the_days_alone_move_pledges_between_statuses_in_the_stored_tallies(demo):
    """A day counted from the one before applies the changes of status the days bring to the
    pledges nothing was written about: the same as counting it whole."""
    first = timezone.localdate() - datetime.timedelta(days=60)
    daily.days_count(first, timezone.localdate())
    moved = 0
    for n in range(1, 61):
        day = first + datetime.timedelta(days=n)
        stored = daily.tallies_for(as_of_date(day))
        assert stored.counts == for_pages(tallies_count(as_of_date(day))).counts, day
        moved += stored.of("standing") != daily.tallies_for(as_of_date(day - datetime.timedelta(days=1))).of("standing")
    assert moved > 0


def test_the_dashboard_and_its_csv_show_the_four_parts_adding_up_on_past_days(demo, client):
    rng = random.Random(SEED + 1)
    span = (timezone.localdate() - demo).days
    for day in sorted(demo + datetime.timedelta(days=rng.randrange(span)) for _ in range(3)):
        page = client.get(f"/dashboard/?as_of={day.isoformat()}")
        assert page.status_code == 200 and "Where the value pledged stands" in page.content.decode()
        answer = client.get(f"/dashboard/key-figures.csv?as_of={day.isoformat()}")
        rows = {name: value for name, value, _as_of in csv.reader(io.StringIO(answer.content.decode()))}
        parts = sum(Decimal(rows[f"value_usd_{part}"]) for part in PARTS)
        assert parts == Decimal(rows["estimated_value_usd"]), day


def test_the_api_key_figures_give_the_four_parts_and_the_statuses_of_the_day(demo, client):
    day = demo + datetime.timedelta(days=(timezone.localdate() - demo).days // 2)
    body = client.get(f"/api/v1/figures/?as_of={day.isoformat()}").json()
    assert [part["part"] for part in body["value_parts"]] == list(PARTS)
    assert sum(Decimal(part["value_usd"]) for part in body["value_parts"]) == Decimal(body["value_usd"])
    assert sum(body["reporting_statuses"].values()) == body["pledges"]
    assert body["reporting_statuses"] == reporting_statuses_from(daily.tallies_for(as_of_date(day)))
