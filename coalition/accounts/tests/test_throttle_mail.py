"""The e-mails a visitor can have sent are limited per recipient and per client address (accounts.throttle)."""

import datetime
import re

import pytest
import time_machine

from coalition.accounts.models import User

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def reset(client, email, address="127.0.0.1"):
    return client.post("/account/password/reset/", {"email": email}, REMOTE_ADDR=address)


def sign_up(client, n, address="127.0.0.1"):
    return client.post(
        "/account/sign-up/",
        {
            "full_name": f"Person {n}",
            "email": f"person{n}@example.org",
            "password": "Kigali-2022-pledge",
            "password_again": "Kigali-2022-pledge",
            "preferred_language": "en",
        },
        REMOTE_ADDR=address,
    )


def answer(response):
    return response.status_code, response.get("Location")


def page(response):
    """The page without what differs on every response (the masked CSRF token, CSP nonces)."""
    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', "", response.text)


def test_the_fourth_reset_link_to_one_address_is_not_sent_and_the_page_answers_the_same(
    client, pledger_a, mailoutbox, clock
):
    first = reset(client, "focal.a@example.org")
    for _ in range(2):
        reset(client, "focal.a@example.org")
    fourth = reset(client, "Focal.A@example.org", address="203.0.113.9")

    assert len(mailoutbox) == 3
    assert answer(fourth) == answer(first) == (302, "/account/password/reset/sent/")


def test_reset_links_are_sent_again_once_the_window_has_passed(client, pledger_a, mailoutbox, clock):
    for _ in range(4):
        reset(client, "focal.a@example.org")
    clock.shift(datetime.timedelta(minutes=61))
    reset(client, "focal.a@example.org")

    assert len(mailoutbox) == 4


def test_an_unknown_address_is_counted_like_an_account_so_the_answers_never_differ(client, pledger_a, clock):
    answers = {
        email: [answer(reset(client, email)) for _ in range(5)]
        for email in ("focal.a@example.org", "nobody@example.org")
    }

    assert answers["focal.a@example.org"] == answers["nobody@example.org"]


def test_one_client_address_asking_for_many_resets_is_refused_with_a_message(client, pledger_a, mailoutbox, clock):
    for n in range(20):
        reset(client, f"person{n}@example.org")

    refused = reset(client, "focal.a@example.org")
    elsewhere = reset(client, "focal.a@example.org", address="203.0.113.9")

    assert refused.status_code == 429
    assert "Too many e-mails were asked for from your network. Try again in 60 minutes." in refused.text
    assert refused["Retry-After"] == "3600"
    assert answer(elsewhere) == (302, "/account/password/reset/sent/")
    assert [m.to for m in mailoutbox] == [["focal.a@example.org"]]


def test_a_sign_up_flood_from_one_address_is_stopped_after_twenty(client, db, mailoutbox, clock):
    for n in range(20):
        assert "Check your e-mail" in sign_up(client, n).text

    refused = sign_up(client, 20)
    elsewhere = sign_up(client, 21, address="203.0.113.9")

    assert refused.status_code == 429
    assert "Too many e-mails were asked for from your network" in refused.text
    assert not User.objects.filter(email="person20@example.org").exists()
    assert elsewhere.status_code == 200 and User.objects.filter(email="person21@example.org").exists()
    assert len(mailoutbox) == 21


def test_probing_addresses_through_sign_up_counts_too(client, pledger_a, mailoutbox, clock):
    for _ in range(20):
        taken = client.post(
            "/account/sign-up/",
            {
                "full_name": "X",
                "email": "focal.a@example.org",
                "password": "Kigali-2022-pledge",
                "password_again": "Kigali-2022-pledge",
                "preferred_language": "en",
            },
        )
        assert "already exists" in taken.text

    refused = sign_up(client, 1)

    assert refused.status_code == 429
    assert "already exists" not in refused.text
    assert not User.objects.filter(email="person1@example.org").exists()
    assert mailoutbox == []


def test_new_verification_links_are_limited_per_address_without_saying_so(client, db, mailoutbox, clock):
    sign_up(client, 1)
    mailoutbox.clear()
    pages = [client.post("/account/verify/resend/", {"email": "person1@example.org"}) for _ in range(4)]

    assert len(mailoutbox) == 3
    assert pages[3].status_code == 200 and page(pages[3]) == page(pages[0])


def test_new_verification_links_count_against_the_client_address(client, db, mailoutbox, settings, clock):
    settings.ACCOUNT_MAILS_PER_CLIENT = 2
    sign_up(client, 1)
    client.post("/account/verify/resend/", {"email": "person1@example.org"})

    refused = client.post("/account/verify/resend/", {"email": "person1@example.org"})

    assert refused.status_code == 429
    assert "Try again in 60 minutes" in refused.text
    assert len(mailoutbox) == 2
