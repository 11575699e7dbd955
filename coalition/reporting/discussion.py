"""Whom each move of a progress report is told, and the report's part of the pledge's
conversation. The rule is the pledges' (`pledges.discussion`): a submission goes to the
reviewer handling the report (the one assigned, else the one who last returned it), a
decision to the lead entity's focal points.
"""

from django.urls import reverse

from coalition.pledges.discussion import move_told
from coalition.pledges.services import comment_post
from coalition.reporting.models import ProgressReport, ReportStatus


def report_reviewer_of(report: ProgressReport):
    """The reviewer handling the report: the one assigned, else the one who last decided on it."""
    if report.assigned_to_id:
        return report.assigned_to
    last = report.transitions.exclude(to_status=ReportStatus.SUBMITTED).select_related("actor").order_by(
        "-at", "-id").first()
    return last.actor if last else None


def report_moved(report: ProgressReport, transition, *, actor, comment: str) -> None:
    """`REPORT_WORKFLOW`'s notify."""
    move_told(
        pledge=report.pledge, pledgers_moved=transition.target == ReportStatus.SUBMITTED,
        reviewer=report_reviewer_of(report), actor=actor, comment=comment,
        template="reporting/email/report_moved",
        context={"report": report, "pledge": report.pledge, "status": transition.target},
        reviewer_url=reverse("reporting:report_review", args=[report.pk]),
        pledger_url=reverse("reporting:report_edit", args=[report.pk]),
    )


def report_comment_post(*, actor, report: ProgressReport, body: str):
    """A comment about `report` in its pledge's conversation (`pledges.services.comment_post`),
    pointing pledgers to the report's page and reviewers to its review page."""
    return comment_post(
        actor=actor, pledge=report.pledge, report=report, body=body,
        report_url_pledger=reverse("reporting:report_edit", args=[report.pk]),
        report_url_reviewer=reverse("reporting:report_review", args=[report.pk]),
    )
