"""Who may decide an access request. Services call this; views and templates only ask it."""

from coalition.pledges.permissions import user_can_act_for_entity, user_is_reviewer

from .models import AccessRequest


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
