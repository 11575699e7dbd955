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
