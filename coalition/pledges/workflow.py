"""The workflows of pledges and of revisions of published pledges, on the one transition engine
(`common.workflow`): who may take which action from which state, and who may edit in which state.

Services move pledges and revisions only through these tables; views, the admin and the API ask
them which actions and edits to offer.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.roles import user_is_reviewer
from coalition.common.workflow import Role, Texts, Transition, Workflow
from coalition.entities.permissions import user_can_act_for_entity
from coalition.pledges.discussion import pledge_moved, revision_moved
from coalition.pledges.models import (
    Action,
    PledgeTransition,
    RevisionAction,
    RevisionStatus,
    RevisionTransition,
    Status,
)

# The roles: the lead entity's focal points (administrators act for every entity), and the
# secretariat's reviewers.
PLEDGER, REVIEWER = "pledger", "reviewer"

REVIEWER_ROLE = Role(
    holds=lambda user, _obj: user_is_reviewer(user),
    refusal=lambda _obj: _("Only the secretariat's reviewers can do this."),
)


def pledger_role(pledge_of, refusal=gettext_lazy("Only focal points of %(entity)s can do this.")) -> Role:
    """The focal points of the lead entity of `pledge_of(obj)` (administrators act for every entity)."""
    return Role(
        holds=lambda user, obj: user_can_act_for_entity(user, pledge_of(obj).lead_entity),
        refusal=lambda obj: str(refusal) % {"entity": pledge_of(obj).lead_entity},
    )
_DECISION_COMMENT = gettext_lazy("Explain the decision so the pledger knows what to do.")

# States in which the lead entity's focal points edit a pledge; reviewers may also correct it
# while it is with them. Published pledges change only through a revision.
EDITABLE_STATES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
REVIEWER_EDITABLE_STATES = EDITABLE_STATES | {Status.SUBMITTED, Status.IN_REVIEW}
_IN_REVIEW = frozenset({Status.SUBMITTED, Status.IN_REVIEW})

PLEDGE_WORKFLOW = Workflow(
    actions=Action,
    transitions=[
        Transition(Action.SUBMIT, EDITABLE_STATES, Status.SUBMITTED, PLEDGER),
        Transition(Action.START_REVIEW, frozenset({Status.SUBMITTED}), Status.IN_REVIEW, REVIEWER),
        Transition(Action.PUBLISH, _IN_REVIEW, Status.PUBLISHED, REVIEWER),
        Transition(Action.REQUEST_CHANGES, _IN_REVIEW, Status.CHANGES_REQUESTED, REVIEWER, comment_required=True),
        Transition(Action.REJECT, _IN_REVIEW, Status.REJECTED, REVIEWER, comment_required=True),
        Transition(Action.WITHDRAW, EDITABLE_STATES | _IN_REVIEW | {Status.PUBLISHED}, Status.WITHDRAWN, PLEDGER),
    ],
    roles={PLEDGER: pledger_role(lambda pledge: pledge), REVIEWER: REVIEWER_ROLE},
    editable={PLEDGER: EDITABLE_STATES, REVIEWER: REVIEWER_EDITABLE_STATES},
    log=PledgeTransition, subject="pledge", notify=pledge_moved,
    texts=Texts(
        wrong_state=gettext_lazy("Cannot %(action)s a pledge that is %(status)s."),
        not_editable=gettext_lazy("A pledge that is %(status)s cannot be edited."),
        may_not_edit=gettext_lazy("You cannot edit this pledge."),
        comment_needed=_DECISION_COMMENT,
    ),
)

# The states the review queue lists.
REVIEW_STATES = (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED)

# States in which the pledger may still edit the revision's content.
REVISION_EDITABLE_STATES = frozenset({RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED})

REVISION_WORKFLOW = Workflow(
    actions=RevisionAction,
    transitions=[
        Transition(RevisionAction.SUBMIT, REVISION_EDITABLE_STATES, RevisionStatus.SUBMITTED, PLEDGER),
        Transition(RevisionAction.PUBLISH, frozenset({RevisionStatus.SUBMITTED}), RevisionStatus.PUBLISHED, REVIEWER),
        Transition(RevisionAction.REQUEST_CHANGES, frozenset({RevisionStatus.SUBMITTED}),
                   RevisionStatus.CHANGES_REQUESTED, REVIEWER, comment_required=True),
        Transition(RevisionAction.REJECT, frozenset({RevisionStatus.SUBMITTED}), RevisionStatus.REJECTED, REVIEWER,
                   comment_required=True),
        Transition(RevisionAction.WITHDRAW, REVISION_EDITABLE_STATES | {RevisionStatus.SUBMITTED},
                   RevisionStatus.WITHDRAWN, PLEDGER),
    ],
    roles={PLEDGER: pledger_role(lambda revision: revision.pledge), REVIEWER: REVIEWER_ROLE},
    editable={PLEDGER: REVISION_EDITABLE_STATES},
    log=RevisionTransition, subject="revision", notify=revision_moved,
    texts=Texts(
        wrong_state=gettext_lazy("Cannot %(action)s: the revision is %(status)s."),
        not_editable=gettext_lazy("A revision that is %(status)s cannot be edited."),
        may_not_edit=gettext_lazy("You cannot edit this revision."),
        comment_needed=_DECISION_COMMENT,
    ),
)
