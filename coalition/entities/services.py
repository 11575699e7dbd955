"""Writes for entities: access requests (to join an entity, register a new one, or act for a
country), their decisions, and the entities and focal points they create.

Every service is keyword-only, runs in one transaction, checks who is acting, and raises
`PermissionDenied` or `ValidationError` keyed by the form field at fault, worded for the user.
Decisions are recorded on the request (who, when, why) and e-mailed to the requester; the
entities and focal points they create keep their own history.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.mail import mail_send
from coalition.accounts.models import CountryFocalPoint, NotificationKind, User
from coalition.accounts.roles import signed_in_check, user_is_reviewer
from coalition.accounts.selectors import user_wants_email
from coalition.common.spelling import name_key
from coalition.common.text import MESSAGE_LIMIT, TEXT_LIMIT, length_check, line_clean, text_clean, too_long
from coalition.common.versions import delete_with_version, save_with_version
from coalition.entities.models import AccessRequest, Entity, FocalPoint
from coalition.entities.permissions import user_can_act_for_entity, user_can_decide_access_request
from coalition.entities.selectors import entity_duplicates
from coalition.reference.models import Country


def _limited(text, *, field: str, limit: int, label) -> str:
    """`text` cleaned, or a ValidationError on `field` when it is longer than `limit` characters."""
    text = text_clean(text)
    if problem := too_long(text, limit=limit, label=label):
        raise ValidationError({field: problem})
    return text


def _message(text) -> str:
    return _limited(text, field="message", limit=MESSAGE_LIMIT, label=_("message"))


def _reason(text) -> str:
    return _limited(text, field="reason", limit=MESSAGE_LIMIT, label=_("reason"))


class DuplicateEntity(ValidationError):
    """A new entity's name is already registered (`confirmable` false), or is a few slips away from
    a registered one (`confirmable`: the requester may say theirs is a different organisation).

    The message, on `name`, names the entities, listed in `entities` so the page can offer to join
    them instead."""

    def __init__(self, errors: dict, *, entities: list[Entity], confirmable: bool):
        super().__init__(errors)
        self.entities, self.confirmable = entities, confirmable


def _names(entities: list[Entity]) -> str:
    return ", ".join(f"“{entity}”" for entity in entities)


def _pending(actor, **what) -> bool:
    return AccessRequest.objects.filter(requester=actor, status=AccessRequest.Status.PENDING, **what).exists()


@transaction.atomic
def access_request_join_entity(*, actor, entity: Entity, message: str = "") -> AccessRequest:
    """Ask to act for an existing entity. Its focal points are told, and they or a reviewer decide."""
    signed_in_check(actor)
    if FocalPoint.objects.filter(entity=entity, user=actor).exists():
        raise ValidationError({"entity": _("You already act for %(entity)s.") % {"entity": entity}})
    if _pending(actor, kind=AccessRequest.Kind.JOIN_ENTITY, entity=entity):
        raise ValidationError({"entity": _("You have already asked to join %(entity)s.") % {"entity": entity}})
    request = AccessRequest.objects.create(
        requester=actor, kind=AccessRequest.Kind.JOIN_ENTITY, entity=entity, message=_message(message)
    )
    for focal_point in FocalPoint.objects.filter(entity=entity, user__is_active=True).select_related("user"):
        if user_wants_email(user=focal_point.user, kind=NotificationKind.ACCESS_REQUEST):
            mail_send(user=focal_point.user, template="entities/email/join_requested", context={"request": request})
    return request


@transaction.atomic
def access_request_new_entity(
    *, actor, name: str, entity_type: str, home_country: Country | None, website: str = "", message: str = "",
    different_entity: bool = False,
) -> AccessRequest:
    """Ask to register a new entity and act for it. A reviewer decides; approval creates the entity.

    A name already registered as an entity's name or acronym, case, accents and punctuation aside,
    is refused; a name a few slips away from a registered one is refused until the requester says
    theirs is a `different_entity`. Both raise `DuplicateEntity`, naming the entities to join instead.
    """
    signed_in_check(actor)
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    similar: list[Entity] = []  # registered entities the name repeats
    if not name:
        errors["name"] = _("Enter the entity's name.")
    elif problem := too_long(name, limit=Entity._meta.get_field("name").max_length, label=_("entity name")):
        errors["name"] = problem
    elif (found := entity_duplicates(name=name)) and found[0]:
        similar = found[0]
        errors["name"] = _("%(entities)s is already registered: ask to join it instead (it is listed above).") % {
            "entities": _names(similar)
        }
    elif found[1] and not different_entity:
        similar = found[1]
        errors["name"] = _(
            "This looks like %(entities)s, already registered. If it is the same organisation, ask to join it "
            "instead (it is listed above); if it is a different one, tick “It is a different organisation” and "
            "send again."
        ) % {"entities": _names(similar)}
    elif _pending(actor, kind=AccessRequest.Kind.NEW_ENTITY, new_entity_name__iexact=name):
        errors["name"] = _("You have already asked to register this entity.")
    if entity_type not in Entity.Type.values:
        errors["entity_type"] = _("Choose the type of entity.")
    length_check(errors, "website", text_clean(website), limit=Entity._meta.get_field("website").max_length,
                 label=_("website"))
    length_check(errors, "message", text_clean(message), limit=MESSAGE_LIMIT, label=_("message"))
    if similar:
        raise DuplicateEntity(errors, entities=similar, confirmable=not found[0])
    if errors:
        raise ValidationError(errors)
    return AccessRequest.objects.create(
        requester=actor,
        kind=AccessRequest.Kind.NEW_ENTITY,
        new_entity_name=name,
        new_entity_type=entity_type,
        new_entity_country=home_country,
        new_entity_website=text_clean(website),
        message=text_clean(message),
    )


@transaction.atomic
def access_request_country(*, actor, country: Country, message: str = "") -> AccessRequest:
    """Ask to act as a member-state focal point for a country. A reviewer decides."""
    signed_in_check(actor)
    if CountryFocalPoint.objects.filter(user=actor, country=country).exists():
        raise ValidationError({"country": _("You already act for %(country)s.") % {"country": country}})
    if _pending(actor, kind=AccessRequest.Kind.COUNTRY, country=country):
        raise ValidationError({"country": _("You have already asked to act for %(country)s.") % {"country": country}})
    return AccessRequest.objects.create(
        requester=actor, kind=AccessRequest.Kind.COUNTRY, country=country, message=_message(message)
    )


def _locked_pending(actor, access_request: AccessRequest) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if not user_can_decide_access_request(actor, locked):
        raise PermissionDenied(_("You may not decide this request."))
    if locked.status != AccessRequest.Status.PENDING:
        raise ValidationError({"status": _("This request was already decided.")})
    return locked


@transaction.atomic
def access_request_assign(*, actor, access_request: AccessRequest) -> AccessRequest:
    """A reviewer takes a pending request in hand ("assign to me"), so colleagues leave it to them."""
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers can assign reviews."))
    request = _locked_pending(actor, access_request)
    request.assigned_to = actor
    request.save(update_fields=["assigned_to"])
    return request


# --- Entities and their focal points ------------------------------------------------------------

ENTITY_FIELDS = ("name", "acronym", "entity_type", "home_country", "itu_membership", "website", "description")


def entity_clean(data: Mapping[str, Any], *, entity: Entity | None = None) -> dict[str, Any]:
    """The entity's fields normalised, or a ValidationError naming each field at fault."""
    clean = {name: data.get(name) for name in ENTITY_FIELDS}
    for name in ("name", "acronym", "website", "description"):
        clean[name] = line_clean(clean[name]) if name != "description" else text_clean(clean[name])
    clean["itu_membership"] = clean["itu_membership"] or Entity.ItuMembership.NONE
    errors: dict[str, str] = {}
    if not clean["name"]:
        errors["name"] = _("Enter the entity's name.")
    elif problem := too_long(clean["name"], limit=Entity._meta.get_field("name").max_length, label=_("name")):
        errors["name"] = problem
    elif Entity.objects.filter(search_name=name_key(clean["name"])).exclude(pk=getattr(entity, "pk", None)).exists():
        errors["name"] = _("An entity with this name is already registered.")
    length_check(errors, "acronym", clean["acronym"], limit=Entity._meta.get_field("acronym").max_length,
                 label=_("acronym"))
    length_check(errors, "website", clean["website"], limit=Entity._meta.get_field("website").max_length,
                 label=_("website"))
    length_check(errors, "description", clean["description"], limit=TEXT_LIMIT, label=_("description"))
    if clean["entity_type"] not in Entity.Type.values:
        errors["entity_type"] = _("Choose the type of entity.")
    if clean["itu_membership"] not in Entity.ItuMembership.values:
        errors["itu_membership"] = _("Choose the ITU membership.")
    if errors:
        raise ValidationError(errors)
    return clean


def _secretariat_check(actor) -> None:
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat registers entities."))


@transaction.atomic
def entity_register(*, actor, data: Mapping[str, Any]) -> Entity:
    """Register an entity (the fields of `ENTITY_FIELDS`), its first version recorded as the actor's.

    Reviewers and administrators register entities, directly or by approving a new-entity request.
    A name already registered (in any letter case) is refused on `name`.
    """
    _secretariat_check(actor)
    entity = Entity(**entity_clean(data))
    save_with_version(entity, actor=actor, reason="registered", at=timezone.now())
    return entity


@transaction.atomic
def entity_update(*, actor, entity: Entity, data: Mapping[str, Any]) -> Entity:
    """Replace an entity's details with `data` (the fields of `ENTITY_FIELDS`).

    The secretariat and the entity's own focal points may; one version records who changed what,
    only when something changed.
    """
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if not (user_is_reviewer(actor) or user_can_act_for_entity(actor, entity)):
        raise PermissionDenied(_("You cannot change %(entity)s.") % {"entity": entity})
    clean = entity_clean(data, entity=entity)
    if all(getattr(entity, name) == value for name, value in clean.items()):
        return entity
    for name, value in clean.items():
        setattr(entity, name, value)
    save_with_version(entity, actor=actor, reason="edited", at=timezone.now())
    return entity


def _focal_point_add(*, actor, entity: Entity, user: User, primary: bool = False) -> FocalPoint:
    focal_point = FocalPoint.objects.filter(entity=entity, user=user).first()
    if focal_point is None:
        focal_point = FocalPoint(
            entity=entity, user=user, name=user.get_full_name(), email=user.email, is_primary=primary
        )
        save_with_version(focal_point, actor=actor, reason="added", at=timezone.now())
    return focal_point


def _administrator_check(actor) -> None:
    if not (actor is not None and actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only administrators add or change focal points here; others ask to join."))


FOCAL_POINT_FIELDS = ("name", "email", "phone", "position", "is_primary", "user")


@transaction.atomic
def focal_point_save(*, actor, entity: Entity, data: Mapping[str, Any], focal_point: FocalPoint | None = None) -> FocalPoint:
    """Add a focal point to `entity` (or change `focal_point`): administrators only.

    Everyone else asks to join and is approved (`access_request_approve`). When the person has an
    account (`user`), the grant is also recorded as an approved request decided by the
    administrator, so the access log shows who gave whom access to the entity.
    """
    _administrator_check(actor)
    if focal_point is not None and focal_point.entity_id != entity.pk:
        raise ValidationError({"entity": _("This focal point belongs to another entity.")})
    row = focal_point or FocalPoint(entity=entity)
    newly_linked = data.get("user") is not None and (focal_point is None or focal_point.user_id != data["user"].pk)
    for name in FOCAL_POINT_FIELDS:
        value = data.get(name)
        if name == "is_primary":
            value = bool(value)
        elif name != "user":
            value = " ".join((value or "").split())
        setattr(row, name, value)
    if not row.name:
        raise ValidationError({"name": _("Enter the focal point's name.")})
    if not row.email:
        raise ValidationError({"email": _("Enter the focal point's e-mail address.")})
    save_with_version(row, actor=actor, reason="edited" if focal_point else "added", at=timezone.now())
    if newly_linked:
        now = timezone.now()
        AccessRequest.objects.create(
            requester=row.user, kind=AccessRequest.Kind.JOIN_ENTITY, entity=entity,
            status=AccessRequest.Status.APPROVED, decided_by=actor, decided_at=now,
            reason=_("Added by an administrator in the administration."),
        )
    return row


@transaction.atomic
def focal_point_remove(*, actor, focal_point: FocalPoint) -> None:
    """Remove a focal point: administrators only. Its versions keep the record."""
    _administrator_check(actor)
    delete_with_version(focal_point, actor=actor, reason="removed", at=timezone.now())


@transaction.atomic
def access_request_approve(*, actor, access_request: AccessRequest, reason: str = "") -> AccessRequest:
    """Grant what the request asks for and tell the requester.

    A join makes the requester a focal point of the entity; a new-entity request first registers
    the entity (`entity_register`); a country request makes a `CountryFocalPoint`.
    """
    request = _locked_pending(actor, access_request)
    reason = _reason(reason)
    requester = request.requester
    now = timezone.now()
    if request.kind == AccessRequest.Kind.JOIN_ENTITY:
        _focal_point_add(actor=actor, entity=request.entity, user=requester)
    elif request.kind == AccessRequest.Kind.NEW_ENTITY:
        request.entity = entity_register(actor=actor, data={
            "name": request.new_entity_name, "entity_type": request.new_entity_type,
            "home_country": request.new_entity_country, "website": request.new_entity_website,
        })
        _focal_point_add(actor=actor, entity=request.entity, user=requester, primary=True)
    else:
        CountryFocalPoint.objects.get_or_create(
            user=requester, country=request.country, defaults={"approved_by": actor, "approved_at": now}
        )
    request.status, request.decided_by, request.decided_at, request.reason = (
        AccessRequest.Status.APPROVED,
        actor,
        now,
        text_clean(reason),
    )
    request.save()
    mail_send(user=requester, template="entities/email/request_decided", context={"request": request})
    return request


@transaction.atomic
def access_request_decline(*, actor, access_request: AccessRequest, reason: str) -> AccessRequest:
    """Refuse the request with a reason the requester reads in the e-mail."""
    request = _locked_pending(actor, access_request)
    if not text_clean(reason):
        raise ValidationError({"reason": _("Say why the request is declined: the requester will read it.")})
    reason = _reason(reason)
    request.status, request.decided_by, request.decided_at, request.reason = (
        AccessRequest.Status.DECLINED,
        actor,
        timezone.now(),
        text_clean(reason),
    )
    request.save()
    mail_send(user=request.requester, template="entities/email/request_decided", context={"request": request})
    return request
