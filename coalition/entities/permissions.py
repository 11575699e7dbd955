"""Who may act for an entity and who may decide an access request. Services call these; views
and templates only ask them.
"""

from django.contrib.auth.models import AnonymousUser

from coalition.accounts.roles import user_is_reviewer
from coalition.entities.models import AccessRequest, Entity, FocalPoint


def user_can_act_for_entity(user, entity: Entity) -> bool:
    """Focal points act for their own entities; administrators for any."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return FocalPoint.objects.filter(entity=entity, user=user).exists()


def user_can_decide_access_request(user, access_request: AccessRequest) -> bool:
    """Reviewers and administrators decide every request; an entity's focal points decide joins to it.

    Nobody decides their own request, whatever their role.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if access_request.requester_id == user.pk:
        return False
    if user_is_reviewer(user):
        return True
    return access_request.kind == AccessRequest.Kind.JOIN_ENTITY and user_can_act_for_entity(
        user, access_request.entity
    )
