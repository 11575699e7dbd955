"""A progress report's moves reach the people concerned, and its resubmission shows the reviewer
what changed."""

import datetime

import pytest
from django.utils import timezone

from coalition.accounts.models import Notification, NotificationKind
from coalition.reporting.selectors import report_changes_since_submission
from coalition.reporting.services import (
    report_accept,
    report_assign,
    report_create,
    report_data,
    report_return,
    report_submit,
    report_update,
)

YEAR = timezone.localdate().year


@pytest.fixture
def submitted(pledger_a, published):
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": datetime.date(YEAR - 1, 12, 31), "implementation_status": "on_track",
        "share_delivered": "40", "narrative": "120 schools connected in three counties.",
        "targets": [{"target": published.targets.get(), "actual_value": "120"}], "evidence": [],
    })
    return report_submit(actor=pledger_a, report=report)


def test_a_returned_report_reaches_the_pledger_with_the_comment(
    pledger_a, reviewer, submitted, mailoutbox, django_capture_on_commit_callbacks,
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_return(actor=reviewer, report=submitted, comment="Add the press release.")

    entry = Notification.objects.get(recipient=pledger_a, kind=NotificationKind.REVIEW_DECISION,
                                     title__contains="progress report")
    assert entry.title == f"Your {YEAR - 1} progress report needs changes: {submitted.pledge.title}"
    assert entry.body == "Add the press release."
    assert entry.url == f"/reports/{submitted.pk}/"
    assert [mail.to for mail in mailoutbox] == [[pledger_a.email]]


def test_an_accepted_report_says_so_with_its_verification_level(pledger_a, reviewer, submitted, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_accept(actor=reviewer, report=submitted, verification_level="documented")

    [mail] = mailoutbox
    assert mail.subject == f"Your {YEAR - 1} progress report is accepted: {submitted.pledge.title}"
    assert "(Documented)" in mail.body


def test_a_resubmitted_report_reaches_its_reviewer_and_shows_what_changed(pledger_a, reviewer, administrator,
                                                                         submitted):
    report_assign(actor=reviewer, report=submitted, reviewer=administrator)
    report = report_return(actor=reviewer, report=submitted, comment="120 or 150?")
    pending = report_changes_since_submission(report)
    assert pending is not None and pending.pending and pending.changes == []
    report_update(actor=pledger_a, report=report, data={**report_data(report), "share_delivered": "45",
                                                        "targets": [{"target": report.pledge.targets.get(),
                                                                     "actual_value": "150"}]})

    report = report_submit(actor=pledger_a, report=report)

    assert Notification.objects.get(kind=NotificationKind.REVIEW_WORK).recipient == administrator
    resubmission = report_changes_since_submission(report)
    assert resubmission.pending is False
    assert {c.field: (c.old, c.new) for c in resubmission.changes} == {
        "share delivered (%)": ("40", "45"),
        "targets reached": ("Schools connected: 120", "Schools connected: 150"),
    }
