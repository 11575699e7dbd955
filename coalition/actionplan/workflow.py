"""The review workflows of activities, participations and national measures, on the one
transition engine (`common.workflow`). Good practices (`knowledge.workflow`) use the same table.

Authors draft and submit; the secretariat's reviewers publish, ask for changes or reject; an
author may withdraw until it is decided, and a published record too. Who counts as the author
depends on the object: the secretariat or a working-group lead for an activity, the country's
focal points for a participation or a national measure.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.models import NotificationKind
from coalition.accounts.roles import user_is_reviewer
from coalition.accounts.services import notification_send
from coalition.actionplan.models import (
    ActivityTransition,
    NationalMeasureTransition,
    ParticipationTransition,
    ReviewAction,
    ReviewStatus,
)
from coalition.actionplan.permissions import user_is_country_focal_point, user_may_record_activity
from coalition.common.workflow import Role, Texts, Transition, Workflow

AUTHOR, REVIEWER = "author", "reviewer"

REVIEWER_ROLE = Role(
    holds=lambda user, _obj: user_is_reviewer(user),
    refusal=lambda _obj: _("Only the secretariat's reviewers can do this."),
)

EDITABLE_STATES = frozenset({ReviewStatus.DRAFT, ReviewStatus.CHANGES_REQUESTED})
REVIEWER_EDITABLE_STATES = EDITABLE_STATES | {ReviewStatus.SUBMITTED}
# The states a review queue lists.
REVIEW_STATES = (ReviewStatus.SUBMITTED, ReviewStatus.CHANGES_REQUESTED)

_DECISION_COMMENT = gettext_lazy("Explain the decision so the author knows what to do.")

TRANSITIONS = [
    Transition(ReviewAction.SUBMIT, EDITABLE_STATES, ReviewStatus.SUBMITTED, AUTHOR),
    Transition(ReviewAction.PUBLISH, frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.PUBLISHED, REVIEWER),
    Transition(ReviewAction.REQUEST_CHANGES, frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.CHANGES_REQUESTED,
               REVIEWER, comment_required=True),
    Transition(ReviewAction.REJECT, frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.REJECTED, REVIEWER,
               comment_required=True),
    Transition(ReviewAction.WITHDRAW, EDITABLE_STATES | {ReviewStatus.SUBMITTED, ReviewStatus.PUBLISHED},
               ReviewStatus.WITHDRAWN, AUTHOR),
]


def decision_told(url_of):
    """A workflow's `notify`: a reviewer's decision is told to whoever recorded the object, with
    the link `url_of(obj)`; an author's move waits on the review queue and tells nobody."""

    def notify(obj, transition, *, actor, comment: str) -> None:
        if transition.role != REVIEWER or obj.created_by is None:
            return
        notification_send(
            recipients=[obj.created_by], kind=NotificationKind.REVIEW_DECISION, actor=actor,
            template="actionplan/email/decision", body=comment, url=url_of(obj),
            context={"object": obj, "kind": obj._meta.verbose_name, "status": obj.get_status_display()},
        )

    return notify


def review_workflow(*, author: Role, log, subject: str, texts: Texts, url_of) -> Workflow:
    """A moderated object's workflow: the shared table with its own author role, log and texts."""
    return Workflow(
        actions=ReviewAction, transitions=TRANSITIONS, roles={AUTHOR: author, REVIEWER: REVIEWER_ROLE},
        editable={AUTHOR: EDITABLE_STATES, REVIEWER: REVIEWER_EDITABLE_STATES},
        log=log, subject=subject, texts=texts, notify=decision_told(url_of),
    )


def country_focal_point_role(country_of) -> Role:
    """The focal points of the country `country_of(obj)` (reviewers record for every country)."""
    return Role(
        holds=lambda user, obj: user_is_reviewer(user) or user_is_country_focal_point(user, country_of(obj)),
        refusal=lambda obj: _("Only focal points of %(country)s can do this.") % {"country": country_of(obj)},
    )


ACTIVITY_WORKFLOW = review_workflow(
    author=Role(
        holds=lambda user, activity: user_may_record_activity(user, activity),
        refusal=lambda _obj: _("Only the secretariat and the working-group leads record activities."),
    ),
    log=ActivityTransition, subject="activity",
    url_of=lambda activity: reverse("actionplan:activity", args=[activity.pk]),
    texts=Texts(
        wrong_state=gettext_lazy("Cannot %(action)s an activity that is %(status)s."),
        not_editable=gettext_lazy("An activity that is %(status)s cannot be edited."),
        may_not_edit=gettext_lazy("You cannot edit this activity."),
        comment_needed=_DECISION_COMMENT,
    ),
)

PARTICIPATION_WORKFLOW = review_workflow(
    author=country_focal_point_role(lambda participation: participation.country),
    log=ParticipationTransition, subject="participation",
    url_of=lambda participation: reverse("actionplan:activity", args=[participation.activity_id]),
    texts=Texts(
        wrong_state=gettext_lazy("Cannot %(action)s a participation that is %(status)s."),
        not_editable=gettext_lazy("A participation that is %(status)s cannot be edited."),
        may_not_edit=gettext_lazy("You cannot edit this participation."),
        comment_needed=_DECISION_COMMENT,
    ),
)

MEASURE_WORKFLOW = review_workflow(
    author=country_focal_point_role(lambda measure: measure.country),
    log=NationalMeasureTransition, subject="measure",
    url_of=lambda measure: reverse("actionplan:measure", args=[measure.pk]),
    texts=Texts(
        wrong_state=gettext_lazy("Cannot %(action)s a national measure that is %(status)s."),
        not_editable=gettext_lazy("A national measure that is %(status)s cannot be edited."),
        may_not_edit=gettext_lazy("You cannot edit this national measure."),
        comment_needed=_DECISION_COMMENT,
    ),
)
