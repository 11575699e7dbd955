"""Writes to the registry. Every change to a pledge goes through here.

Each service runs in one transaction, checks permission and state, writes, and records one
dated version of the pledge (with who and why) so the registry can be rebuilt as of any date.
Errors are `ValidationError` (keyed by field) or `PermissionDenied`, worded for the user.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from coalition.reference.models import Currency
from coalition.reference.services import usd_value

from .models import Pledge, PledgePartner, PledgeTarget, PledgeTransition, pledge_history
from .permissions import user_can_act_for_entity, user_is_reviewer
from .workflow import EDITABLE_STATES, PLEDGER, REVIEWER, TRANSITIONS, Action, Status

SCALAR_FIELDS = (
    "initiative",
    "lead_entity",
    "title",
    "description",
    "pledge_type",
    "scope",
    "value_amount",
    "value_currency",
    "value_year",
    "start_date",
    "end_date",
    "campaign",
)
M2M_FIELDS = (
    "framework_nodes",
    "beneficiary_countries",
    "beneficiary_regions",
    "beneficiary_groups",
    "sdg_targets",
    "wsis_lines",
)
TARGET_FIELDS = ("description", "unit", "target_value", "baseline_value", "target_date")
REVIEWER_EDITABLE_STATES = EDITABLE_STATES | {Status.SUBMITTED, Status.IN_REVIEW}
MIN_VALUE_YEAR = 1990


def _decimal(value: Any, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        errors[field] = f"“{value}” is not a number."
        return None


def pledge_validate_target(target: Mapping[str, Any], *, prefix: str = "") -> dict[str, str]:
    """Errors of one quantified target, keyed `<prefix><field>`; empty when it is valid."""
    errors: dict[str, str] = {}
    if not (target.get("description") or "").strip():
        errors[f"{prefix}description"] = "Describe what the target measures."
    if not (target.get("unit") or "").strip():
        errors[f"{prefix}unit"] = "Give the unit counted (people trained, schools connected…)."
    value = _decimal(target.get("target_value"), f"{prefix}target_value", errors)
    if value is None and f"{prefix}target_value" not in errors:
        errors[f"{prefix}target_value"] = "Give the target value."
    elif value is not None and value <= 0:
        errors[f"{prefix}target_value"] = "The target value must be greater than zero."
    baseline = _decimal(target.get("baseline_value"), f"{prefix}baseline_value", errors)
    if baseline is not None and baseline < 0:
        errors[f"{prefix}baseline_value"] = "The baseline cannot be negative."
    return errors


def pledge_clean(*, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a complete set of pledge fields and return them normalised.

    `data` holds the scalar fields (model instances for foreign keys; the currency may be
    its ISO code), the many-to-many fields as iterables of instances, `targets` as a list
    of dicts and `partners` as a list of {entity, role}. The USD value is derived here and
    only here. Raises `ValidationError` with one message per offending field.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {name: data.get(name) for name in SCALAR_FIELDS}
    for name in M2M_FIELDS:
        clean[name] = list(data.get(name) or [])

    clean["title"] = (clean["title"] or "").strip()
    clean["description"] = (clean["description"] or "").strip()
    if not clean["title"]:
        errors["title"] = "Give the pledge a title."
    elif len(clean["title"]) > 300:
        errors["title"] = "Keep the title under 300 characters."
    if clean["initiative"] is None:
        errors["initiative"] = "Choose the initiative the pledge is made to."
    if clean["lead_entity"] is None:
        errors["lead_entity"] = "Choose the entity making the pledge."
    if clean["pledge_type"] not in Pledge.Type.values:
        errors["pledge_type"] = f"Choose a type among: {', '.join(Pledge.Type.values)}."
    clean["scope"] = clean["scope"] or Pledge.Scope.NATIONAL
    if clean["scope"] not in Pledge.Scope.values:
        errors["scope"] = f"Choose a scope among: {', '.join(Pledge.Scope.values)}."

    countries, regions = clean["beneficiary_countries"], clean["beneficiary_regions"]
    if clean["scope"] == Pledge.Scope.NATIONAL and len(countries) != 1:
        errors["beneficiary_countries"] = "A single-country pledge names exactly one beneficiary country."
    elif clean["scope"] == Pledge.Scope.MULTI_COUNTRY and len(countries) < 2:
        errors["beneficiary_countries"] = "A multi-country pledge names at least two beneficiary countries."
    elif clean["scope"] == Pledge.Scope.REGIONAL and not regions:
        errors["beneficiary_regions"] = "A regional pledge names at least one region or country group."

    initiative = clean["initiative"]
    if initiative is not None:
        foreign = [node.code for node in clean["framework_nodes"] if node.initiative_id != initiative.pk]
        if foreign:
            errors["framework_nodes"] = f"{', '.join(foreign)} belong(s) to another initiative's framework."
        campaign = clean["campaign"]
        if campaign is not None and campaign.initiative_id != initiative.pk:
            errors["campaign"] = "This campaign belongs to another initiative."

    _clean_value(clean, errors)

    if clean["start_date"] and clean["end_date"] and clean["end_date"] < clean["start_date"]:
        errors["end_date"] = "The end date is before the start date."

    clean["targets"] = []
    for index, target in enumerate(data.get("targets") or []):
        errors.update(pledge_validate_target(target, prefix=f"targets[{index}]."))
        clean["targets"].append({name: target.get(name) for name in TARGET_FIELDS})

    clean["partners"] = []
    seen = set()
    for index, partner in enumerate(data.get("partners") or []):
        entity = partner.get("entity")
        if entity is None:
            errors[f"partners[{index}].entity"] = "Choose the partner entity."
        elif clean["lead_entity"] is not None and entity.pk == clean["lead_entity"].pk:
            errors[f"partners[{index}].entity"] = "The lead entity cannot also be a partner."
        elif entity.pk in seen:
            errors[f"partners[{index}].entity"] = f"{entity} is listed twice."
        else:
            seen.add(entity.pk)
            clean["partners"].append({"entity": entity, "role": (partner.get("role") or "").strip()})

    if errors:
        raise ValidationError(errors)
    return clean


def _clean_value(clean: dict[str, Any], errors: dict[str, str]) -> None:
    """Amount, currency and year come together, and convert to USD at that year's rate."""
    currency = clean["value_currency"]
    if isinstance(currency, str):
        code = currency.strip().upper()
        currency = Currency.objects.filter(code=code).first() if code else None
        if code and currency is None:
            errors["value_currency"] = f"“{code}” is not a known ISO 4217 currency code."
            return
        clean["value_currency"] = currency
    amount = _decimal(clean["value_amount"], "value_amount", errors)
    clean["value_amount"] = amount
    year = clean["value_year"]
    given = [amount is not None, currency is not None, year not in (None, "")]
    clean["value_usd"] = None
    if "value_amount" in errors or not any(given):
        return
    if not all(given):
        for present, field, label in zip(
            given, ("value_amount", "value_currency", "value_year"), ("amount", "currency", "year")
        ):
            if not present:
                errors[field] = f"An estimated value needs its {label} too."
        return
    if amount <= 0:
        errors["value_amount"] = "The estimated value must be greater than zero."
        return
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["value_year"] = f"“{year}” is not a year."
        return
    if not MIN_VALUE_YEAR <= year <= timezone.now().year + 10:
        errors["value_year"] = f"The value year must be between {MIN_VALUE_YEAR} and {timezone.now().year + 10}."
        return
    clean["value_year"] = year
    try:
        clean["value_usd"] = usd_value(amount=amount, currency=currency.code, year=year)
    except ValidationError as error:
        errors.update({field: " ".join(messages) for field, messages in error.message_dict.items()})


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
    pledge.value_usd = clean["value_usd"]
    pledge.skip_history_when_saving = True
    try:
        pledge.save()
        for name in M2M_FIELDS:
            getattr(pledge, name).set(clean[name])
    finally:
        del pledge.skip_history_when_saving
    _replace_children(pledge, clean, actor=actor, at=at)


def _replace_children(pledge: Pledge, clean: Mapping[str, Any], *, actor, at) -> None:
    """Targets and partners are replaced as a whole, keeping rows (and their history) that stay."""
    existing = list(pledge.targets.all())
    for order, target in enumerate(clean["targets"]):
        row = existing[order] if order < len(existing) else PledgeTarget(pledge=pledge)
        values = {**target, "order": order}
        if row.pk and all(_same(getattr(row, k), v) for k, v in values.items()):
            continue
        for key, value in values.items():
            setattr(row, key, value)
        row._history_user, row._history_date = actor, at
        row.save()
    for row in existing[len(clean["targets"]):]:
        row._history_user, row._history_date = actor, at
        row.delete()

    current = {row.entity_id: row for row in pledge.pledge_partners.all()}
    wanted = {partner["entity"].pk: partner for partner in clean["partners"]}
    for entity_id, row in current.items():
        if entity_id not in wanted:
            row._history_user, row._history_date = actor, at
            row.delete()
    for entity_id, partner in wanted.items():
        row = current.get(entity_id) or PledgePartner(pledge=pledge, entity=partner["entity"])
        if row.pk and row.role == partner["role"]:
            continue
        row.role = partner["role"]
        row._history_user, row._history_date = actor, at
        row.save()


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) and new not in (None, ""):
        return old == Decimal(str(new))
    return old == new


@transaction.atomic
def pledge_create(*, actor, data: Mapping[str, Any]) -> Pledge:
    """Create a draft pledge for `data['lead_entity']`.

    The actor must be a focal point of the lead entity, a reviewer or an administrator.
    Writes the pledge, its links, targets and partners, and its first version.
    """
    clean = pledge_clean(data=data)
    if not (user_can_act_for_entity(actor, clean["lead_entity"]) or user_is_reviewer(actor)):
        raise PermissionDenied(f"You cannot make pledges on behalf of {clean['lead_entity']}.")
    now = timezone.now()
    pledge = Pledge(status=Status.DRAFT, created_by=actor)
    _write(pledge, clean, actor=actor, at=now)
    _record_version(pledge, actor=actor, reason="created", created=True, at=now)
    return pledge


@transaction.atomic
def pledge_update(*, actor, pledge: Pledge, data: Mapping[str, Any]) -> Pledge:
    """Replace a pledge's content with `data` (a complete set of fields, as for creation).

    Pledgers edit drafts and pledges returned for changes; reviewers may also correct
    pledges under review. Published pledges are not edited in place. Records one version
    only when something changed.
    """
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    is_reviewer = user_is_reviewer(actor)
    if not (is_reviewer or user_can_act_for_entity(actor, pledge.lead_entity)):
        raise PermissionDenied("You cannot edit this pledge.")
    editable = REVIEWER_EDITABLE_STATES if is_reviewer else EDITABLE_STATES
    if pledge.status not in editable:
        raise ValidationError(
            {"status": f"A {pledge.get_status_display().lower()} pledge cannot be edited."}
        )
    clean = pledge_clean(data=data)
    if clean["lead_entity"].pk != pledge.lead_entity_id and not (
        is_reviewer or user_can_act_for_entity(actor, clean["lead_entity"])
    ):
        raise PermissionDenied(f"You cannot move this pledge to {clean['lead_entity']}.")
    before = pledge_snapshot(pledge)
    now = timezone.now()
    _write(pledge, clean, actor=actor, at=now)
    if pledge_snapshot(pledge) != before:
        _record_version(pledge, actor=actor, reason="edited", at=now)
    return pledge


def pledge_snapshot(pledge: Pledge) -> dict[str, Any]:
    """Everything a version records, to tell whether an edit changed anything."""
    snapshot = {name: getattr(pledge, f"{name}_id", getattr(pledge, name, None)) for name in SCALAR_FIELDS}
    snapshot["value_usd"] = pledge.value_usd
    for name in M2M_FIELDS:
        snapshot[name] = sorted(getattr(pledge, name).values_list("pk", flat=True))
    snapshot["targets"] = [
        tuple(getattr(t, f) for f in TARGET_FIELDS) for t in pledge.targets.all()
    ]
    snapshot["partners"] = sorted(pledge.pledge_partners.values_list("entity_id", "role"))
    return snapshot


@transaction.atomic
def pledge_transition(*, actor, pledge: Pledge, action: str, comment: str = "", at: datetime.datetime | None = None) -> Pledge:
    """Move a pledge along the workflow table in `workflow.py`.

    Pledger actions (submit, withdraw) need a focal point of the lead entity; review actions
    need a reviewer. The row is locked, so two reviewers cannot decide at once. Records a
    `PledgeTransition` and a new version. Raises ValidationError naming `action` when the
    move is not allowed from the current state.
    """
    if action not in TRANSITIONS:
        raise ValidationError({"action": f"Unknown action “{action}”."})
    sources, target, who, needs_comment = TRANSITIONS[action]
    pledge = Pledge.objects.select_for_update().select_related("lead_entity").get(pk=pledge.pk)
    if who == REVIEWER and not user_is_reviewer(actor):
        raise PermissionDenied("Only the secretariat's reviewers can do this.")
    if who == PLEDGER and not (user_can_act_for_entity(actor, pledge.lead_entity) or user_is_reviewer(actor)):
        raise PermissionDenied(f"Only focal points of {pledge.lead_entity} can do this.")
    if pledge.status not in sources:
        raise ValidationError(
            {
                "action": f"Cannot {Action(action).label.lower()} a pledge that is "
                f"{pledge.get_status_display().lower()}."
            }
        )
    comment = (comment or "").strip()
    if needs_comment and not comment:
        raise ValidationError({"comment": "Explain the decision so the pledger knows what to do."})
    if action == Action.SUBMIT:
        _check_complete(pledge)

    now = at or timezone.now()
    previous = pledge.status
    pledge.status = target
    if target == Status.SUBMITTED:
        pledge.submitted_at = now
    if target == Status.PUBLISHED:
        pledge.published_at = now
    pledge.skip_history_when_saving = True
    try:
        pledge.save(update_fields=["status", "submitted_at", "published_at", "updated_at"])
    finally:
        del pledge.skip_history_when_saving
    PledgeTransition.objects.create(
        pledge=pledge, action=action, from_status=previous, to_status=target, actor=actor, at=now, comment=comment
    )
    _record_version(pledge, actor=actor, reason=action, at=now)
    return pledge


def _check_complete(pledge: Pledge) -> None:
    """What a pledge needs before the secretariat can review it."""
    errors = {}
    if not pledge.description:
        errors["description"] = "Describe what the pledge will do before submitting it."
    if not pledge.framework_nodes.exists():
        errors["framework_nodes"] = "Choose at least one focus area or pillar before submitting."
    if errors:
        raise ValidationError(errors)


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


def pledge_data(pledge: Pledge) -> dict[str, Any]:
    """A pledge's current content in the shape `pledge_update` takes: edit a copy, pass it back."""
    data: dict[str, Any] = {name: getattr(pledge, name) for name in SCALAR_FIELDS}
    for name in M2M_FIELDS:
        data[name] = list(getattr(pledge, name).all())
    data["targets"] = [{f: getattr(t, f) for f in TARGET_FIELDS} for t in pledge.targets.all()]
    data["partners"] = [{"entity": p.entity, "role": p.role} for p in pledge.pledge_partners.select_related("entity")]
    return data
