"""Reads of pledges, their revisions and their history. Views, API, admin and commands call these.

One module per subject (`pledges`, `revisions`, `history`, `discussion`); callers import from
this package.
"""

from coalition.pledges.selectors.discussion import Resubmission, pledge_changes_since_submission, pledge_comments
from coalition.pledges.selectors.history import PRIVATE_FIELDS, pledge_history, pledge_public_history
from coalition.pledges.selectors.pledges import (
    pledge_list_for_country,
    pledge_list_for_pledger,
    pledge_list_published,
    pledge_possible_duplicates,
    pledge_transitions,
    review_queue,
)
from coalition.pledges.selectors.revisions import (
    content_changes,
    revision_changes,
    revision_list_for_pledge,
    revision_open_for,
    revision_review_queue,
)

__all__ = [
    "Resubmission",
    "pledge_changes_since_submission",
    "pledge_comments",
    "PRIVATE_FIELDS",
    "pledge_history",
    "pledge_list_for_country",
    "pledge_list_for_pledger",
    "pledge_list_published",
    "pledge_possible_duplicates",
    "pledge_public_history",
    "pledge_transitions",
    "review_queue",
    "content_changes",
    "revision_changes",
    "revision_list_for_pledge",
    "revision_open_for",
    "revision_review_queue",
]
