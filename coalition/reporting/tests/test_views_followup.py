import datetime

import pytest
from django.core import mail

from coalition.accounts.models import SentNotification
from coalition.pledges.services import pledge_create, pledge_submit, pledge_transition
from coalition.reporting.views import followup as views_followup

# Published long enough ago to be overdue, whatever today is when the tests run.
PUBLISHED = datetime.datetime(2020, 3, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def overdue(pledger_a, reviewer, pledge_data, settings):
    settings.COALITION_REPORT_INACTIVE_AFTER_DAYS = 100_000
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    return pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=PUBLISHED)


@pytest.mark.parametrize("persona", ["pledger_a", "pledger_b", "member_state_focal"])
def test_the_follow_up_page_and_send_button_refuse_non_reviewers(client, persona, request, overdue):
    client.force_login(request.getfixturevalue(persona))

    assert client.get("/review/follow-up/").status_code == 403
    assert client.post("/review/follow-up/send/").status_code == 403
    assert mail.outbox == []


def test_anonymous_visitors_are_sent_to_sign_in(client, overdue):
    assert client.get("/review/follow-up/")["Location"].startswith("/account/login/")
    assert client.post("/review/follow-up/send/")["Location"].startswith("/account/login/")
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_the_secretariat_sees_what_is_overdue_by_entity_with_contacts(client, persona, request, overdue):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/review/follow-up/")

    assert response.status_code == 200
    assert "As of" in response.text
    assert "Ministry of ICT, Kenya" in response.text and overdue.title in response.text
    assert "focal.a@example.org" in response.text
    assert response.context["overview"].counts == {"due": 0, "overdue": 1, "inactive": 0}


def test_the_status_filter_narrows_the_list(client, reviewer, overdue):
    client.force_login(reviewer)

    response = client.get("/review/follow-up/", {"status": "due"})

    assert response.status_code == 200
    assert '<option value="due" selected>' in response.text
    assert "No pledge is due, overdue or inactive." in response.text
    assert overdue.title not in response.text
    assert response.context["overview"].counts["overdue"] == 1


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_send_reminders_now_sends_them_and_the_page_shows_when(client, persona, request, overdue, pledger_a):
    client.force_login(request.getfixturevalue(persona))

    response = client.post("/review/follow-up/send/", follow=True)

    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [[pledger_a.email]]
    sent = SentNotification.objects.get()
    assert response.context["overview"].entities[0].pledges[0].last_reminder == sent


def test_the_send_button_only_answers_post(client, reviewer):
    client.force_login(reviewer)

    assert client.get("/review/follow-up/send/").status_code == 405


def test_the_header_links_reviewers_to_the_follow_up(client, reviewer, pledger_a):
    client.force_login(pledger_a)
    home = client.get("/")
    assert home.status_code == 200 and 'action="/account/logout/"' in home.text
    assert 'href="/review/follow-up/"' not in home.text
    client.force_login(reviewer)
    assert 'href="/review/follow-up/"' in client.get("/").text


def test_the_follow_up_page_takes_the_same_number_of_queries_for_more_pledges(
    client, reviewer, overdue, pledger_a, pledge_data, django_assert_max_num_queries
):
    client.force_login(reviewer)
    client.get("/review/follow-up/")
    for n in range(3):
        pledge = pledge_create(actor=pledger_a, data={**pledge_data, "title": f"Pledge {n}"})
        pledge_submit(actor=pledger_a, pledge=pledge)
        pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=PUBLISHED)

    with django_assert_max_num_queries(12):
        response = client.get("/review/follow-up/")

    assert response.context["overview"].counts["overdue"] == 4


def test_the_list_is_paged_by_entity_and_the_counts_cover_every_page(
    client, reviewer, overdue, pledger_b, entity_b, pledge_data, monkeypatch
):
    pledge = pledge_create(actor=pledger_b, data={**pledge_data, "lead_entity": entity_b, "title": "Telecom hotspots"})
    pledge_submit(actor=pledger_b, pledge=pledge)
    pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=PUBLISHED)
    client.force_login(reviewer)

    first = client.get("/review/follow-up/", {"status": "overdue"})
    monkeypatch.setattr(views_followup, "ENTITIES_PER_PAGE", 1)
    page_one = client.get("/review/follow-up/", {"status": "overdue"})
    page_two = client.get("/review/follow-up/", {"status": "overdue", "page": 2})

    assert [row.entity for row in first.context["overview"].entities] == [entity_b, overdue.lead_entity]
    assert [row.entity for row in page_one.context["overview"].entities] == [entity_b]
    assert [row.entity for row in page_two.context["overview"].entities] == [overdue.lead_entity]
    assert page_two.context["overview"].counts["overdue"] == 2
    assert "status=overdue&amp;page=1" in page_two.text
