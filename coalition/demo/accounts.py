"""The demo's sign-in accounts: an administrator, a secretariat reviewer, an entity focal point
and a member-state focal point."""

import os
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint, User
from coalition.accounts.roles import REVIEWERS, role_groups_ensure
from coalition.entities.models import Entity, FocalPoint
from coalition.reference.models import Country


@dataclass
class DemoAccount:
    role: str
    email: str
    created: bool
    password: str | None  # shown once: set now from the environment or generated; None when unchanged
    note: str = ""


ACCOUNTS = [
    # role, e-mail, environment variable with its password, full name
    ("administrator", "admin@coalition.localhost", "DEMO_ADMIN_PASSWORD", "Demo Administrator"),
    ("reviewer", "reviewer@coalition.localhost", "DEMO_REVIEWER_PASSWORD", "Demo Reviewer"),
    ("focal point", "focal.point@coalition.localhost", "DEMO_FOCAL_POINT_PASSWORD", "Demo Focal Point"),
    ("country focal point", "country.focal.point@coalition.localhost", "DEMO_COUNTRY_FOCAL_POINT_PASSWORD",
     "Demo Country Focal Point"),
]
# The member state the demo's country focal point acts for: an LDC and LLDC in the ESCAP region.
DEMO_COUNTRY = "LAO"
REVIEWER_EMAIL = ACCOUNTS[1][1]  # decides the demo's progress reports


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """Create the demo accounts when missing and return what to tell the operator.

    A new account gets its password from the environment variable named in `ACCOUNTS`, or a
    generated one. An existing account keeps its password unless that variable is set. The
    reviewer is staff and in the "Secretariat reviewers" role group (which holds
    `pledges.review_pledge`); the focal point is linked to the first demo government entity
    (or any demo entity) when it is not linked to a demo entity yet; the country focal point acts
    for `DEMO_COUNTRY` (Lao People's Democratic Republic).
    """
    role_groups_ensure()
    group = Group.objects.get(name=REVIEWERS)
    accounts = []
    for role, email, variable, full_name in ACCOUNTS:
        from_env = os.environ.get(variable) or None
        user = User.objects.filter(email=email).first()
        created = user is None
        if created:
            password = from_env or secrets.token_urlsafe(12)
            if role == "administrator":
                user = User.objects.create_superuser(email, password, full_name=full_name)
            else:
                user = User.objects.create_user(email, password, full_name=full_name, is_staff=role == "reviewer")
            note = f"password from {variable}" if from_env else f"generated; set {variable} to choose it"
        elif from_env:
            password = from_env
            user.set_password(password)
            user.save(update_fields=["password"])
            note = f"already existed; password reset from {variable}"
        else:
            password = None
            note = f"already existed; password unchanged (set {variable} to reset it)"
        if role == "reviewer":
            user.groups.add(group)
        if role == "focal point":
            note += _link_focal_point(user)
        if role == "country focal point":
            note += _link_country(user, administrator=next(
                (User.objects.get(email=a.email) for a in accounts if a.role == "administrator"), None))
        accounts.append(DemoAccount(role, email, created, password, note))
    return accounts


NO_ENTITY_YET = "; no demo entity to act for yet"


def _link_country(user: User, *, administrator: User | None) -> str:
    country = Country.objects.filter(iso3=DEMO_COUNTRY).first()
    if country is None:
        return "; reference data not loaded: acts for no country yet"
    CountryFocalPoint.objects.get_or_create(user=user, country=country, defaults={
        "approved_by": administrator, "approved_at": timezone.now()})
    return f"; acts for {country}"


def demo_focal_point_link(accounts: list[DemoAccount]) -> None:
    """Link the demo focal point to a demo entity once there is one (accounts made before the data)."""
    for account in accounts:
        if account.role == "focal point" and account.note.endswith(NO_ENTITY_YET):
            user = User.objects.get(email=account.email)
            account.note = account.note.removesuffix(NO_ENTITY_YET) + _link_focal_point(user)


def _link_focal_point(user: User) -> str:
    if FocalPoint.objects.filter(user=user, entity__is_demo=True).exists():
        entity = FocalPoint.objects.filter(user=user, entity__is_demo=True).first().entity
        return f"; acts for {entity}"
    entity = (
        Entity.objects.filter(is_demo=True, entity_type=Entity.Type.GOVERNMENT).order_by("pk").first()
        or Entity.objects.filter(is_demo=True).order_by("pk").first()
    )
    if entity is None:
        return NO_ENTITY_YET
    FocalPoint.objects.create(
        entity=entity, user=user, name=user.full_name, email=user.email, position="Demo focal point"
    )
    return f"; acts for {entity}"
