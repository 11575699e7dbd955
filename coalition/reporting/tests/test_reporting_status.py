import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.pledges.models import Pledge
from coalition.pledges.services import pledge_create, pledge_submit, pledge_transition, pledge_withdraw
from coalition.reporting.selectors import (
    pledge_count_by_reporting_status,
    pledge_list_with_reporting_status,
    pledge_reporting_status,
    reports_due_by_entity,
)
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.reporting.status import ReportingStatus, reporting_status

PUBLISHED = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=datetime.UTC)
DAY0 = datetime.date(2024, 3, 1)


def days(n: int) -> datetime.date:
    return DAY0 + datetime.timedelta(days=n)


def _publish(pledger, reviewer, data, *, at=PUBLISHED, title=None):
    pledge = pledge_create(actor=pledger, data={**data, "title": title or data["title"]})
    pledge_submit(actor=pledger, pledge=pledge)
    return pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=at)


@pytest.fixture
def published(pledger_a, reviewer, pledge_data):
    """A pledge with no end date: its yearly clock runs for ever (the end date's rules are in
    test_reporting_closure.py)."""
    return _publish(pledger_a, reviewer, {**pledge_data, "end_date": None})


def _accepted_report(pledge, pledger, reviewer, *, submitted_at, year):
    target = pledge.targets.get()
    report = report_create(
        actor=pledger,
        pledge=pledge,
        data={
            "period_end": datetime.date(year, 12, 31),
            "implementation_status": "on_track",
            "share_delivered": Decimal("40"),
            "narrative": "120 schools connected.",
            "targets": [{"target": target, "actual_value": Decimal("120")}],
        },
    )
    report_submit(actor=pledger, report=report, at=submitted_at)
    return report_accept(actor=reviewer, report=report, verification_level="documented",
                         at=submitted_at + datetime.timedelta(days=20))


def _annotated(pledge, today):
    return pledge_list_with_reporting_status(today=today, queryset=Pledge.objects.all()).get(pk=pledge.pk).reporting_status


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, ReportingStatus.ON_TIME),
        (364, ReportingStatus.ON_TIME),
        (365, ReportingStatus.DUE),
        (729, ReportingStatus.DUE),
        (730, ReportingStatus.OVERDUE),
        (1094, ReportingStatus.OVERDUE),
        (1095, ReportingStatus.INACTIVE),
        (4000, ReportingStatus.INACTIVE),
    ],
)
def test_the_status_changes_on_the_boundary_day(published, age, expected):
    assert reporting_status(published, today=days(age)) == expected
    assert _annotated(published, days(age)) == expected


def test_the_periods_come_from_the_settings(published, settings):
    settings.COALITION_REPORT_DUE_AFTER_DAYS = 180
    settings.COALITION_REPORT_OVERDUE_AFTER_DAYS = 270
    settings.COALITION_REPORT_INACTIVE_AFTER_DAYS = 400

    for age, expected in [(179, "on_time"), (180, "due"), (269, "due"), (270, "overdue"), (399, "overdue"),
                          (400, "inactive")]:
        assert reporting_status(published, today=days(age)) == expected
        assert _annotated(published, days(age)) == expected


def test_an_accepted_report_restarts_the_clock_from_its_submission(published, pledger_a, reviewer):
    submitted = PUBLISHED + datetime.timedelta(days=400)
    _accepted_report(published, pledger_a, reviewer, submitted_at=submitted, year=2024)
    restart = DAY0 + datetime.timedelta(days=400)

    for offset, expected in [(364, "on_time"), (365, "due"), (730, "overdue"), (1095, "inactive")]:
        today = restart + datetime.timedelta(days=offset)
        assert pledge_reporting_status(published, today=today) == expected
        assert _annotated(published, today) == expected


def test_the_counts_by_status_follow_the_same_rule_as_each_pledges_status(published, pledger_a, reviewer, pledge_data):
    _accepted_report(published, pledger_a, reviewer, submitted_at=PUBLISHED + datetime.timedelta(days=400), year=2024)
    _publish(pledger_a, reviewer, pledge_data, title="Never reported")
    _publish(pledger_a, reviewer, pledge_data, at=PUBLISHED + datetime.timedelta(days=500), title="Published later")
    pledge_create(actor=pledger_a, data=pledge_data)  # a draft: no status, not counted

    for offset in (0, 364, 365, 500, 800, 865, 1200, 1500, 2000):
        today = days(offset)
        statuses = [_annotated(p, today) for p in Pledge.objects.all()]
        expected = {s: statuses.count(s) for s in set(statuses) if s}
        assert pledge_count_by_reporting_status(Pledge.objects.all(), today=today) == expected, offset


def test_a_submitted_but_not_accepted_report_does_not_restart_the_clock(published, pledger_a):
    report = report_create(
        actor=pledger_a, pledge=published,
        data={"period_end": datetime.date(2024, 12, 31), "implementation_status": "on_track",
              "share_delivered": "10", "narrative": "Started.",
              "targets": [{"target": published.targets.get(), "actual_value": "5"}]},
    )
    report_submit(actor=pledger_a, report=report, at=PUBLISHED + datetime.timedelta(days=300))

    assert pledge_reporting_status(published, today=days(365)) == "due"
    assert _annotated(published, days(365)) == "due"


def test_unpublished_and_withdrawn_pledges_have_no_reporting_status(published, pledger_a, pledge_data):
    draft = pledge_create(actor=pledger_a, data={**pledge_data, "title": "Still a draft"})
    assert reporting_status(draft, today=days(900)) is None
    assert _annotated(draft, days(900)) is None

    pledge_withdraw(actor=pledger_a, pledge=published)
    published.refresh_from_db()
    assert reporting_status(published, today=days(900)) is None
    assert _annotated(published, days(900)) is None


def test_the_status_list_takes_the_same_queries_for_one_pledge_or_many(pledger_a, reviewer, pledge_data):
    _publish(pledger_a, reviewer, pledge_data, title="First")
    with CaptureQueriesContext(connection) as one:
        rows = [(p.title, p.lead_entity.name, p.initiative.short_name, p.reporting_status)
                for p in pledge_list_with_reporting_status(today=days(400))]
    assert len(rows) == 1
    for n in range(5):
        _publish(pledger_a, reviewer, pledge_data, title=f"Pledge {n}",
                 at=PUBLISHED + datetime.timedelta(days=100 * n))
    with CaptureQueriesContext(connection) as many:
        rows = [(p.title, p.lead_entity.name, p.initiative.short_name, p.reporting_status)
                for p in pledge_list_with_reporting_status(today=days(400))]
    assert len(rows) == 6
    assert len(many.captured_queries) == len(one.captured_queries) == 1


def test_the_secretariat_sees_what_is_due_and_overdue_by_entity(
    pledger_a, pledger_b, reviewer, pledge_data, entity_a, entity_b
):
    old = _publish(pledger_a, reviewer, pledge_data, title="Old", at=PUBLISHED - datetime.timedelta(days=400))
    due = _publish(pledger_a, reviewer, pledge_data, title="Due")
    _publish(pledger_a, reviewer, pledge_data, title="Recent", at=PUBLISHED + datetime.timedelta(days=200))
    other = _publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b}, title="B's")

    with CaptureQueriesContext(connection) as queries:
        follow_up = reports_due_by_entity(today=days(365))

    assert [row.entity for row in follow_up] == [entity_b, entity_a]  # by name: Connect…, Ministry…
    assert follow_up[0].due == [other] and follow_up[0].overdue == []
    assert follow_up[1].due == [due] and follow_up[1].overdue == [old]
    assert len(queries.captured_queries) == 1
    assert Pledge.objects.count() == 4


def test_publishing_a_revision_does_not_restart_the_clock(pledger_a, reviewer, published):
    from coalition.pledges.content import revision_data_load
    from coalition.pledges.services import revision_publish, revision_start, revision_submit, revision_update

    assert pledge_reporting_status(published, today=days(400)) == ReportingStatus.DUE
    revision = revision_start(actor=pledger_a, pledge=published, reason="More schools.")
    revision_update(actor=pledger_a, revision=revision,
                    data={**revision_data_load(revision.data), "title": "Connect 800 rural schools"})
    revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_a, revision=revision))

    pledge = Pledge.objects.get(pk=published.pk)
    assert pledge.title == "Connect 800 rural schools"
    assert pledge_reporting_status(pledge, today=days(400)) == ReportingStatus.DUE
