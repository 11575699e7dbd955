from coalition.accounts.testing import link_in


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, pledger_a, mailoutbox):
    response = client.post("/account/password/reset/", {"email": "focal.a@example.org"})
    assert response["Location"] == "/account/password/reset/sent/"
    assert "Coalition" in mailoutbox[0].subject

    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Connect-2030-all", "new_password2": "Connect-2030-all"}
    )

    assert response["Location"] == "/account/password/reset/done/"
    assert client.login(username="focal.a@example.org", password="Connect-2030-all")


def test_the_reset_email_is_in_the_accounts_language_whatever_the_pages(client, pledger_a, mailoutbox):
    pledger_a.preferred_language = "fr"
    pledger_a.save(update_fields=["preferred_language"])

    client.post("/account/password/reset/", {"email": "focal.a@example.org"})  # from the English page

    assert mailoutbox[0].subject == "Choisissez un nouveau mot de passe pour Coalition"
    assert "/fr/account/password/reset/" in link_in(mailoutbox[0])
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    assert form_page.context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, db, mailoutbox):
    response = client.post("/account/password/reset/", {"email": "nobody@example.org"})

    assert response["Location"] == "/account/password/reset/sent/"
    assert mailoutbox == []


def test_a_signed_in_user_changes_their_password(client, pledger_a):
    client.force_login(pledger_a)

    response = client.post(
        "/account/password/",
        {"old_password": "x-Pass-123456", "new_password1": "Connect-2030-all", "new_password2": "Connect-2030-all"},
    )

    assert response["Location"] == "/account/password/changed/"
    pledger_a.refresh_from_db()
    assert pledger_a.check_password("Connect-2030-all")


def test_the_password_pages_use_the_site_template(client, db):
    page = client.get("/account/password/reset/")

    assert 'class="site-header"' in page.text
    assert 'for="id_email"' in page.text


def test_wrong_current_passwords_count_as_failed_sign_ins_and_lock_the_change_too(client, pledger_a, settings):
    settings.ACCOUNT_SIGN_IN_FAILURES_PER_ACCOUNT = 3
    client.force_login(pledger_a)
    wrong = {"old_password": "a-guess-000", "new_password1": "Connect-2030-all", "new_password2": "Connect-2030-all"}
    for _ in range(3):
        assert client.post("/account/password/", wrong).status_code == 200

    right = dict(wrong, old_password="x-Pass-123456")
    refused = client.post("/account/password/", right)

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many failed sign-ins" in refused.text
    pledger_a.refresh_from_db()
    assert pledger_a.check_password("x-Pass-123456")  # unchanged
    client.logout()
    assert client.post("/account/login/", {"username": "focal.a@example.org", "password": "x-Pass-123456"}).status_code == 429
