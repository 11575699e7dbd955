"""Reads for accounts: a user's roles, requests, tokens and notification preferences, and the
requests a user may decide.
"""

from django.db.models import QuerySet

from coalition.accounts.models import (
    ApiToken,
    CountryFocalPoint,
    Notification,
    NotificationKind,
    NotificationPreferences,
)


def country_focal_points_of(*, user) -> QuerySet[CountryFocalPoint]:
    return CountryFocalPoint.objects.filter(user=user).select_related("country")


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's tokens still in use, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def notification_preferences_of(*, user) -> NotificationPreferences:
    """The user's preferences; an unsaved all-on row when they never changed them."""
    return NotificationPreferences.objects.filter(user=user).first() or NotificationPreferences(user=user)


def user_wants_email(*, user, kind: str) -> bool:
    """Whether `user` (active, with an address) takes e-mails of this NotificationKind."""
    if user is None or not user.is_active or not user.email:
        return False
    NotificationKind(kind)
    return bool(getattr(notification_preferences_of(user=user), kind))


def notifications_of(*, user) -> QuerySet[Notification]:
    """The user's notifications, newest first, with who acted."""
    return Notification.objects.filter(recipient=user).select_related("actor")


def notification_unread_count(*, user) -> int:
    """How many of the user's notifications are unread (0 for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
