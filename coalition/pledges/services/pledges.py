"""Writes to the registry. Every change to a pledge goes through here.

Each service runs in one transaction, checks permission and state, writes, and records one
dated version of the pledge (with who and why) so the registry can be rebuilt as of any date.
Errors are `ValidationError` (keyed by field) or `PermissionDenied`, worded for the user.
"""

import datetime
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.roles import user_is_reviewer
from coalition.common.versions import delete_with_version, rows_sync, version_bump, version_check
from coalition.entities.permissions import user_can_act_for_entity
from coalition.pledges.content import M2M_FIELDS, SCALAR_FIELDS, pledge_data, pledge_snapshot, revision_data_dump
from coalition.pledges.models import (
    Action,
    Pledge,
    PledgePartner,
    PledgeSearchDocument,
    PledgeTarget,
    Status,
    pledge_history,
)
from coalition.pledges.search import search_index_pledges
from coalition.pledges.templatetags.pledge_fields import field_label
from coalition.pledges.validation import pledge_clean
from coalition.pledges.workflow import EDITABLE_STATES, PLEDGE_WORKFLOW


@contextmanager
def _without_automatic_versions(pledge: Pledge):
    """Silence the per-save and per-link history signals: the service records one version itself."""
    pledge.skip_history_when_saving = True
    try:
        yield
    finally:
        del pledge.skip_history_when_saving


def _record_version(pledge: Pledge, *, actor, reason: str, created: bool = False, at=None) -> None:
    """Write one dated version of the pledge, its many-to-many links included."""
    pledge._history_user = actor
    pledge._change_reason = reason
    if at is not None:
        pledge._history_date = at
    pledge_history.create_historical_record(pledge, "+" if created else "~")


def _write(pledge: Pledge, clean: Mapping[str, Any], *, actor, at) -> None:
    for name in SCALAR_FIELDS:
        setattr(pledge, name, clean[name])
    pledge.value_usd, pledge.value_usd_provisional = clean["value_usd"], clean["value_usd_provisional"]
    with _without_automatic_versions(pledge):
        pledge.save()
        for name in M2M_FIELDS:
            getattr(pledge, name).set(clean[name])
    _replace_children(pledge, clean, actor=actor, at=at)
    search_index_pledges([pledge.pk])


def _replace_children(pledge: Pledge, clean: Mapping[str, Any], *, actor, at) -> None:
    """Targets (by position) and partners (by entity) are replaced as a whole, keeping the rows,
    and their history, that stay."""
    rows_sync(
        current=dict(enumerate(pledge.targets.all())),
        wanted={order: {**target, "order": order} for order, target in enumerate(clean["targets"])},
        new=lambda _order: PledgeTarget(pledge=pledge), actor=actor, at=at,
    )
    entities = {partner["entity"].pk: partner["entity"] for partner in clean["partners"]}
    rows_sync(
        current={row.entity_id: row for row in pledge.pledge_partners.all()},
        wanted={partner["entity"].pk: {"role": partner["role"]} for partner in clean["partners"]},
        new=lambda entity_id: PledgePartner(pledge=pledge, entity=entities[entity_id]), actor=actor, at=at,
    )


@transaction.atomic
def pledge_create(*, actor, data: Mapping[str, Any]) -> Pledge:
    """Create a draft pledge for `data['lead_entity']`.

    The actor must be a focal point of the lead entity, a reviewer or an administrator.
    Writes the pledge, its links, targets and partners, and its first version.
    """
    clean = pledge_clean(data=data, complete=False)
    if not (user_can_act_for_entity(actor, clean["lead_entity"]) or user_is_reviewer(actor)):
        raise PermissionDenied(
            _("You cannot make pledges on behalf of %(entity)s.") % {"entity": clean["lead_entity"]}
        )
    now = timezone.now()
    pledge = Pledge(status=Status.DRAFT, created_by=actor)
    _write(pledge, clean, actor=actor, at=now)
    _record_version(pledge, actor=actor, reason="created", created=True, at=now)
    return pledge


@transaction.atomic
def pledge_update(*, actor, pledge: Pledge, data: Mapping[str, Any], seen_version: int | None = None) -> Pledge:
    """Replace a pledge's content with `data` (a complete set of fields, as for creation).

    Who may edit in which state is `PLEDGE_WORKFLOW`'s rule: the lead entity's focal points edit
    drafts and pledges returned for changes; reviewers may also correct pledges under review.
    Published pledges change only through a revision. Records one version only when something
    changed. `seen_version`, the version the editor's form was opened at, refuses with
    EditConflict a save over someone else's later change.
    """
    pledge = Pledge.objects.select_for_update().select_related("lead_entity").get(pk=pledge.pk)
    PLEDGE_WORKFLOW.check_edit(pledge, actor)
    clean = pledge_clean(data=data, complete=pledge.status not in EDITABLE_STATES)
    version_check(pledge, seen=seen_version, label=field_label,
                  changes_nothing=lambda: revision_data_dump(clean) == revision_data_dump(pledge_data(pledge)))
    if clean["lead_entity"].pk != pledge.lead_entity_id and not (
        user_is_reviewer(actor) or user_can_act_for_entity(actor, clean["lead_entity"])
    ):
        raise PermissionDenied(_("You cannot move this pledge to %(entity)s.") % {"entity": clean["lead_entity"]})
    _apply_content(pledge=pledge, clean=clean, actor=actor, reason="edited", only_if_changed=True)
    return pledge


def _apply_content(*, pledge: Pledge, clean: Mapping[str, Any], actor, reason: str, only_if_changed: bool) -> None:
    """The one write path of a pledge's content (edits, and published revisions through
    `revision_transition`): write `clean` (the output of `pledge_clean`) and record one version
    with `reason`. Callers check permission and state and hold the row lock; status and dates are
    left alone.
    """
    before = pledge_snapshot(pledge) if only_if_changed else None
    now = timezone.now()
    _write(pledge, clean, actor=actor, at=now)
    if not only_if_changed or pledge_snapshot(pledge) != before:
        version_bump(pledge)
        Pledge.objects.filter(pk=pledge.pk).update(version=pledge.version)
        _record_version(pledge, actor=actor, reason=reason, at=now)


def _transition_effects(pledge: Pledge, transition, moment: datetime.datetime) -> None:
    if transition.action == Action.SUBMIT:
        pledge_clean(data=pledge_data(pledge), complete=True)
        pledge.submitted_at = moment
    if transition.target == Status.PUBLISHED:
        pledge.published_at = moment


@transaction.atomic
def pledge_transition(*, actor, pledge: Pledge, action: str, comment: str = "", at: datetime.datetime | None = None) -> Pledge:
    """Move a pledge along `PLEDGE_WORKFLOW`.

    Submit and withdraw are the lead entity's focal points' (administrators act for every
    entity); review actions are the reviewers'. The row is locked, so two reviewers cannot decide
    at once. Submitting checks the pledge is complete and keeps the content as submitted on its
    `PledgeTransition`. Records the transition and a new version, and tells the people concerned
    (`discussion.pledge_moved`). Raises PermissionDenied without the role, ValidationError naming `action` when the
    move is not allowed from the current state, or `comment` when one is required.
    """
    pledge = Pledge.objects.select_for_update().select_related("lead_entity").get(pk=pledge.pk)
    # A submission keeps the content as submitted: the next one is compared with it.
    content = revision_data_dump(pledge_data(pledge)) if action == Action.SUBMIT else None
    return PLEDGE_WORKFLOW.move(pledge, actor=actor, action=action, comment=comment, at=at,
                                effects=_transition_effects, log_extra={"content": content})


def pledge_submit(*, actor, pledge: Pledge) -> Pledge:
    return pledge_transition(actor=actor, pledge=pledge, action=Action.SUBMIT)


def pledge_publish(*, actor, pledge: Pledge, comment: str = "") -> Pledge:
    return pledge_transition(actor=actor, pledge=pledge, action=Action.PUBLISH, comment=comment)


def pledge_request_changes(*, actor, pledge: Pledge, comment: str) -> Pledge:
    return pledge_transition(actor=actor, pledge=pledge, action=Action.REQUEST_CHANGES, comment=comment)


def pledge_reject(*, actor, pledge: Pledge, comment: str) -> Pledge:
    return pledge_transition(actor=actor, pledge=pledge, action=Action.REJECT, comment=comment)


def pledge_withdraw(*, actor, pledge: Pledge, comment: str = "") -> Pledge:
    return pledge_transition(actor=actor, pledge=pledge, action=Action.WITHDRAW, comment=comment)


def pledge_may_delete(pledge: Pledge, user) -> bool:
    """Drafts, which nobody has reviewed, are deleted by those who may edit them; anything else is
    withdrawn or rejected, and stays on record."""
    return pledge.status == Status.DRAFT and PLEDGE_WORKFLOW.may_edit(pledge, user)


@transaction.atomic
def pledge_delete(*, actor, pledge: Pledge) -> None:
    """Delete a draft (see `pledge_may_delete`); its versions keep the record of what it was."""
    pledge = Pledge.objects.select_for_update().select_related("lead_entity").get(pk=pledge.pk)
    if not pledge_may_delete(pledge, actor):
        PLEDGE_WORKFLOW.check_edit(pledge, actor)
        raise ValidationError({"status": _("Only a draft is deleted; withdraw this pledge instead.")})
    PledgeSearchDocument.objects.filter(pledge=pledge).delete()
    delete_with_version(pledge, actor=actor, reason="deleted", at=timezone.now())


@transaction.atomic
def pledge_assign(*, actor, pledge: Pledge, reviewer) -> Pledge:
    """Put a reviewer (or nobody, with `reviewer=None`) in charge of a pledge's review."""
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers can assign reviews."))
    if reviewer is not None and not user_is_reviewer(reviewer):
        raise ValidationError({"assigned_to": _("%(person)s is not a reviewer.") % {"person": reviewer}})
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    pledge.assigned_to = reviewer
    with _without_automatic_versions(pledge):
        pledge.save(update_fields=["assigned_to", "updated_at"])
    _record_version(pledge, actor=actor, reason="assigned", at=timezone.now())
    return pledge


def pledge_fields_record(pledge: Pledge, *, fields: list[str], actor, reason: str, at: datetime.datetime) -> None:
    """Save `fields` of a locked pledge and write one dated version of it: the building block of
    another app's service that owns a rule about those fields (it checks permission and state;
    e.g. `reporting.services.pledge_reporting_reopen`)."""
    with _without_automatic_versions(pledge):
        pledge.save(update_fields=[*fields, "updated_at"])
    _record_version(pledge, actor=actor, reason=reason, at=at)


def pledge_smart_hints(pledge: Pledge) -> list[str]:
    """Advice toward a SMART pledge: specific, measurable, time-bound. Advice only, never a block."""
    hints = []
    if not pledge.targets.exists() and pledge.value_amount is None:
        hints.append(_("Add at least one quantified target or an estimated value, so progress can be measured."))
    if pledge.end_date is None:
        hints.append(_("Give an end date, so everyone knows when the pledge should be delivered."))
    if len(pledge.description) < 200:
        hints.append(_("Say in the description what will be done, for whom, where and how (a few sentences)."))
    return hints
