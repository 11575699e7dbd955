"""Reads for accounts: a user's roles, requests, tokens and notification preferences, and the
requests a user may decide."""

from django.db.models import Q, QuerySet

from coalition.pledges.models import Entity, FocalPoint
from coalition.pledges.permissions import user_is_reviewer

from .models import AccessRequest, ApiToken, CountryFocalPoint, NotificationKind, NotificationPreferences


def focal_points_of(*, user) -> QuerySet[FocalPoint]:
    """The entities the user acts for, as focal-point rows with their entity and its country."""
    return FocalPoint.objects.filter(user=user).select_related("entity", "entity__home_country")


def country_focal_points_of(*, user) -> QuerySet[CountryFocalPoint]:
    return CountryFocalPoint.objects.filter(user=user).select_related("country")


def access_requests_of(*, user) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(requester=user).select_related("entity", "country", "new_entity_country")


def access_requests_pending_for(*, user) -> QuerySet[AccessRequest]:
    """Pending requests the user may decide: all of them for reviewers, joins to their entities otherwise.

    Kept in step with `permissions.user_can_decide_access_request`.
    """
    pending = AccessRequest.objects.filter(status=AccessRequest.Status.PENDING).select_related(
        "requester", "entity", "country", "new_entity_country"
    )
    if user is None or not user.is_authenticated or not user.is_active:
        return pending.none()
    pending = pending.exclude(requester=user).order_by("created_at", "pk")
    if user_is_reviewer(user):
        return pending
    return pending.filter(kind=AccessRequest.Kind.JOIN_ENTITY, entity__focal_points__user=user).distinct()


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's tokens still in use, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def entity_search(*, query: str, limit: int = 20) -> list[Entity]:
    """Entities whose name or acronym contains the words typed (each word, any order)."""
    words = query.split()[:6]
    if not words:
        return []
    entities = Entity.objects.select_related("home_country")
    for word in words:
        entities = entities.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
    return list(entities.order_by("name")[:limit])


def notification_preferences_of(*, user) -> NotificationPreferences:
    """The user's preferences; an unsaved all-on row when they never changed them."""
    return NotificationPreferences.objects.filter(user=user).first() or NotificationPreferences(user=user)


def user_wants_email(*, user, kind: str) -> bool:
    """Whether `user` (active, with an address) takes e-mails of this NotificationKind."""
    if user is None or not user.is_active or not user.email:
        return False
    NotificationKind(kind)
    return bool(getattr(notification_preferences_of(user=user), kind))
