"""Writes of pledges and of revisions of published pledges: every change goes through here.

One module per object (`pledges`, `revisions`, `comments`); callers import the services from
this package.
"""

from coalition.pledges.services.comments import comment_post
from coalition.pledges.services.pledges import (
    pledge_assign,
    pledge_create,
    pledge_delete,
    pledge_fields_record,
    pledge_may_delete,
    pledge_publish,
    pledge_reject,
    pledge_request_changes,
    pledge_smart_hints,
    pledge_submit,
    pledge_transition,
    pledge_update,
    pledge_withdraw,
)
from coalition.pledges.services.revisions import (
    revision_publish,
    revision_reject,
    revision_request_changes,
    revision_start,
    revision_submit,
    revision_transition,
    revision_update,
    revision_withdraw,
)

__all__ = [
    "comment_post",
    "pledge_assign",
    "pledge_create",
    "pledge_delete",
    "pledge_fields_record",
    "pledge_may_delete",
    "pledge_publish",
    "pledge_reject",
    "pledge_request_changes",
    "pledge_smart_hints",
    "pledge_submit",
    "pledge_transition",
    "pledge_update",
    "pledge_withdraw",
    "revision_publish",
    "revision_reject",
    "revision_request_changes",
    "revision_start",
    "revision_submit",
    "revision_transition",
    "revision_update",
    "revision_withdraw",
]
