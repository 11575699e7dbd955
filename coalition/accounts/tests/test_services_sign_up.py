import pytest
from django.core import signing
from django.core.exceptions import ValidationError

from coalition import settings as production_settings
from coalition.accounts.models import User
from coalition.accounts.services import user_sign_up, user_verification_token, user_verify_email
from coalition.accounts.testing import link_in

SIGN_UP = {
    "email": "Amina@Example.org",
    "full_name": "Amina Otieno",
    "password": "Kigali-2022-pledge",
    "preferred_language": "fr",
}


def test_sign_up_creates_an_inactive_account_and_mails_a_verification_link(db, mailoutbox, settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS  # the suite hashes with MD5
    user = user_sign_up(**SIGN_UP)

    assert user.email == "amina@example.org"
    assert not user.is_active and user.email_verified_at is None
    assert user.password.startswith("argon2")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["amina@example.org"]
    assert "/account/verify/" in link_in(mailoutbox[0])
    assert "Coalition" in mailoutbox[0].subject


def test_the_link_activates_the_account(db):
    user = user_sign_up(**SIGN_UP)

    user_verify_email(token=user_verification_token(user=user))

    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None


def test_a_duplicate_email_is_refused_on_the_email_field_whatever_its_case(pledger_a):
    with pytest.raises(ValidationError) as error:
        user_sign_up(**{**SIGN_UP, "email": "FOCAL.A@example.org"})

    assert "email" in error.value.message_dict
    assert User.objects.filter(email__iexact="focal.a@example.org").count() == 1


def test_a_weak_password_and_a_missing_name_are_refused_on_their_fields(db):
    with pytest.raises(ValidationError) as error:
        user_sign_up(**{**SIGN_UP, "password": "12345678", "full_name": " "})

    assert set(error.value.message_dict) == {"password", "full_name"}
    assert not User.objects.exists()


def test_an_unknown_language_is_refused(db):
    with pytest.raises(ValidationError) as error:
        user_sign_up(**{**SIGN_UP, "preferred_language": "xx"})

    assert "preferred_language" in error.value.message_dict


def test_an_expired_link_is_refused(db, settings):
    user = user_sign_up(**SIGN_UP)
    token = user_verification_token(user=user)
    settings.ACCOUNT_VERIFICATION_DAYS = -1

    with pytest.raises(ValidationError, match="expired"):
        user_verify_email(token=token)

    user.refresh_from_db()
    assert not user.is_active


def test_a_tampered_link_is_refused(db):
    user = user_sign_up(**SIGN_UP)
    other = User.objects.create_user(email="other@example.org", is_active=False)
    token = user_verification_token(user=user)
    forged = signing.dumps({"user": other.pk, "email": other.email}, salt="another-salt")

    for bad in (token[:-2] + "xx", forged, "not-a-token"):
        with pytest.raises(ValidationError, match="not valid"):
            user_verify_email(token=bad)

    assert not User.objects.filter(is_active=True).exists()


def test_a_link_for_an_address_since_changed_is_refused(db):
    user = user_sign_up(**SIGN_UP)
    token = user_verification_token(user=user)
    user.email = "changed@example.org"
    user.save()

    with pytest.raises(ValidationError, match="not valid"):
        user_verify_email(token=token)

    user.refresh_from_db()
    assert not user.is_active
