"""Signing in before verifying the address says so (issue 15), instead of calling the password
wrong; a wrong password on the same account still gets the usual answer, so only someone who
knows the password learns that the account waits for verification."""

from django.urls import reverse

from coalition.accounts.models import User

PASSWORD = "Correct-horse-2026"


def _unverified(db):
    return User.objects.create_user(email="new@example.org", password=PASSWORD, full_name="Awa Ndiaye", is_active=False)


def test_the_right_password_on_an_unverified_account_says_to_verify(client, db):
    _unverified(db)

    response = client.post(reverse("accounts:login"), {"username": "new@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert "not verified yet" in response.text
    assert "not right" not in response.text
    assert f'href="{reverse("accounts:verification_resend")}"' in response.text
    assert "_auth_user_id" not in client.session


def test_in_french_too(client, db):
    _unverified(db)

    response = client.post("/fr" + reverse("accounts:login"), {"username": "new@example.org", "password": PASSWORD})

    assert "pas encore vérifié" in response.text


def test_a_wrong_password_on_an_unverified_account_reveals_nothing(client, db):
    _unverified(db)

    response = client.post(reverse("accounts:login"), {"username": "new@example.org", "password": "wrong-one"})

    assert "not right" in response.text
    assert "not verified" not in response.text
