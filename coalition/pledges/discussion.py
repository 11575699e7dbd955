"""Who takes part in a pledge's conversation, and whom each move of a pledge or a comment is told.

The conversation about a pledge (and its progress reports) is private to the lead entity's
focal points, the secretariat's reviewers and, once the pledge is published, the member-state
focal points of the countries it benefits. Decisions of the secretariat go to the lead entity's
focal points; what pledgers do (submit, withdraw) goes to the reviewer handling the pledge: the
one assigned, else the one who last sent it back. Everything here runs inside the transaction
of the change it reports (see `accounts.services.notification_send`).
"""

from django.urls import reverse

from coalition.accounts.models import CountryFocalPoint, NotificationKind
from coalition.accounts.roles import user_is_reviewer
from coalition.accounts.services import notification_send
from coalition.entities.permissions import user_can_act_for_entity
from coalition.entities.selectors import entity_focal_point_users
from coalition.pledges.models import Comment, Pledge, PledgeTransition, Status

# Where a pledge or a revision lands after a pledger's move (both workflows name these states
# alike): the reviewer hears of it; every other state is a decision the pledgers hear of.
_PLEDGER_MOVES = frozenset({Status.SUBMITTED, Status.WITHDRAWN})


def user_is_country_focal_point_for(user, pledge: Pledge) -> bool:
    """A member-state focal point of one of the countries a published pledge benefits."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and user.is_active
        and pledge.status == Status.PUBLISHED
        and CountryFocalPoint.objects.filter(user=user, country__pledges=pledge).exists()
    )


def user_may_discuss(user, pledge: Pledge) -> bool:
    """Whether `user` reads and writes the pledge's conversation (see the module's rule)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (user_is_reviewer(user) or user_can_act_for_entity(user, pledge.lead_entity)
            or user_is_country_focal_point_for(user, pledge))


def pledge_reviewer_of(pledge: Pledge):
    """The reviewer handling the pledge: the one assigned, else the one who last decided on it."""
    if pledge.assigned_to_id:
        return pledge.assigned_to
    last = (PledgeTransition.objects.filter(pledge=pledge, to_status__in=[
        Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.PUBLISHED, Status.REJECTED])
        .select_related("actor").order_by("-at", "-id").first())
    return last.actor if last else None


def pledger_url(pledge: Pledge) -> str:
    """Where a pledger follows their pledge: the public page once published, the check page before."""
    if pledge.status == Status.PUBLISHED:
        return reverse("explore:pledge", args=[pledge.pk])
    return reverse("pledges:preview", args=[pledge.pk])


def move_told(*, pledge: Pledge, pledgers_moved: bool, reviewer, actor, comment: str, template: str,
              context: dict, reviewer_url: str, pledger_url: str) -> None:
    """The one rule of who hears of a move of a pledge, a revision or a report: a pledger's move
    (`pledgers_moved`) goes to `reviewer`, the one handling it (nobody when none is: it waits on
    the queue); a decision goes to the lead entity's focal points. Each gets its page's link."""
    if pledgers_moved:
        recipients, kind, url = [reviewer] if reviewer else [], NotificationKind.REVIEW_WORK, reviewer_url
    else:
        recipients, kind, url = entity_focal_point_users(pledge.lead_entity), NotificationKind.REVIEW_DECISION, pledger_url
    notification_send(recipients=recipients, kind=kind, actor=actor, template=template, context=context,
                      body=comment, url=url)


def pledge_moved(pledge: Pledge, transition, *, actor, comment: str) -> None:
    """`PLEDGE_WORKFLOW`'s notify."""
    move_told(
        pledge=pledge, pledgers_moved=transition.target in _PLEDGER_MOVES, reviewer=pledge_reviewer_of(pledge),
        actor=actor, comment=comment, template="pledges/email/pledge_moved",
        context={"pledge": pledge, "status": transition.target},
        reviewer_url=reverse("pledges:review_detail", args=[pledge.pk]), pledger_url=pledger_url(pledge),
    )


def revision_moved(revision, transition, *, actor, comment: str) -> None:
    """`REVISION_WORKFLOW`'s notify: a revision sent back for changes is reworked on its own page."""
    pledge = revision.pledge
    move_told(
        pledge=pledge, pledgers_moved=transition.target in _PLEDGER_MOVES,
        reviewer=pledge_reviewer_of(pledge) or revision.decided_by, actor=actor, comment=comment,
        template="pledges/email/revision_moved",
        context={"pledge": pledge, "revision": revision, "status": transition.target},
        reviewer_url=reverse("pledges:review_detail", args=[pledge.pk]),
        pledger_url=reverse("pledges:revision" if transition.target == "changes_requested" else "explore:pledge",
                            args=[pledge.pk]),
    )


def comment_told(comment: Comment, *, report_url_pledger: str = "", report_url_reviewer: str = "") -> None:
    """Tell everyone in the conversation but the author of a new comment, each with the page
    where they read it: pledgers their pledge (or report) page, reviewers the review page,
    member-state focal points the discussion page."""
    pledge, author = comment.pledge, comment.author
    pledgers = entity_focal_point_users(pledge.lead_entity)
    earlier = [c.author for c in Comment.objects.filter(pledge=pledge).exclude(pk=comment.pk)
               .select_related("author") if c.author is not None]
    reviewer = pledge_reviewer_of(pledge)
    reviewers = [u for u in [reviewer, *earlier] if u is not None and user_is_reviewer(u)]
    pledger_ids = {u.pk for u in pledgers}
    others = [u for u in earlier if u.pk not in pledger_ids and not user_is_reviewer(u)]
    context = {"pledge": pledge, "comment": comment, "report": comment.report}
    groups = (
        (pledgers, report_url_pledger or pledger_url(pledge)),
        (reviewers, report_url_reviewer or reverse("pledges:review_detail", args=[pledge.pk])),
        (others, reverse("pledges:discussion", args=[pledge.pk])),
    )
    told = set()
    for recipients, url in groups:
        recipients = [u for u in recipients if u.pk not in told]
        told.update(u.pk for u in recipients)
        notification_send(recipients=recipients, kind=NotificationKind.COMMENT, actor=author,
                          template="pledges/email/comment", context=context, body=comment.body, url=url)
