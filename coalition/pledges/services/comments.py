"""Writes of a pledge's conversation: a comment on the pledge or one of its progress reports."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coalition.common.text import text_clean
from coalition.pledges.discussion import comment_told, user_may_discuss
from coalition.pledges.models import Comment, Pledge

COMMENT_MAX_LENGTH = 5000


@transaction.atomic
def comment_post(*, actor, pledge: Pledge, body: str, report=None, report_url_pledger: str = "",
                 report_url_reviewer: str = "") -> Comment:
    """Add `actor`'s comment to the pledge's conversation (about `report`, one of its progress
    reports, when given) and tell the others in it (`discussion.comment_told`; the report's
    pages are passed by the caller, which knows them).

    Only those who take part (`discussion.user_may_discuss`) write; the comment is required and
    at most 5,000 characters.
    """
    pledge = Pledge.objects.select_related("lead_entity", "assigned_to").get(pk=pledge.pk)
    if not user_may_discuss(actor, pledge):
        raise PermissionDenied(_("Only the pledge's focal points, the secretariat and the focal points of the "
                                 "countries it benefits take part in its conversation."))
    if report is not None and report.pledge_id != pledge.pk:
        raise ValidationError({"report": _("This report is about another pledge.")})
    body = text_clean(body)
    if not body:
        raise ValidationError({"body": _("Write your comment first.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError({"body": _("Keep the comment under %(limit)s characters; it has %(length)s.") % {
            "limit": f"{COMMENT_MAX_LENGTH:,}", "length": f"{len(body):,}"}})
    comment = Comment.objects.create(pledge=pledge, report=report, author=actor, body=body)
    comment_told(comment, report_url_pledger=report_url_pledger, report_url_reviewer=report_url_reviewer)
    return comment
