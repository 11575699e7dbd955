"""The review workflow of good practices: the action plan's shared table (`actionplan.workflow`)
with the practice's own authors.

Who authors a practice depends on who shares it: the focal points of the pledging entity for a
pledger, the focal points of the country for a member state, the secretariat's reviewers for the
secretariat (administrators act for every entity and country). Authors draft, submit and
withdraw; reviewers publish, ask for changes or reject, with a comment the author is told.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.actionplan.workflow import review_workflow
from coalition.common.workflow import Role, Texts
from coalition.knowledge.models import GoodPracticeTransition
from coalition.knowledge.permissions import sharer_name, user_may_share_as

PRACTICE_WORKFLOW = review_workflow(
    author=Role(
        holds=lambda user, practice: user_may_share_as(
            user, shared_by=practice.shared_by, entity=practice.entity, country=practice.country),
        refusal=lambda practice: _("Only those who share this practice for %(sharer)s can do this.")
        % {"sharer": sharer_name(practice)},
    ),
    log=GoodPracticeTransition, subject="practice",
    url_of=lambda practice: reverse("knowledge:practice", args=[practice.pk]),
    texts=Texts(
        wrong_state=gettext_lazy("Cannot %(action)s a good practice that is %(status)s."),
        not_editable=gettext_lazy("A good practice that is %(status)s cannot be edited."),
        may_not_edit=gettext_lazy("You cannot edit this good practice."),
        comment_needed=gettext_lazy("Explain the decision so the author knows what to do."),
    ),
)
