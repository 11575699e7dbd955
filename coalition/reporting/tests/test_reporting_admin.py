"""Wiring of the progress-report admin: lists, filters, and decisions through the services."""


import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit
from coalition.reporting.models import ProgressReport, ProgressReportTransition, ReportStatus
from coalition.reporting.services import report_create, report_submit

LIST = "admin:reporting_progressreport_changelist"


@pytest.fixture
def submitted(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    pledge_publish(actor=reviewer, pledge=pledge)
    report = report_create(
        actor=pledger_a, pledge=pledge,
        data={"period_end": timezone.localdate(), "implementation_status": "delayed",
              "share_delivered": "15", "narrative": "Procurement took longer than planned.",
              "targets": [{"target": pledge.targets.get(), "actual_value": "40"}],
              "evidence": [{"kind": "link", "title": "Tender notice", "url": "https://example.org/tender"}]},
    )
    return report_submit(actor=pledger_a, report=report)


def _decide(client, report, action, **extra):
    return client.post(reverse(LIST), {"action": action, "_selected_action": [report.pk], **extra}, follow=True)


def test_reviewers_see_the_list_filtered_by_status_and_the_report_page(client, reviewer, submitted):
    client.force_login(reviewer)

    listing = client.get(reverse(LIST), {"status__exact": "submitted", "year": submitted.year})
    page = client.get(reverse("admin:reporting_progressreport_change", args=[submitted.pk]))

    assert listing.status_code == 200 and "Connect 500 rural schools" in listing.text
    assert page.status_code == 200
    assert "Tender notice" in page.text and "Procurement took longer" in page.text


def test_a_reviewer_accepts_with_a_verification_level(client, reviewer, submitted):
    client.force_login(reviewer)

    _decide(client, submitted, "report_accept", verification_level="documented")

    submitted.refresh_from_db()
    assert (submitted.status, submitted.verification_level, submitted.decided_by) == (
        ReportStatus.ACCEPTED, "documented", reviewer)


def test_accepting_without_a_level_or_returning_without_a_comment_changes_nothing(client, reviewer, submitted):
    client.force_login(reviewer)

    accept = _decide(client, submitted, "report_accept")
    give_back = _decide(client, submitted, "report_return", comment="")

    assert "Choose a verification level" in accept.text
    assert "Explain what to change" in give_back.text
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
    assert ProgressReportTransition.objects.filter(report=submitted).count() == 1


def test_a_reviewer_returns_with_a_comment(client, reviewer, submitted):
    client.force_login(reviewer)

    _decide(client, submitted, "report_return", comment="Add the tender's award date.")

    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    assert submitted.reviewer_comment == "Add the tender's award date."


@pytest.mark.parametrize("persona", ["pledger_a", "member_state_focal"])
def test_focal_points_do_not_get_into_the_report_admin(client, persona, request, submitted):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(LIST))

    assert response.status_code == 302
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED
