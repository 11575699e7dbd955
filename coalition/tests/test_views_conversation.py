"""The conversation on the pages: who sees and posts it, and where a comment leads back to."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.pledges.models import Comment
from coalition.pledges.services import pledge_create, pledge_request_changes, pledge_submit
from coalition.reporting.services import report_create, report_submit


@pytest.fixture
def returned(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    return pledge_request_changes(actor=reviewer, pledge=pledge, comment="Which counties?")


def test_the_pledger_answers_from_the_pledge_page_and_comes_back_to_it(client, pledger_a, returned):
    client.force_login(pledger_a)
    preview = reverse("pledges:preview", args=[returned.pk])

    response = client.post(reverse("pledges:discussion", args=[returned.pk]),
                           {"body": "Turkana and Marsabit.", "next": preview})

    assert response.status_code == 302
    assert response["Location"] == preview + "#conversation"
    page = client.get(preview).text
    assert "Turkana and Marsabit." in page
    assert 'id="conversation"' in page


def test_the_reviewer_reads_the_thread_on_the_review_page(client, reviewer, pledger_a, returned):
    Comment.objects.create(pledge=returned, author=pledger_a, body="Turkana and Marsabit.")
    client.force_login(reviewer)

    page = client.get(reverse("pledges:review_detail", args=[returned.pk])).text

    assert "Turkana and Marsabit." in page


def test_an_outside_redirect_is_not_followed(client, pledger_a, returned):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:discussion", args=[returned.pk]),
                           {"body": "Hello", "next": "https://evil.example/"})

    assert response["Location"] == reverse("pledges:discussion", args=[returned.pk])


@pytest.mark.parametrize("who", ["pledger_b", "newcomer", "country_focal"])
def test_the_discussion_page_refuses_people_outside_the_pledge(client, request, who, returned):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("pledges:discussion", args=[returned.pk])).status_code == 403
    assert client.post(reverse("pledges:discussion", args=[returned.pk]), {"body": "Hi"}).status_code == 403
    assert not Comment.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, returned):
    response = client.get(reverse("pledges:discussion", args=[returned.pk]))

    assert response["Location"].startswith("/account/login/")


def test_a_country_focal_point_discusses_a_published_pledge_for_their_country(client, country_focal, published):
    client.force_login(country_focal)

    response = client.post(reverse("pledges:discussion", args=[published.pk]), {"body": "Our regulator can help."})

    assert response.status_code == 302
    assert "Our regulator can help." in client.get(reverse("pledges:discussion", args=[published.pk])).text


def test_an_empty_comment_is_shown_again_with_the_error(client, pledger_a, returned):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:discussion", args=[returned.pk]), {"body": "   "})

    assert response.status_code == 400
    assert "This field is required." in response.text or "Write your comment first." in response.text


@pytest.fixture
def submitted_report(pledger_a, published):
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": datetime.date(timezone.localdate().year - 1, 12, 31), "implementation_status": "on_track",
        "share_delivered": "40", "narrative": "120 schools.", "evidence": [],
        "targets": [{"target": published.targets.get(), "actual_value": "120"}],
    })
    return report_submit(actor=pledger_a, report=report)


def test_a_comment_about_a_report_shows_on_both_its_pages(client, pledger_a, reviewer, submitted_report):
    client.force_login(reviewer)
    review = reverse("reporting:report_review", args=[submitted_report.pk])

    response = client.post(reverse("reporting:report_comment", args=[submitted_report.pk]),
                           {"body": "Is the press release out?", "next": review})

    assert response["Location"] == review + "#conversation"
    assert Comment.objects.get().report == submitted_report
    client.force_login(pledger_a)
    assert "Is the press release out?" in client.get(reverse("reporting:report_edit", args=[submitted_report.pk])).text


@pytest.mark.parametrize("who", ["pledger_b", "newcomer"])
def test_a_report_comment_from_outside_is_refused(client, request, who, submitted_report):
    client.force_login(request.getfixturevalue(who))

    response = client.post(reverse("reporting:report_comment", args=[submitted_report.pk]), {"body": "Hi"})

    assert response.status_code == 403
    assert not Comment.objects.exists()
