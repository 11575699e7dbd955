"""Account fixtures on top of the shared personas (coalition/conftest.py)."""

import pytest
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint


@pytest.fixture
def country_focal(member_state_focal, countries, administrator):
    """The member-state persona, approved to act for Kenya."""
    CountryFocalPoint.objects.create(
        user=member_state_focal, country=countries["KEN"], approved_by=administrator, approved_at=timezone.now()
    )
    return member_state_focal


@pytest.fixture
def newcomer(db):
    """A verified user who acts for nothing yet."""
    from coalition.accounts.models import User

    return User.objects.create_user(email="new.person@example.org", password="x-Pass-123456", full_name="Amina Otieno")


def link_in(message) -> str:
    """The path of the first link in an e-mail's body."""
    for word in message.body.split():
        if word.startswith("http"):
            return "/" + word.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError("no link in the e-mail")
