from coalition.accounts.models import User
from coalition.accounts.testing import link_in

FORM = {
    "full_name": "Amina Otieno",
    "email": "amina@example.org",
    "password": "Kigali-2022-pledge",
    "password_again": "Kigali-2022-pledge",
    "preferred_language": "en",
}


def test_a_new_person_signs_up_follows_the_link_and_signs_in(client, db, mailoutbox):
    response = client.post("/account/sign-up/", FORM)
    assert response.status_code == 200
    assert "Check your e-mail" in response.text

    assert client.post("/account/login/", {"username": FORM["email"], "password": FORM["password"]}).status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.get(link_in(mailoutbox[0]))
    assert response.status_code == 302 and response["Location"] == "/account/login/"

    response = client.post("/account/login/", {"username": FORM["email"], "password": FORM["password"]})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=FORM["email"]).pk


def test_a_duplicate_email_is_shown_on_the_email_field(client, pledger_a, mailoutbox):
    response = client.post("/account/sign-up/", {**FORM, "email": "focal.a@example.org"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'href="#id_email"' in response.text
    assert 'aria-describedby="id_email_error"' in response.text
    assert mailoutbox == []


def test_passwords_that_differ_are_refused_on_the_second_field(client, db):
    response = client.post("/account/sign-up/", {**FORM, "password_again": "something-else-22"})

    assert response.context["form"].errors["password_again"]
    assert not User.objects.exists()


def test_a_tampered_link_shows_an_error_and_offers_a_new_one(client, db):
    response = client.get("/account/verify/abc:def/")

    assert response.status_code == 400
    assert "not valid" in response.text
    assert 'action="/account/verify/resend/"' in response.text


def test_the_resend_form_mails_a_new_link_only_to_unverified_accounts(client, pledger_a, mailoutbox):
    client.post("/account/sign-up/", FORM)
    mailoutbox.clear()

    client.post("/account/verify/resend/", {"email": "amina@example.org"})
    response = client.post("/account/verify/resend/", {"email": "focal.a@example.org"})

    assert response.status_code == 200
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]


def test_a_signed_in_user_is_sent_to_their_account_from_sign_up(client, pledger_a):
    client.force_login(pledger_a)

    assert client.get("/account/sign-up/")["Location"] == "/account/"
