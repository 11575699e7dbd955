"""What every page's header needs to know about the signed-in person."""

from coalition.accounts.selectors import notification_unread_count


def inbox(request) -> dict:
    """`inbox_unread`: the person's unread notifications, counted only if a template asks."""
    return {"inbox_unread": lambda: notification_unread_count(user=request.user)}
