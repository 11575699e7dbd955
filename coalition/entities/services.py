"""Writes for entities: access requests (to join an entity, register a new one, or act for a
country), their decisions, and the entities and focal points they create.

Every service is keyword-only, runs in one transaction, checks who is acting, and raises
`PermissionDenied` or `ValidationError` keyed by the form field at fault, worded for the user.
Decisions are recorded on the request (who, when, why) and e-mailed to the requester; the
entities and focal points they create keep their own history.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.mail import mail_send
from coalition.accounts.models import CountryFocalPoint, NotificationKind, User
from coalition.accounts.selectors import user_wants_email
from coalition.accounts.services import _acting_user_check
from coalition.entities.models import AccessRequest, Entity, FocalPoint
from coalition.entities.permissions import user_can_decide_access_request
from coalition.reference.models import Country


def _pending(actor, **what) -> bool:
    return AccessRequest.objects.filter(requester=actor, status=AccessRequest.Status.PENDING, **what).exists()


@transaction.atomic
def access_request_join_entity(*, actor, entity: Entity, message: str = "") -> AccessRequest:
    """Ask to act for an existing entity. Its focal points are told, and they or a reviewer decide."""
    _acting_user_check(actor)
    if FocalPoint.objects.filter(entity=entity, user=actor).exists():
        raise ValidationError({"entity": _("You already act for %(entity)s.") % {"entity": entity}})
    if _pending(actor, kind=AccessRequest.Kind.JOIN_ENTITY, entity=entity):
        raise ValidationError({"entity": _("You have already asked to join %(entity)s.") % {"entity": entity}})
    request = AccessRequest.objects.create(
        requester=actor, kind=AccessRequest.Kind.JOIN_ENTITY, entity=entity, message=message.strip()
    )
    for focal_point in FocalPoint.objects.filter(entity=entity, user__is_active=True).select_related("user"):
        if user_wants_email(user=focal_point.user, kind=NotificationKind.ACCESS_REQUEST):
            mail_send(user=focal_point.user, template="entities/email/join_requested", context={"request": request})
    return request


@transaction.atomic
def access_request_new_entity(
    *, actor, name: str, entity_type: str, home_country: Country | None, website: str = "", message: str = ""
) -> AccessRequest:
    """Ask to register a new entity and act for it. A reviewer decides; approval creates the entity."""
    _acting_user_check(actor)
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the entity's name.")
    elif Entity.objects.filter(name__iexact=name).exists():
        errors["name"] = _("An entity with this name is already registered: ask to join it instead.")
    elif _pending(actor, kind=AccessRequest.Kind.NEW_ENTITY, new_entity_name__iexact=name):
        errors["name"] = _("You have already asked to register this entity.")
    if entity_type not in Entity.Type.values:
        errors["entity_type"] = _("Choose the type of entity.")
    if errors:
        raise ValidationError(errors)
    return AccessRequest.objects.create(
        requester=actor,
        kind=AccessRequest.Kind.NEW_ENTITY,
        new_entity_name=name,
        new_entity_type=entity_type,
        new_entity_country=home_country,
        new_entity_website=website.strip(),
        message=message.strip(),
    )


@transaction.atomic
def access_request_country(*, actor, country: Country, message: str = "") -> AccessRequest:
    """Ask to act as a member-state focal point for a country. A reviewer decides."""
    _acting_user_check(actor)
    if CountryFocalPoint.objects.filter(user=actor, country=country).exists():
        raise ValidationError({"country": _("You already act for %(country)s.") % {"country": country}})
    if _pending(actor, kind=AccessRequest.Kind.COUNTRY, country=country):
        raise ValidationError({"country": _("You have already asked to act for %(country)s.") % {"country": country}})
    return AccessRequest.objects.create(
        requester=actor, kind=AccessRequest.Kind.COUNTRY, country=country, message=message.strip()
    )


def _locked_pending(actor, access_request: AccessRequest) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if not user_can_decide_access_request(actor, locked):
        raise PermissionDenied(_("You may not decide this request."))
    if locked.status != AccessRequest.Status.PENDING:
        raise ValidationError({"status": _("This request was already decided.")})
    return locked


def entity_register(*, actor, name: str, entity_type: str, home_country: Country | None, website: str = "") -> Entity:
    """Create an entity from an approved request, its first version recorded as the approver's."""
    entity = Entity(name=name, entity_type=entity_type, home_country=home_country, website=website)
    entity._history_user = actor
    entity.save()
    return entity


def _focal_point_add(*, actor, entity: Entity, user: User, primary: bool = False) -> FocalPoint:
    focal_point = FocalPoint.objects.filter(entity=entity, user=user).first()
    if focal_point is None:
        focal_point = FocalPoint(
            entity=entity, user=user, name=user.get_full_name(), email=user.email, is_primary=primary
        )
        focal_point._history_user = actor
        focal_point.save()
    return focal_point


@transaction.atomic
def access_request_approve(*, actor, access_request: AccessRequest, reason: str = "") -> AccessRequest:
    """Grant what the request asks for and tell the requester.

    A join makes the requester a focal point of the entity; a new-entity request first registers
    the entity (`entity_register`); a country request makes a `CountryFocalPoint`.
    """
    request = _locked_pending(actor, access_request)
    requester = request.requester
    now = timezone.now()
    if request.kind == AccessRequest.Kind.JOIN_ENTITY:
        _focal_point_add(actor=actor, entity=request.entity, user=requester)
    elif request.kind == AccessRequest.Kind.NEW_ENTITY:
        request.entity = entity_register(
            actor=actor,
            name=request.new_entity_name,
            entity_type=request.new_entity_type,
            home_country=request.new_entity_country,
            website=request.new_entity_website,
        )
        _focal_point_add(actor=actor, entity=request.entity, user=requester, primary=True)
    else:
        CountryFocalPoint.objects.get_or_create(
            user=requester, country=request.country, defaults={"approved_by": actor, "approved_at": now}
        )
    request.status, request.decided_by, request.decided_at, request.reason = (
        AccessRequest.Status.APPROVED,
        actor,
        now,
        reason.strip(),
    )
    request.save()
    mail_send(user=requester, template="entities/email/request_decided", context={"request": request})
    return request


@transaction.atomic
def access_request_decline(*, actor, access_request: AccessRequest, reason: str) -> AccessRequest:
    """Refuse the request with a reason the requester reads in the e-mail."""
    request = _locked_pending(actor, access_request)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is declined: the requester will read it.")})
    request.status, request.decided_by, request.decided_at, request.reason = (
        AccessRequest.Status.DECLINED,
        actor,
        timezone.now(),
        reason.strip(),
    )
    request.save()
    mail_send(user=request.requester, template="entities/email/request_decided", context={"request": request})
    return request
