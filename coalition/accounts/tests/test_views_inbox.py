"""The inbox: a person's notifications, the unread count in the header, opening and marking read."""

import pytest
from django.urls import reverse

from coalition.accounts.models import Notification


@pytest.fixture
def notified(pledger_a, reviewer):
    return [
        Notification.objects.create(recipient=pledger_a, kind="review_decision", actor=reviewer,
                                    title="Changes requested on your pledge: Schools", body="Which counties?",
                                    url="/pledges/1/preview/"),
        Notification.objects.create(recipient=pledger_a, kind="comment", title="New comment on the pledge: Schools",
                                    url="/pledges/1/preview/"),
    ]


def test_the_header_counts_unread_notifications(client, pledger_a, notified):
    client.force_login(pledger_a)

    header = client.get(reverse("accounts:home")).text
    assert '<span class="inbox-link__count">2<span class="visually-hidden"> unread</span></span>' in header


def test_the_inbox_lists_them_newest_first_with_the_comment(client, pledger_a, notified):
    client.force_login(pledger_a)

    page = client.get(reverse("accounts:inbox")).text

    assert page.index("New comment on the pledge") < page.index("Changes requested on your pledge")
    assert "Which counties?" in page


def test_opening_one_marks_it_read_and_leads_where_to_act(client, pledger_a, notified):
    client.force_login(pledger_a)

    response = client.get(reverse("accounts:inbox_open", args=[notified[0].pk]))

    assert response["Location"] == "/pledges/1/preview/"
    notified[0].refresh_from_db()
    assert notified[0].read_at is not None
    assert '<span class="inbox-link__count">1<span' in client.get(reverse("accounts:home")).text


def test_mark_all_read(client, pledger_a, notified):
    client.force_login(pledger_a)

    client.post(reverse("accounts:inbox"))

    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found_and_stays_unread(client, pledger_b, notified):
    client.force_login(pledger_b)

    assert client.get(reverse("accounts:inbox_open", args=[notified[0].pk])).status_code == 404
    assert client.post(reverse("accounts:inbox")).status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert "Which counties?" not in client.get(reverse("accounts:inbox")).text


def test_anonymous_visitors_are_sent_to_sign_in(client, notified):
    assert client.get(reverse("accounts:inbox"))["Location"].startswith("/account/login/")
    assert client.get(reverse("accounts:inbox_open", args=[notified[0].pk]))["Location"].startswith("/account/login/")
