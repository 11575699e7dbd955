def test_a_user_changes_their_name_and_language(client, pledger_a):
    client.force_login(pledger_a)

    response = client.post("/account/", {"full_name": "Wanjiru Kamau", "preferred_language": "fr"})

    assert response.status_code == 302
    pledger_a.refresh_from_db()
    assert (pledger_a.full_name, pledger_a.preferred_language) == ("Wanjiru Kamau", "fr")
    assert response.cookies["django_language"].value == "fr"


def test_signing_in_switches_to_the_preferred_language(client, pledger_a):
    pledger_a.preferred_language = "fr"
    pledger_a.save()

    response = client.post("/account/login/", {"username": "focal.a@example.org", "password": "x-Pass-123456"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/account/")["Location"] == "/account/login/?next=/account/"
    assert client.get("/account/password/")["Location"].startswith("/account/login/")


def test_the_header_offers_sign_in_then_my_account_and_sign_out(client, pledger_a):
    assert 'href="/account/login/"' in client.get("/").text

    client.force_login(pledger_a)
    page = client.get("/").text

    assert 'href="/account/"' in page and 'action="/account/logout/"' in page
    client.post("/account/logout/")
    assert "_auth_user_id" not in client.session
