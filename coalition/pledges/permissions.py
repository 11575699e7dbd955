"""Who may do what in the registry. Services call these; views never decide on their own."""

from django.contrib.auth.models import AnonymousUser

from .models import Entity, FocalPoint

REVIEW_PERMISSION = "pledges.review_pledge"


def user_is_reviewer(user) -> bool:
    """Secretariat reviewers hold `pledges.review_pledge` (administrators hold every permission)."""
    return bool(user and user.is_active and user.has_perm(REVIEW_PERMISSION))


def user_can_act_for_entity(user, entity: Entity) -> bool:
    """Focal points act for their own entities; administrators for any."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return FocalPoint.objects.filter(entity=entity, user=user).exists()
