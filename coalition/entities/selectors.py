"""Reads for entities: whom a user acts for, the entities they may pledge for, access requests
and the requests a user may decide, and the entity search of the access page.
"""


from django.db.models import Q, QuerySet

from coalition.accounts.roles import user_is_reviewer
from coalition.entities.models import AccessRequest, Entity, FocalPoint


def focal_points_of(*, user) -> QuerySet[FocalPoint]:
    """The entities the user acts for, as focal-point rows with their entity and its country."""
    return FocalPoint.objects.filter(user=user).select_related("entity", "entity__home_country")


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


def entity_search(*, query: str, limit: int = 20) -> list[Entity]:
    """Entities whose name or acronym contains the words typed (each word, any order)."""
    words = query.split()[:6]
    if not words:
        return []
    entities = Entity.objects.select_related("home_country")
    for word in words:
        entities = entities.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
    return list(entities.order_by("name")[:limit])


def entities_for(user) -> QuerySet[Entity]:
    """Entities the user may pledge for: their own as a focal point; any for the secretariat."""
    if not user.is_authenticated:
        return Entity.objects.none()
    if user_is_reviewer(user):
        return Entity.objects.order_by("name")
    return Entity.objects.filter(focal_points__user=user).distinct().order_by("name")
