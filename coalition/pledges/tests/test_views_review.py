"""The secretariat's review queue and review page: filters, decisions, and who may use them."""

import pytest
from django.urls import reverse

from coalition.pledges.models import PledgeTransition, Status
from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit


@pytest.fixture
def submitted(pledger_a, pledge_data):
    return pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data=pledge_data))


@pytest.mark.parametrize("persona", ["pledger_a", "pledger_b", "member_state_focal"])
def test_only_reviewers_see_the_queue_and_decide(client, submitted, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("pledges:review_queue")).status_code == 403
    assert client.get(reverse("pledges:review_detail", args=[submitted.pk])).status_code == 403
    response = client.post(reverse("pledges:review_detail", args=[submitted.pk]), {"action": "publish"})

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_anonymous_visitors_are_sent_to_sign_in(client, submitted):
    assert client.get(reverse("pledges:review_queue")).status_code == 302


def test_the_queue_lists_waiting_pledges_and_filters_by_assignment(client, reviewer, submitted, pledger_a, pledge_data):
    draft = pledge_create(actor=pledger_a, data={**pledge_data, "title": "Still a draft"})
    client.force_login(reviewer)

    everyone = client.get(reverse("pledges:review_queue"))
    mine = client.get(reverse("pledges:review_queue"), {"assigned": "me"})

    assert everyone.status_code == 200 and mine.status_code == 200
    assert submitted.title in everyone.text and draft.title not in everyone.text
    assert '<option value="me" selected>' in mine.text and "Nothing is waiting for review." in mine.text
    assert submitted.title not in mine.text


def test_a_reviewer_assigns_the_pledge_to_themself_and_publishes_it(client, reviewer, submitted):
    client.force_login(reviewer)
    url = reverse("pledges:review_detail", args=[submitted.pk])

    client.post(url, {"action": "assign_me"})
    client.post(url, {"action": "publish", "comment": ""})

    submitted.refresh_from_db()
    assert submitted.assigned_to == reviewer
    assert submitted.status == Status.PUBLISHED


def test_requesting_changes_without_a_comment_is_refused_on_the_comment_field(client, reviewer, submitted):
    client.force_login(reviewer)

    response = client.post(reverse("pledges:review_detail", args=[submitted.pk]), {"action": "request_changes"})

    assert "comment" in response.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not PledgeTransition.objects.filter(action="request_changes").exists()


def test_the_review_page_hints_at_a_likely_duplicate(client, reviewer, pledger_a, pledge_data, submitted):
    twin = pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data={
        **pledge_data, "title": "Connect 500 rural schools!"}))
    unrelated = pledge_create(actor=pledger_a, data={**pledge_data, "title": "Train 2,000 teachers in digital skills"})
    pledge_submit(actor=pledger_a, pledge=unrelated)
    client.force_login(reviewer)

    response = client.get(reverse("pledges:review_detail", args=[twin.pk]))

    assert "Possible duplicate" in response.text
    assert [p.pk for p in response.context["duplicates"]] == [submitted.pk]


def test_a_published_pledge_shows_no_decision_buttons(client, reviewer, submitted):
    pledge_publish(actor=reviewer, pledge=submitted)
    client.force_login(reviewer)

    response = client.get(reverse("pledges:review_detail", args=[submitted.pk]))

    assert response.status_code == 200
    assert '<span class="badge">Published</span>' in response.text
    assert response.context["actions"] == []
    assert 'name="action"' not in response.text


def test_a_reviewer_cannot_withdraw_a_published_pledge_from_the_review_page(client, reviewer, published):
    client.force_login(reviewer)

    response = client.post(reverse("pledges:review_detail", args=[published.pk]), {"action": "withdraw"})

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert not published.transitions.filter(action="withdraw").exists()


def test_a_reviewer_cannot_submit_an_entitys_draft_from_the_review_page(client, reviewer, pledger_a, pledge_data):
    draft = pledge_create(actor=pledger_a, data=pledge_data)
    client.force_login(reviewer)

    response = client.post(reverse("pledges:review_detail", args=[draft.pk]), {"action": "submit"})

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_review_page_offers_only_the_reviewers_decisions(client, reviewer, submitted, published):
    client.force_login(reviewer)

    waiting = client.get(reverse("pledges:review_detail", args=[submitted.pk]))
    done = client.get(reverse("pledges:review_detail", args=[published.pk]))

    assert waiting.status_code == 200 and done.status_code == 200
    assert [a.value for a in waiting.context["actions"]] == ["start_review", "publish", "request_changes", "reject"]
    assert done.context["actions"] == []
    assert 'value="withdraw"' not in done.text


def test_a_reviewer_is_not_given_the_edit_form_of_a_rejected_pledge(client, reviewer, submitted):
    from coalition.pledges.services import pledge_reject

    pledge_reject(actor=reviewer, pledge=submitted, comment="Out of scope.")
    client.force_login(reviewer)

    page = client.get(reverse("pledges:edit", args=[submitted.pk, "basics"]))
    save = client.post(reverse("pledges:edit", args=[submitted.pk, "basics"]), {"title": "Changed"})

    assert page.status_code == 302 and page["Location"] == reverse("pledges:preview", args=[submitted.pk])
    assert save.status_code == 302
    submitted.refresh_from_db()
    assert submitted.title == "Connect 500 rural schools" and submitted.status == Status.REJECTED
