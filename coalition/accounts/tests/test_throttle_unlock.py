"""An administrator lifts a lock: in the admin (the users' action) or with `coalition throttle clear`."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from coalition.accounts import throttle
from coalition.common.actors import SYSTEM

PASSWORD = "x-Pass-123456"  # the personas' password (coalition/tests/builders.py)


def lock(client, email, address="127.0.0.1"):
    for n in range(10):
        client.post("/account/login/", {"username": email, "password": f"guess-{n}"}, REMOTE_ADDR=address)


def signs_in(client, email, address="127.0.0.1"):
    response = client.post("/account/login/", {"username": email, "password": PASSWORD}, REMOTE_ADDR=address)
    client.logout()
    return response.status_code == 302


def test_the_admin_shows_the_lock_and_its_action_lifts_it(client, pledger_a, administrator):
    lock(client, "focal.a@example.org")
    admin = client.__class__()
    admin.force_login(administrator)

    page = admin.get(f"/admin/accounts/user/{pledger_a.pk}/change/")
    assert "locked after too many failed sign-ins, until" in page.text
    response = admin.post(
        "/admin/accounts/user/", {"action": "sign_in_unlock", "_selected_action": [pledger_a.pk]}, follow=True
    )

    assert "Lifted the limits of 1 user." in response.text
    assert "not locked" in admin.get(f"/admin/accounts/user/{pledger_a.pk}/change/").text
    assert signs_in(client, "focal.a@example.org")


def test_a_reviewer_who_only_sees_users_is_not_offered_the_action_nor_allowed_the_service(client, pledger_a, reviewer):
    lock(client, "focal.a@example.org")
    client.force_login(reviewer)

    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200 and "sign_in_unlock" not in page.text
    with pytest.raises(PermissionDenied):
        throttle.throttle_clear(actor=reviewer, account="focal.a@example.org")
    assert throttle.sign_in_locked_until(email="focal.a@example.org") is not None


def test_the_command_shows_and_clears_an_account_and_a_client_address(client, pledger_a, pledger_b):
    lock(client, "focal.a@example.org")
    for n in range(50):
        client.post(
            "/account/login/", {"username": f"p{n % 10}@example.org", "password": "x"}, REMOTE_ADDR="203.0.113.9"
        )
    out = io.StringIO()

    call_command("throttle", "show", "--account", "Focal.A@example.org", "--client", "203.0.113.9", stdout=out)
    assert "sign-in-account  10 of 10, refused for 15 more minute(s)" in out.getvalue()
    assert "sign-in-client   50 of 50, refused for 15 more minute(s)" in out.getvalue()
    call_command("throttle", "clear", "--account", "focal.a@example.org", "--client", "203.0.113.9", stdout=out)

    assert signs_in(client, "focal.a@example.org")
    assert signs_in(client, "focal.b@example.org", address="203.0.113.9")


def test_lifting_one_accounts_lock_leaves_the_others(client, pledger_a, pledger_b):
    lock(client, "focal.a@example.org")
    lock(client, "focal.b@example.org")

    throttle.throttle_clear(actor=SYSTEM, account="focal.a@example.org")

    assert signs_in(client, "focal.a@example.org")
    assert not signs_in(client, "focal.b@example.org")
