"""The secretariat's report list and review page: what they show, the decisions, who may use them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit
from coalition.reporting.models import ProgressReport, ProgressReportTransition, ReportStatus, VerificationLevel
from coalition.reporting.services import report_create, report_submit

YEAR = timezone.localdate().year


@pytest.fixture
def submitted(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    pledge_publish(actor=reviewer, pledge=pledge)
    report = report_create(actor=pledger_a, pledge=pledge, data={
        "period_end": datetime.date(YEAR - 1, 12, 31), "implementation_status": "on_track",
        "share_delivered": "40", "narrative": "120 schools connected in three counties.",
        "targets": [{"target": pledge.targets.get(), "actual_value": "120"}],
        "evidence": [{"kind": "link", "title": "Ministry press release", "url": "https://ict.go.ke/news/120"}],
    })
    return report_submit(actor=pledger_a, report=report)


def _state(report):
    report.refresh_from_db()
    return report.status, report.verification_level, report.reviewer_comment, ProgressReportTransition.objects.count()


def test_the_list_shows_submitted_reports_oldest_first(client, reviewer, submitted):
    client.force_login(reviewer)

    page = client.get(reverse("reporting:report_review_queue"))

    assert page.status_code == 200
    assert submitted.pledge.title in page.text and str(submitted.pledge.lead_entity) in page.text
    assert reverse("reporting:report_review", args=[submitted.pk]) in page.text
    assert list(page.context["page"]) == [submitted]


def test_the_review_page_shows_the_report_next_to_the_pledges_targets(client, reviewer, submitted):
    client.force_login(reviewer)

    page = client.get(reverse("reporting:report_review", args=[submitted.pk]))

    assert "120 schools connected in three counties." in page.text
    assert "Schools connected" in page.text and "Ministry press release" in page.text
    assert page.context["rows"][0]["reported"] == 120


def test_a_reviewer_accepts_a_report_as_documented(client, reviewer, submitted):
    client.force_login(reviewer)

    response = client.post(reverse("reporting:report_review", args=[submitted.pk]),
                           {"action": "accept", "verification_level": "documented", "comment": "Thanks."})

    assert response.status_code == 302
    assert _state(submitted)[:3] == (ReportStatus.ACCEPTED, VerificationLevel.DOCUMENTED, "Thanks.")


def test_a_reviewer_returns_a_report_with_a_comment(client, reviewer, submitted, pledger_a):
    client.force_login(reviewer)

    response = client.post(reverse("reporting:report_review", args=[submitted.pk]),
                           {"action": "return", "comment": "Add the county breakdown."})

    assert response.status_code == 302
    assert _state(submitted)[0] == ReportStatus.RETURNED
    client.force_login(pledger_a)
    assert "Add the county breakdown." in client.get(reverse("reporting:report_edit", args=[submitted.pk])).text


def test_returning_without_a_comment_is_refused_on_the_comment_field(client, reviewer, submitted):
    client.force_login(reviewer)
    before = _state(submitted)

    response = client.post(reverse("reporting:report_review", args=[submitted.pk]), {"action": "return", "comment": ""})

    assert response.status_code == 200 and response.context["form"].errors["comment"]
    assert _state(submitted) == before


def test_accepting_without_a_verification_level_is_refused_on_that_field(client, reviewer, submitted):
    client.force_login(reviewer)
    before = _state(submitted)

    response = client.post(reverse("reporting:report_review", args=[submitted.pk]), {"action": "accept"})

    assert response.context["form"].errors["verification_level"]
    assert _state(submitted) == before


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "pledger_b", "member_state_focal", "reviewer",
                                     "administrator"])
def test_only_reviewers_see_the_list_and_decide(client, request, persona, submitted):
    user = request.getfixturevalue(persona)
    if persona != "anonymous":
        client.force_login(user)
    allowed = persona in ("reviewer", "administrator")
    before = _state(submitted)

    listing = client.get(reverse("reporting:report_review_queue"))
    page = client.get(reverse("reporting:report_review", args=[submitted.pk]))
    post = client.post(reverse("reporting:report_review", args=[submitted.pk]),
                       {"action": "accept", "verification_level": "verified"})

    if persona == "anonymous":
        assert [listing.status_code, page.status_code, post.status_code] == [302, 302, 302]
    elif allowed:
        assert [listing.status_code, page.status_code, post.status_code] == [200, 200, 302]
        assert ProgressReport.objects.get(pk=submitted.pk).status == ReportStatus.ACCEPTED
        return
    else:
        assert [listing.status_code, page.status_code, post.status_code] == [403, 403, 403]
    assert _state(submitted) == before
