"""Writes of pledge revisions: propose, edit, submit and decide a change to a published pledge.

Each service runs in one transaction, locks the revision's pledge (so two reviewers cannot
decide at once and a pledge never gets two open revisions), checks permission and state,
writes, and records a `RevisionTransition` and a version of the revision (moves follow
`REVISION_WORKFLOW`). Only `revision_publish` touches the pledge, through the write path edits
use. Errors are `ValidationError` (keyed by field) or `PermissionDenied`, worded for the user.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.common.text import MESSAGE_LIMIT, text_clean, too_long
from coalition.common.versions import save_with_version, version_bump, version_check
from coalition.entities.permissions import user_can_act_for_entity
from coalition.pledges.content import pledge_data, revision_data_dump, revision_data_load
from coalition.pledges.models import OPEN_REVISION_STATES, Pledge, PledgeRevision, RevisionAction, Status
from coalition.pledges.services.pledges import _apply_content
from coalition.pledges.validation import pledge_clean
from coalition.pledges.workflow import REVIEWER, REVISION_WORKFLOW


def _save(revision: PledgeRevision, *, actor, reason: str) -> None:
    save_with_version(revision, actor=actor, reason=reason, at=timezone.now())


def _reason_clean(reason: str) -> str:
    """The reason for a change, required and at most MESSAGE_LIMIT characters."""
    reason = text_clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the pledge changes; the reviewers read it.")})
    message = too_long(reason, limit=MESSAGE_LIMIT, label=_("reason for the change"))
    if message:
        raise ValidationError({"reason": message})
    return reason


def _check_pledger(actor, pledge: Pledge) -> None:
    if not user_can_act_for_entity(actor, pledge.lead_entity):
        raise PermissionDenied(_("Only focal points of %(entity)s can do this.") % {"entity": pledge.lead_entity})


@transaction.atomic
def revision_start(*, actor, pledge: Pledge, reason: str) -> PledgeRevision:
    """Open a revision of a published pledge, its data a copy of the current content.

    The actor must be a focal point of the lead entity (or an administrator); the pledge must
    be published and have no open revision; `reason` (shown to reviewers) is required.
    """
    pledge = Pledge.objects.select_for_update().select_related("lead_entity").get(pk=pledge.pk)
    _check_pledger(actor, pledge)
    if pledge.status != Status.PUBLISHED:
        raise ValidationError({"status": _("Only a published pledge is revised; edit this one directly.")})
    if pledge.revisions.filter(status__in=OPEN_REVISION_STATES).exists():
        raise ValidationError({"status": _("This pledge already has a change in progress.")})
    reason = _reason_clean(reason)
    last = pledge.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = PledgeRevision(
        pledge=pledge, number=last + 1, reason=reason, created_by=actor,
        data=revision_data_dump(pledge_data(pledge)),
    )
    _save(revision, actor=actor, reason="started")
    return revision


def _locked(revision: PledgeRevision) -> PledgeRevision:
    Pledge.objects.select_for_update().filter(pk=revision.pledge_id).first()
    return PledgeRevision.objects.select_related("pledge", "pledge__lead_entity").get(pk=revision.pk)


@transaction.atomic
def revision_update(
    *, actor, revision: PledgeRevision, data: Mapping[str, Any], reason: str | None = None,
    seen_version: int | None = None,
) -> PledgeRevision:
    """Replace a revision's proposed content with `data` (a complete set of pledge fields).

    Validated by `pledge_clean` as a complete pledge (a published pledge stays complete); the
    cleaned content is stored, the pledge itself is not touched. Pledgers edit drafts and
    revisions returned for changes. `reason`, when given, replaces the reason for the change.
    `seen_version` refuses with EditConflict a save over someone else's later change.
    """
    revision = _locked(revision)
    REVISION_WORKFLOW.check_edit(revision, actor)
    clean = pledge_clean(data=data, complete=True)
    version_check(revision, seen=seen_version, changes_nothing=lambda: revision.data == revision_data_dump(clean))
    if clean["lead_entity"].pk != revision.pledge.lead_entity_id and not user_can_act_for_entity(
        actor, clean["lead_entity"]
    ):
        raise PermissionDenied(_("You cannot move this pledge to %(entity)s.") % {"entity": clean["lead_entity"]})
    if reason is not None:
        revision.reason = _reason_clean(reason)
    revision.data = revision_data_dump(clean)
    version_bump(revision)
    _save(revision, actor=actor, reason="edited")
    return revision


@transaction.atomic
def revision_transition(*, actor, revision: PledgeRevision, action: str, comment: str = "") -> PledgeRevision:
    """Move a revision along `REVISION_WORKFLOW`; publishing applies its content to the pledge.

    Submit and withdraw are the lead entity's focal points'; publish, request changes and reject
    are the reviewers' (the last two with a comment). Submitting re-validates the content and
    refuses a revision that changes nothing. Publishing writes the content through the pledge's
    content write path, recording one pledge version with reason "revision N published"; the
    pledge stays published and its `published_at` (the reporting clock) is unchanged.
    """
    revision = _locked(revision)

    def effects(revision: PledgeRevision, transition, moment) -> None:
        pledge = revision.pledge
        if action in (RevisionAction.SUBMIT, RevisionAction.PUBLISH):
            clean = pledge_clean(data=revision_data_load(revision.data), complete=True)
            if action == RevisionAction.SUBMIT and revision_data_dump(clean) == revision_data_dump(pledge_data(pledge)):
                raise ValidationError({"action": _("The revision changes nothing yet: edit the pledge's steps first.")})
        if action == RevisionAction.SUBMIT:
            revision.submitted_at = moment
        if action == RevisionAction.PUBLISH:
            if pledge.status != Status.PUBLISHED:
                raise ValidationError({"action": _("The pledge is no longer published; this change cannot be applied.")})
            _apply_content(pledge=pledge, clean=clean, actor=actor, reason=f"revision {revision.number} published",
                           only_if_changed=False)
        if transition.role == REVIEWER:
            revision.decided_by, revision.decided_at, revision.reviewer_comment = actor, moment, text_clean(comment)

    return REVISION_WORKFLOW.move(revision, actor=actor, action=action, comment=comment, effects=effects)


def revision_submit(*, actor, revision: PledgeRevision) -> PledgeRevision:
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.SUBMIT)


def revision_publish(*, actor, revision: PledgeRevision, comment: str = "") -> PledgeRevision:
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.PUBLISH, comment=comment)


def revision_request_changes(*, actor, revision: PledgeRevision, comment: str) -> PledgeRevision:
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.REQUEST_CHANGES, comment=comment)


def revision_reject(*, actor, revision: PledgeRevision, comment: str) -> PledgeRevision:
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.REJECT, comment=comment)


def revision_withdraw(*, actor, revision: PledgeRevision, comment: str = "") -> PledgeRevision:
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.WITHDRAW, comment=comment)
