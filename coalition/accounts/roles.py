"""The secretariat roles, as Django groups holding model permissions.

Kept in step with the code after every `migrate`, so a new permission reaches the role
without a manual step.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

REVIEWERS = "Secretariat reviewers"

# (app label, codename prefix or full codename). Reviewers see entities and reports but change
# them only through the services (the admin calls those), never as raw rows.
REVIEWER_PERMISSIONS = [
    ("pledges", "review_pledge"),
    ("pledges", "view_"),
    ("pledges", "add_"),
    ("pledges", "change_"),
    ("entities", "view_"),
    ("reporting", "view_"),
    ("actionplan", "view_"),
    ("knowledge", "view_"),
    ("reference", "view_"),
    ("reports", "view_"),
    ("accounts", "view_user"),
]


def role_groups_ensure(**_kwargs) -> None:
    """Create or update the role groups with their permissions (idempotent)."""
    query = Q(pk__in=[])
    for app_label, codename in REVIEWER_PERMISSIONS:
        if codename.endswith("_"):
            query |= Q(content_type__app_label=app_label, codename__startswith=codename)
        else:
            query |= Q(content_type__app_label=app_label, codename=codename)
    group, _ = Group.objects.get_or_create(name=REVIEWERS)
    group.permissions.set(Permission.objects.filter(query))


REVIEW_PERMISSION = "pledges.review_pledge"


def user_is_reviewer(user) -> bool:
    """Secretariat reviewers hold `pledges.review_pledge` (administrators hold every permission)."""
    return bool(user and user.is_active and user.has_perm(REVIEW_PERMISSION))


def signed_in_check(actor) -> None:
    """PermissionDenied unless `actor` is a signed-in, active account."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Sign in with a verified account first."))
