"""Failed sign-ins lock the account's address and the client address for a while (accounts.throttle)."""

import datetime

import pytest
import time_machine

from coalition.accounts.testing import link_in

PASSWORD = "x-Pass-123456"  # the personas' password (coalition/tests/builders.py)

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sign_in(client, email, password, address="198.51.100.7"):
    return client.post("/account/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_fifty_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(client, pledger_a, clock):
    answers = [sign_in(client, "focal.a@example.org", f"guess-{n}") for n in range(50)]

    assert [a.status_code for a in answers[:10]] == [200] * 10
    assert "password is not right" in answers[9].text
    assert {a.status_code for a in answers[10:]} == {429}
    response = sign_in(client, "focal.a@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins for this e-mail address. Try again in 15 minutes" in response.text
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off_and_the_refusal_counts_down(client, pledger_a, clock):
    for n in range(10):
        sign_in(client, "focal.a@example.org", f"guess-{n}")

    clock.shift(datetime.timedelta(minutes=5))
    assert "Try again in 10 minutes" in sign_in(client, "focal.a@example.org", PASSWORD).text
    clock.shift(datetime.timedelta(minutes=10, seconds=1))
    response = sign_in(client, "focal.a@example.org", PASSWORD)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == pledger_a.pk


def test_an_unknown_address_is_locked_exactly_like_an_account(client, pledger_a, clock):
    for email in ("focal.a@example.org", "nobody@example.org"):
        for n in range(10):
            sign_in(client, email, f"guess-{n}")

    known = sign_in(client, "focal.a@example.org", "guess")
    unknown = sign_in(client, "nobody@example.org", "guess")

    assert known.status_code == 429
    assert (known.status_code, known.context["form"].errors) == (unknown.status_code, unknown.context["form"].errors)


def test_the_letter_case_of_the_address_does_not_buy_more_guesses(client, pledger_a, clock):
    for n in range(10):
        sign_in(client, ["FOCAL.A@example.org", "focal.a@EXAMPLE.org"][n % 2], f"guess-{n}")

    assert sign_in(client, "focal.a@example.org", PASSWORD).status_code == 429


def test_a_successful_sign_in_forgets_the_accounts_failures(client, pledger_a, clock):
    for n in range(9):
        sign_in(client, "focal.a@example.org", f"guess-{n}")
    assert sign_in(client, "focal.a@example.org", PASSWORD).status_code == 302
    client.logout()
    for n in range(9):
        sign_in(client, "focal.a@example.org", f"guess-{n}")
    assert sign_in(client, "focal.a@example.org", PASSWORD).status_code == 302
    client.logout()

    for n in range(10):
        sign_in(client, "focal.a@example.org", f"guess-{n}")
    assert sign_in(client, "focal.a@example.org", PASSWORD).status_code == 429


def test_one_client_address_guessing_across_many_accounts_is_stopped(client, pledger_a, pledger_b, clock):
    for n in range(50):
        sign_in(client, f"person{n % 10}@example.org", f"guess-{n}")  # 5 each: no account is locked

    refused = sign_in(client, "focal.b@example.org", PASSWORD)
    elsewhere = sign_in(client, "focal.b@example.org", PASSWORD, address="203.0.113.9")

    assert refused.status_code == 429
    assert "Too many failed sign-ins from your network. Try again in 15 minutes" in refused.text
    assert elsewhere.status_code == 302


def test_the_client_limit_is_not_reset_by_signing_in_to_an_account_of_ones_own(client, pledger_a, clock):
    for n in range(49):
        sign_in(client, f"person{n % 10}@example.org", f"guess-{n}")
    assert sign_in(client, "focal.a@example.org", PASSWORD).status_code == 302
    client.logout()
    sign_in(client, "person0@example.org", "guess")

    assert sign_in(client, "person1@example.org", "guess").status_code == 429


def test_the_admin_sign_in_page_counts_failures_and_locks_too(client, administrator, clock):
    for n in range(10):
        client.post("/admin/login/", {"username": "admin@example.org", "password": f"guess-{n}"})

    response = client.post("/admin/login/", {"username": "admin@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed sign-ins for this e-mail address" in response.text
    assert "_auth_user_id" not in client.session


def test_choosing_a_new_password_through_a_reset_link_lifts_the_lock(client, pledger_a, mailoutbox, clock):
    for n in range(10):
        sign_in(client, "focal.a@example.org", f"guess-{n}")
    assert sign_in(client, "focal.a@example.org", PASSWORD).status_code == 429
    client.post("/account/password/reset/", {"email": "focal.a@example.org"})
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Connect-2030-all", "new_password2": "Connect-2030-all"}
    )

    assert sign_in(client, "focal.a@example.org", "Connect-2030-all").status_code == 302


def test_limits_set_to_zero_are_off(client, pledger_a, settings, clock):
    settings.ACCOUNT_SIGN_IN_FAILURES_PER_ACCOUNT = 0
    settings.ACCOUNT_SIGN_IN_FAILURES_PER_CLIENT = 0
    for n in range(60):
        sign_in(client, "focal.a@example.org", f"guess-{n}")

    assert sign_in(client, "focal.a@example.org", PASSWORD).status_code == 302
