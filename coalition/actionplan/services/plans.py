"""Writes to the action plans' structure: loading a plan's file, the secretariat's edits of plans,
pillars, actions and deliverables, the working-group leads' progress updates, and who leads
which working group.

Every service is keyword-only, runs in one transaction, checks who acts (`PermissionDenied`
with a message the person can act on) and raises `ValidationError` keyed by the field at fault.
Plans, pillars, actions and deliverables are written through `structure.record_save` and
`structure.action_save`: one dated version per change, none when nothing changed, so progress
reads as of any date. Nothing that another record refers to is deleted (`structure.references`).
"""

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.loading import PlanLoader
from coalition.actionplan.models import Action, Deliverable, Pillar, Plan, WorkingGroupLead
from coalition.actionplan.permissions import user_may_update_action
from coalition.actionplan.structure import (
    ACTION_FIELDS,
    DELIVERABLE_FIELDS,
    PILLAR_FIELDS,
    PLAN_FIELDS,
    action_clean,
    action_save,
    action_status_clean,
    deliverable_clean,
    deliverable_progress_clean,
    pillar_clean,
    plan_clean,
    record_save,
    references,
)
from coalition.common.actors import is_system, person
from coalition.common.versions import delete_with_version
from coalition.reference.importing import run_import
from coalition.reference.models import ImportRun

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data"
# The plans the project ships, in the order they load (a plan after the one it follows).
SHIPPED_PLANS = ("ap-is-2022-2026.yaml", "ap-is-2027-2030-draft.yaml")


def _reviewer_check(actor) -> None:
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers can change the structure of an action plan."))


# --- Loading a plan's file ---------------------------------------------------------------------------


def plan_file_load(*, actor, path: Path | str, dry_run: bool = False) -> ImportRun:
    """Load the plan described in the YAML or CSV file at `path` (`loading`), as a reviewer or
    the system (commands, the demo); return its ImportRun, succeeded or failed with every error
    (line and field) and nothing written. A `dry_run` validates and counts what would change
    without writing it. Runs in its own transaction (the runner's): call it outside one, so a
    failed run's record is kept."""
    if not is_system(actor):
        _reviewer_check(actor)
    return run_import(loader=PlanLoader(path, actor=actor, dry_run=dry_run), user=person(actor))


def plans_shipped_load(*, actor, dry_run: bool = False) -> list[ImportRun]:
    """Load the plans the project ships (SHIPPED_PLANS, from `data/`) in order, stopping at the
    first refused; return their runs. Loading them again changes nothing."""
    runs = []
    for name in SHIPPED_PLANS:
        run = plan_file_load(actor=actor, path=SHIPPED_DIR / name, dry_run=dry_run)
        runs.append(run)
        if run.status != ImportRun.Status.SUCCEEDED:
            break
    return runs


# --- The secretariat's edits ------------------------------------------------------------------------


def _with_errors(errors: dict, call, *args) -> dict:
    """`call(*args)`'s result, its ValidationError messages added to `errors` instead of raised."""
    try:
        return call(*args)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
        return {}


def _plan_links_check(errors: dict, *, plan: Plan | None, slug: str, initiative, previous) -> None:
    if initiative is None:
        errors["initiative"] = _("Choose the initiative the plan belongs to.")
    if slug and Plan.objects.filter(slug=slug).exclude(pk=getattr(plan, "pk", None)).exists():
        errors["slug"] = _("Another plan has the slug “%(slug)s”.") % {"slug": slug}
    if previous is None:
        return
    if initiative is not None and previous.initiative_id != initiative.pk:
        errors["previous"] = _("The previous plan is a plan of another initiative.")
    ancestor, seen = previous, set()
    while ancestor is not None and ancestor.pk not in seen:
        if plan is not None and ancestor.pk == plan.pk:
            errors["previous"] = _("A plan cannot follow itself, or a plan that follows it.")
            break
        seen.add(ancestor.pk)
        ancestor = ancestor.previous


def plan_validate(*, plan: Plan | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` (PLAN_FIELDS, `initiative`, `previous`) checked for `plan` (None for a new one) and
    returned as the values to save; ValidationError keyed by field. Writes nothing (the admin's
    forms call it to show errors beside their fields)."""
    errors: dict[str, str] = {}
    clean = _with_errors(errors, plan_clean, {name: data.get(name) for name in PLAN_FIELDS})
    initiative, previous = data.get("initiative"), data.get("previous")
    _plan_links_check(errors, plan=plan, slug=clean.get("slug", ""), initiative=initiative, previous=previous)
    if errors:
        raise ValidationError(errors)
    return {**clean, "initiative": initiative, "previous": previous}


@transaction.atomic
def plan_create(*, actor, data: Mapping[str, Any]) -> Plan:
    """A new plan from `data` (PLAN_FIELDS, `initiative`, `previous`). Reviewers only; writes its first version."""
    _reviewer_check(actor)
    plan = Plan()
    record_save(plan, plan_validate(plan=None, data=data), actor=person(actor), reason="created", at=timezone.now())
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, data: Mapping[str, Any]) -> Plan:
    """Replace a plan's fields with `data` (as for `plan_create`). Reviewers only; writes a
    version when something changed."""
    _reviewer_check(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    record_save(plan, plan_validate(plan=plan, data=data), actor=person(actor), reason="edited", at=timezone.now())
    return plan


def pillar_validate(*, plan: Plan, pillar: Pillar | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` (PILLAR_FIELDS, `framework_node`) checked for `pillar` of `plan` (None for a new
    one) and returned as the values to save; ValidationError keyed by field. Writes nothing."""
    errors: dict[str, str] = {}
    clean = _with_errors(errors, pillar_clean, {name: data.get(name) for name in PILLAR_FIELDS})
    node = data.get("framework_node")
    if node is not None and node.initiative_id != plan.initiative_id:
        errors["framework_node"] = _("Choose a framework node of the plan's initiative.")
    if clean and plan.pillars.filter(code=clean["code"]).exclude(pk=getattr(pillar, "pk", None)).exists():
        errors["code"] = _("The plan has another pillar %(code)s.") % {"code": clean["code"]}
    if errors:
        raise ValidationError(errors)
    return {**clean, "framework_node": node}


@transaction.atomic
def pillar_create(*, actor, plan: Plan, data: Mapping[str, Any]) -> Pillar:
    """A new pillar of `plan` from `data` (PILLAR_FIELDS, `framework_node`). Reviewers only."""
    _reviewer_check(actor)
    pillar = Pillar(plan=plan)
    record_save(pillar, pillar_validate(plan=plan, pillar=None, data=data), actor=person(actor), reason="created",
                at=timezone.now())
    return pillar


@transaction.atomic
def pillar_update(*, actor, pillar: Pillar, data: Mapping[str, Any]) -> Pillar:
    """Replace a pillar's fields with `data` (as for `pillar_create`). Reviewers only."""
    _reviewer_check(actor)
    pillar = Pillar.objects.select_for_update().select_related("plan").get(pk=pillar.pk)
    record_save(pillar, pillar_validate(plan=pillar.plan, pillar=pillar, data=data), actor=person(actor),
                reason="edited", at=timezone.now())
    return pillar


@transaction.atomic
def pillar_delete(*, actor, pillar: Pillar) -> None:
    """Delete a pillar that has no actions and no working-group leads left (its history stays).
    Reviewers only."""
    _reviewer_check(actor)
    pillar = Pillar.objects.select_for_update().get(pk=pillar.pk)
    if found := references(pillar):
        raise ValidationError({"code": _("Pillar %(code)s cannot be deleted: %(what)s. Move or delete them first.")
                                        % {"code": pillar.code, "what": "; ".join(found)}})
    delete_with_version(pillar, actor=person(actor), reason="deleted", at=timezone.now())


def action_validate(*, plan: Plan, action: Action | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` (ACTION_FIELDS, `pillar`, `lead`, `partners`, `countries`, `continues`) checked for
    `action` of `plan` (None for a new one) and returned as the values to save, the partners and
    countries as lists; ValidationError keyed by field. Writes nothing."""
    errors: dict[str, str] = {}
    clean = _with_errors(errors, action_clean, {name: data.get(name) for name in ACTION_FIELDS})
    pillar, continues = data.get("pillar"), data.get("continues")
    if pillar is None or pillar.plan_id != plan.pk:
        errors["pillar"] = _("Choose a pillar of the plan.")
    if continues is not None and (plan.previous_id is None or continues.plan_id != plan.previous_id):
        errors["continues"] = _("An action continues an action of the previous plan only.")
    if clean and Action.objects.filter(plan=plan, code=clean["code"]).exclude(pk=getattr(action, "pk", None)).exists():
        errors["code"] = _("The plan has another action %(code)s.") % {"code": clean["code"]}
    if errors:
        raise ValidationError(errors)
    return {**clean, "pillar": pillar, "lead": data.get("lead"), "continues": continues,
            "partners": list(data.get("partners") or []), "countries": list(data.get("countries") or [])}


def _action_write(*, actor, action: Action, values: dict[str, Any], reason: str) -> Action:
    values = dict(values)
    partners, countries = values.pop("partners"), values.pop("countries")
    action_save(action, values, partners=partners, countries=countries, actor=person(actor), reason=reason,
                at=timezone.now())
    return action


@transaction.atomic
def action_create(*, actor, plan: Plan, data: Mapping[str, Any]) -> Action:
    """A new action of `plan` from `data` (ACTION_FIELDS, `pillar`, `lead`, `partners`,
    `countries`, `continues`: an action of the previous plan). Reviewers only."""
    _reviewer_check(actor)
    return _action_write(actor=actor, action=Action(plan=plan), values=action_validate(plan=plan, action=None, data=data),
                         reason="created")


@transaction.atomic
def action_update(*, actor, action: Action, data: Mapping[str, Any]) -> Action:
    """Replace an action's fields and links with `data` (as for `action_create`). Reviewers
    only; one version for the whole change, none when nothing changed."""
    _reviewer_check(actor)
    action = Action.objects.select_for_update().select_related("plan").get(pk=action.pk)
    return _action_write(actor=actor, action=action, values=action_validate(plan=action.plan, action=action, data=data),
                         reason="edited")


@transaction.atomic
def action_delete(*, actor, action: Action) -> None:
    """Delete an action and its deliverables (their history stays), unless a later plan's
    action continues it or activities, measures or practices name it. Reviewers only."""
    _reviewer_check(actor)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if found := references(action, own=frozenset({"deliverables"})):
        raise ValidationError({"code": _("Action %(code)s cannot be deleted: %(what)s. Mark it discontinued "
                                         "instead.") % {"code": action.code, "what": "; ".join(found)}})
    at = timezone.now()
    for deliverable in action.deliverables.all():
        delete_with_version(deliverable, actor=person(actor), reason="deleted with its action", at=at)
    delete_with_version(action, actor=person(actor), reason="deleted", at=at)


def deliverable_validate(*, action: Action, deliverable: Deliverable | None, data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` (DELIVERABLE_FIELDS) checked for `deliverable` of `action` (None for a new one) and
    returned as the values to save; ValidationError keyed by field. Writes nothing."""
    errors: dict[str, str] = {}
    clean = _with_errors(errors, deliverable_clean, {name: data.get(name) for name in DELIVERABLE_FIELDS})
    if clean and action.pk and action.deliverables.filter(code=clean["code"]).exclude(
            pk=getattr(deliverable, "pk", None)).exists():
        errors["code"] = _("The action has another deliverable %(code)s.") % {"code": clean["code"]}
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def deliverable_create(*, actor, action: Action, data: Mapping[str, Any]) -> Deliverable:
    """A new deliverable of `action` from `data` (DELIVERABLE_FIELDS). Reviewers only."""
    _reviewer_check(actor)
    deliverable = Deliverable(action=action)
    record_save(deliverable, deliverable_validate(action=action, deliverable=None, data=data), actor=person(actor),
                reason="created", at=timezone.now())
    return deliverable


@transaction.atomic
def deliverable_update(*, actor, deliverable: Deliverable, data: Mapping[str, Any]) -> Deliverable:
    """Replace a deliverable's fields with `data` (DELIVERABLE_FIELDS). Reviewers only; a
    version only when something changed."""
    _reviewer_check(actor)
    deliverable = Deliverable.objects.select_for_update().select_related("action").get(pk=deliverable.pk)
    record_save(deliverable, deliverable_validate(action=deliverable.action, deliverable=deliverable, data=data),
                actor=person(actor), reason="edited", at=timezone.now())
    return deliverable


@transaction.atomic
def deliverable_delete(*, actor, deliverable: Deliverable) -> None:
    """Delete a deliverable (its history stays: earlier dates still count it). Reviewers only."""
    _reviewer_check(actor)
    delete_with_version(deliverable, actor=person(actor), reason="deleted", at=timezone.now())


# --- Progress, by the working groups ----------------------------------------------------------------


@transaction.atomic
def action_progress_update(
    *, actor, action: Action, status: str, deliverables: Mapping[int, Mapping[str, Any]],
    today: datetime.date | None = None,
) -> Action:
    """Set an action's status and its deliverables' progress, status and delivery date
    (`deliverables`: {deliverable id: {progress, status, delivered_on}}; deliverables left out
    keep theirs). The secretariat's reviewers and the leads of the action's pillar may. All or
    nothing: errors are keyed `status` and `deliverable-<id>-<field>`. A version is written for
    each record that changed, all at one moment."""
    action = Action.objects.select_for_update().select_related("pillar", "plan").get(pk=action.pk)
    if not user_may_update_action(actor, action):
        raise PermissionDenied(_("Only the leads of the %(group)s working group and the secretariat can update "
                                 "this action.") % {"group": action.pillar.working_group or action.pillar.name})
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    clean_status = _with_errors(errors, lambda: {"status": action_status_clean(status)}).get("status")
    own = {deliverable.pk: deliverable for deliverable in action.deliverables.select_for_update()}
    updates = {}
    for pk, values in deliverables.items():
        if pk not in own:
            errors["deliverables"] = _("A deliverable sent is not one of this action's; reload the page.")
            continue
        found: dict[str, str] = {}
        updates[pk] = _with_errors(found, lambda: deliverable_progress_clean(values, today=today))
        errors.update({f"deliverable-{pk}-{field}": message for field, message in found.items()})
    if errors:
        raise ValidationError(errors)
    at, who = timezone.now(), person(actor)
    record_save(action, {"status": clean_status}, actor=who, reason="progress updated", at=at)
    for pk, clean in updates.items():
        record_save(own[pk], clean, actor=who, reason="progress updated", at=at)
    return action


# --- Working-group leads ----------------------------------------------------------------------------


@transaction.atomic
def working_group_lead_appoint(*, actor, pillar: Pillar, user) -> WorkingGroupLead:
    """Make `user` a lead of `pillar`'s working group: they then update its actions' progress
    and record activities. Reviewers only; an account appointed already is refused."""
    _reviewer_check(actor)
    if user is None or not user.is_active:
        raise ValidationError({"user": _("Choose an active account.")})
    if WorkingGroupLead.objects.filter(pillar=pillar, user=user).exists():
        raise ValidationError({"user": _("%(user)s already leads this working group.") % {"user": user}})
    return WorkingGroupLead.objects.create(pillar=pillar, user=user, appointed_by=person(actor),
                                           appointed_at=timezone.now())


@transaction.atomic
def working_group_lead_remove(*, actor, lead: WorkingGroupLead) -> None:
    """End an appointment as working-group lead. Reviewers only."""
    _reviewer_check(actor)
    WorkingGroupLead.objects.filter(pk=lead.pk).delete()
