"""Reads of a pledge's conversation and of what changed between two of its submissions."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from coalition.common.history import Change
from coalition.pledges.content import pledge_data, revision_data_dump
from coalition.pledges.models import Action, Comment, Pledge, Status
from coalition.pledges.selectors.revisions import content_changes


def pledge_comments(pledge: Pledge, *, report=None) -> QuerySet[Comment]:
    """The pledge's conversation, oldest first, with authors and the report each is about;
    only the comments about `report` when given."""
    comments = Comment.objects.filter(pledge=pledge).select_related("author", "report")
    return comments.filter(report=report) if report is not None else comments


@dataclass(frozen=True)
class Resubmission:
    """What a pledger changed between the previous submission (`since`) and the latest one,
    or their edits since when the pledge is back with them."""

    since: datetime.datetime
    changes: list[Change]
    pending: bool = False  # the author's edits since the latest submission, not yet submitted


def pledge_changes_since_submission(pledge: Pledge) -> Resubmission | None:
    """For a pledge submitted more than once: the changes since the previous submission. While
    it is with the reviewers, the latest submission is compared with the one before; while it is
    back with the pledgers, their edits so far with the latest submission. None when there is
    nothing to compare (a first submission, or one recorded before submissions kept content).
    """
    submissions = list(
        pledge.transitions.filter(action=Action.SUBMIT, content__isnull=False).order_by("-at", "-id")
        .values_list("at", "content")[:2]
    )
    if pledge.status in (Status.SUBMITTED, Status.IN_REVIEW):
        if len(submissions) < 2:
            return None
        (_latest_at, latest), (since, previous) = submissions
        return Resubmission(since=since, changes=content_changes(previous, latest))
    if pledge.status == Status.CHANGES_REQUESTED and submissions:
        since, previous = submissions[0]
        return Resubmission(since=since, changes=content_changes(previous, revision_data_dump(pledge_data(pledge))),
                            pending=True)
    return None
