import pytest
from django.core.exceptions import PermissionDenied

from coalition.accounts.models import NotificationKind, NotificationPreferences
from coalition.accounts.selectors import notification_preferences_of, user_wants_email
from coalition.accounts.services import notification_preferences_update


def test_every_notification_is_on_until_the_person_changes_it(pledger_a):
    assert all(user_wants_email(user=pledger_a, kind=kind) for kind in NotificationKind.values)
    assert not NotificationPreferences.objects.exists()


def test_the_page_shows_my_saved_preferences_from_my_account(client, pledger_a):
    notification_preferences_update(actor=pledger_a, user=pledger_a, report_reminder=False)
    client.force_login(pledger_a)

    assert 'href="/account/notifications/"' in client.get("/account/").text
    response = client.get("/account/notifications/")
    assert response.status_code == 200
    assert '<input type="checkbox" name="report_reminder" id="id_report_reminder">' in response.text
    assert '<input type="checkbox" name="review_decision" id="id_review_decision" checked>' in response.text
    assert response.text.count("checked>") == 4


def test_a_user_turns_report_reminders_off_for_themselves_only(client, pledger_a, pledger_b):
    client.force_login(pledger_a)

    response = client.post("/account/notifications/", {"review_decision": "on", "access_request": "on"})

    assert response.status_code == 302
    mine = notification_preferences_of(user=pledger_a)
    assert (mine.report_reminder, mine.review_decision, mine.access_request) == (False, True, True)
    assert user_wants_email(user=pledger_b, kind=NotificationKind.REPORT_REMINDER)
    assert not NotificationPreferences.objects.filter(user=pledger_b).exists()


def test_nobody_changes_someone_elses_preferences(pledger_a, pledger_b, administrator):
    for actor in (pledger_b, administrator):
        with pytest.raises(PermissionDenied):
            notification_preferences_update(actor=actor, user=pledger_a, report_reminder=False)
    assert user_wants_email(user=pledger_a, kind=NotificationKind.REPORT_REMINDER)


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/account/notifications/")["Location"].startswith("/account/login/")
    assert client.post("/account/notifications/", {})["Location"].startswith("/account/login/")
