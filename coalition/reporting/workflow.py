"""The progress-report workflow: its states and the one table of allowed transitions.

Services enforce the table; nothing else changes a report's status.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("Submit the report")
    ACCEPT = "accept", _("Accept the report")
    RETURN = "return", _("Return for changes")


PLEDGER, REVIEWER = "pledger", "reviewer"


# action: (states it may start from, state it leads to, who may take it, comment required)
REPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str, str, bool]] = {
    ReportAction.SUBMIT: (frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}), ReportStatus.SUBMITTED, PLEDGER, False),
    ReportAction.ACCEPT: (frozenset({ReportStatus.SUBMITTED}), ReportStatus.ACCEPTED, REVIEWER, False),
    ReportAction.RETURN: (frozenset({ReportStatus.SUBMITTED}), ReportStatus.RETURNED, REVIEWER, True),
}


# States in which the pledger may still edit the report.
REPORT_EDITABLE_STATES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def report_allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, *_rest) in REPORT_TRANSITIONS.items() if status in sources]
