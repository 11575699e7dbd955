"""The workflows of pledges and of revisions of published pledges: their states and the one
table of allowed transitions of each.

Services enforce these tables; nothing else changes a pledge's or a revision's status.
"""


from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit for review")
    START_REVIEW = "start_review", _("Start review")
    PUBLISH = "publish", _("Approve and publish")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    REJECT = "reject", _("Reject")
    WITHDRAW = "withdraw", _("Withdraw")


# Who may take an action: the pledging entity's focal points, or the secretariat's reviewers.
PLEDGER, REVIEWER = "pledger", "reviewer"


# action: (states it may start from, state it leads to, who may take it, comment required)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str, bool]] = {
    Action.SUBMIT: (frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}), Status.SUBMITTED, PLEDGER, False),
    Action.START_REVIEW: (frozenset({Status.SUBMITTED}), Status.IN_REVIEW, REVIEWER, False),
    Action.PUBLISH: (frozenset({Status.SUBMITTED, Status.IN_REVIEW}), Status.PUBLISHED, REVIEWER, False),
    Action.REQUEST_CHANGES: (
        frozenset({Status.SUBMITTED, Status.IN_REVIEW}),
        Status.CHANGES_REQUESTED,
        REVIEWER,
        True,
    ),
    Action.REJECT: (frozenset({Status.SUBMITTED, Status.IN_REVIEW}), Status.REJECTED, REVIEWER, True),
    Action.WITHDRAW: (
        frozenset({Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.PUBLISHED}),
        Status.WITHDRAWN,
        PLEDGER,
        False,
    ),
}


# States in which the pledger may still edit the pledge's content.
EDITABLE_STATES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, *_rest) in TRANSITIONS.items() if status in sources]


REVIEWER_EDITABLE_STATES = EDITABLE_STATES | {Status.SUBMITTED, Status.IN_REVIEW}


REVIEW_STATES = (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED)


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RevisionAction(models.TextChoices):
    SUBMIT = "submit", _("Submit the change for review")
    PUBLISH = "publish", _("Approve and publish the change")
    REQUEST_CHANGES = "request_changes", _("Request changes to the revision")
    REJECT = "reject", _("Reject the change")
    WITHDRAW = "withdraw", _("Withdraw the change")


PLEDGER, REVIEWER = "pledger", "reviewer"


# action: (states it may start from, state it leads to, who may take it, comment required)
REVISION_TRANSITIONS: dict[str, tuple[frozenset[str], str, str, bool]] = {
    RevisionAction.SUBMIT: (
        frozenset({RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED}), RevisionStatus.SUBMITTED, PLEDGER, False
    ),
    RevisionAction.PUBLISH: (frozenset({RevisionStatus.SUBMITTED}), RevisionStatus.PUBLISHED, REVIEWER, False),
    RevisionAction.REQUEST_CHANGES: (
        frozenset({RevisionStatus.SUBMITTED}), RevisionStatus.CHANGES_REQUESTED, REVIEWER, True
    ),
    RevisionAction.REJECT: (frozenset({RevisionStatus.SUBMITTED}), RevisionStatus.REJECTED, REVIEWER, True),
    RevisionAction.WITHDRAW: (
        frozenset({RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.CHANGES_REQUESTED}),
        RevisionStatus.WITHDRAWN,
        PLEDGER,
        False,
    ),
}


# A pledge has at most one revision in these states.
OPEN_REVISION_STATES = frozenset({RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.CHANGES_REQUESTED})


# States in which the pledger may still edit the revision's content.
REVISION_EDITABLE_STATES = frozenset({RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED})


def revision_allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, *_rest) in REVISION_TRANSITIONS.items() if status in sources]
