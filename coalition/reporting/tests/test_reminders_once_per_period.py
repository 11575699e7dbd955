import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from coalition.accounts.models import NotificationKind, SentNotification
from coalition.pledges.services import pledge_create, pledge_submit, pledge_transition
from coalition.reporting.reminders import report_reminders_pending, report_reminders_send
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.reporting.tasks import send_report_reminders

PUBLISHED = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=datetime.UTC)
DAY0 = datetime.date(2024, 3, 1)


def days(n: int) -> datetime.date:
    return DAY0 + datetime.timedelta(days=n)


@pytest.fixture
def published(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    return pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=PUBLISHED)


def test_nothing_is_sent_while_the_pledge_is_on_time(published):
    assert report_reminders_send(today=days(364)) == []
    assert mail.outbox == []


def test_the_due_reminder_goes_out_once_when_the_task_runs_twice(published, pledger_a):
    first = send_report_reminders.enqueue(today=days(365).isoformat())
    second = send_report_reminders.enqueue(today=days(400).isoformat())

    assert (first.return_value, second.return_value) == (1, 0)
    assert [m.to for m in mail.outbox] == [[pledger_a.email]]
    assert "due" in mail.outbox[0].subject and published.title in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/pledges/mine/" in mail.outbox[0].body
    row = SentNotification.objects.get()
    assert (row.kind, row.recipient, row.object_key, row.period_key) == (
        NotificationKind.REPORT_REMINDER, pledger_a, f"pledge:{published.pk}", "due:2024-03-01"
    )


def test_two_racing_runs_send_the_reminder_once(published):
    # Both runs saw the reminder as pending before either sent it.
    first_view = report_reminders_pending(today=days(365))
    second_view = report_reminders_pending(today=days(365))
    from coalition.reporting.reminders import report_reminder_send

    results = [report_reminder_send(reminder=r) for r in first_view + second_view]

    assert results == [True, False]
    assert len(mail.outbox) == 1


def test_the_log_refuses_a_second_row_for_the_same_period(published, pledger_a):
    report_reminders_send(today=days(365))

    with pytest.raises(IntegrityError), transaction.atomic():
        SentNotification.objects.create(
            kind=NotificationKind.REPORT_REMINDER, recipient=pledger_a,
            object_key=f"pledge:{published.pk}", period_key="due:2024-03-01",
        )


def test_the_overdue_reminder_follows_the_due_one_once(published):
    report_reminders_send(today=days(365))
    report_reminders_send(today=days(730))
    report_reminders_send(today=days(800))

    assert len(mail.outbox) == 2
    assert "overdue" in mail.outbox[1].subject
    assert sorted(SentNotification.objects.values_list("period_key", flat=True)) == [
        "due:2024-03-01", "overdue:2024-03-01",
    ]


def test_an_inactive_pledge_gets_no_reminder(published):
    assert report_reminders_send(today=days(1095)) == []


def test_a_new_cycle_after_an_accepted_report_allows_a_new_reminder(published, pledger_a, reviewer):
    report_reminders_send(today=days(365))
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": datetime.date(2024, 12, 31), "implementation_status": "on_track",
        "share_delivered": Decimal("40"), "narrative": "120 schools connected.",
        "targets": [{"target": published.targets.get(), "actual_value": Decimal("120")}],
    })
    submitted = datetime.datetime(2025, 4, 1, 9, 0, tzinfo=datetime.UTC)
    report_submit(actor=pledger_a, report=report, at=submitted)
    report_accept(actor=reviewer, report=report, verification_level="documented",
                  at=submitted + datetime.timedelta(days=10))

    assert report_reminders_send(today=datetime.date(2026, 3, 31)) == []  # on time again
    sent = report_reminders_send(today=datetime.date(2026, 4, 1))

    assert [r.period_key for r in sent] == ["due:2025-04-01"]
    assert len(mail.outbox) == 2


def test_the_overdue_reminder_says_when_the_pledge_goes_inactive(published):
    report_reminders_send(today=days(730))

    assert "overdue" in mail.outbox[0].subject
    assert "1 March 2024" in mail.outbox[0].body and "29 February 2027" not in mail.outbox[0].body
    assert "1 March 2027" in mail.outbox[0].body
