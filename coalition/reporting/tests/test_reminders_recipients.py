import datetime

import pytest
from django.core import mail

from coalition.accounts.models import User
from coalition.accounts.services import notification_preferences_update
from coalition.entities.models import FocalPoint
from coalition.pledges.services import pledge_create, pledge_submit, pledge_transition
from coalition.reporting.reminders import report_reminders_send

PUBLISHED = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=datetime.UTC)
DUE_DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def published(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    return pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=PUBLISHED)


@pytest.fixture
def colleague(entity_a):
    """A second focal point of entity A, with an account and every notification on."""
    user = User.objects.create_user(email="colleague.a@example.org", password="x-Pass-123456")
    FocalPoint.objects.create(entity=entity_a, user=user, name="Colleague", email=user.email)
    return user


def test_every_focal_point_of_the_lead_entity_with_an_account_gets_one(published, pledger_a, entity_a, colleague):
    FocalPoint.objects.create(entity=entity_a, name="No account", email="no.account@example.org")

    report_reminders_send(today=DUE_DAY)

    assert sorted(m.to[0] for m in mail.outbox) == ["colleague.a@example.org", "focal.a@example.org"]


def test_a_focal_point_who_turned_reminders_off_gets_none(published, pledger_a, colleague):
    notification_preferences_update(actor=pledger_a, user=pledger_a, report_reminder=False)

    assert [r.recipient for r in report_reminders_send(today=DUE_DAY)] == [colleague]
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_turning_other_notifications_off_keeps_reminders(published, pledger_a):
    notification_preferences_update(actor=pledger_a, user=pledger_a, review_decision=False, access_request=False)

    assert len(report_reminders_send(today=DUE_DAY)) == 1


def test_people_who_are_not_focal_points_of_the_lead_entity_get_none(
    published, pledger_b, member_state_focal, reviewer, administrator, pledger_a
):
    report_reminders_send(today=DUE_DAY)

    assert [m.to for m in mail.outbox] == [[pledger_a.email]]


def test_an_inactive_account_gets_none(published, pledger_a, colleague):
    pledger_a.is_active = False
    pledger_a.save()

    assert [r.recipient for r in report_reminders_send(today=DUE_DAY)] == [colleague]


def test_the_reminder_is_written_in_the_recipients_language(published, pledger_a):
    pledger_a.preferred_language = "fr"
    pledger_a.save()

    report_reminders_send(today=DUE_DAY)

    assert mail.outbox[0].to == [pledger_a.email]
    assert mail.outbox[0].body.startswith("Bonjour")
