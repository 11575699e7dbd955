from coalition.accounts.models import ApiToken
from coalition.accounts.services import api_token_create, token_user


def test_a_user_creates_a_token_sees_it_once_then_only_its_prefix(client, pledger_a):
    client.force_login(pledger_a)

    response = client.post("/account/tokens/", {"name": "Data pipeline", "scope": "read"})

    raw = response.context["created"]["raw"]
    assert raw in response.text
    assert response["Cache-Control"] == "no-store"
    listing = client.get("/account/tokens/")
    assert listing.status_code == 200
    assert raw not in listing.text
    assert raw[:10] in listing.text and "Data pipeline" in listing.text


def test_a_user_revokes_their_token(client, pledger_a):
    token, raw = api_token_create(actor=pledger_a, name="Data pipeline")
    client.force_login(pledger_a)

    response = client.post(f"/account/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert token_user(raw) is None


def test_someone_elses_token_cannot_be_revoked_or_seen(client, pledger_a, pledger_b):
    token, raw = api_token_create(actor=pledger_a, name="Data pipeline")
    client.force_login(pledger_b)

    listing = client.get("/account/tokens/")
    assert listing.status_code == 200 and "You have no tokens." in listing.text
    assert "Data pipeline" not in listing.text
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 403
    assert token_user(raw) == pledger_a


def test_anonymous_visitors_cannot_create_or_revoke_tokens(client, pledger_a):
    token, raw = api_token_create(actor=pledger_a, name="Data pipeline")

    assert client.post("/account/tokens/", {"name": "x"})["Location"].startswith("/account/login/")
    assert client.post(f"/account/tokens/{token.pk}/revoke/")["Location"].startswith("/account/login/")
    assert ApiToken.objects.count() == 1 and token_user(raw) == pledger_a


def test_a_nameless_token_is_refused_on_the_name_field(client, pledger_a):
    client.force_login(pledger_a)

    response = client.post("/account/tokens/", {"name": ""})

    assert response.status_code == 400
    assert 'aria-describedby="id_name_helptext id_name_error"' in response.text


def test_the_account_page_lists_tokens_with_their_scope_and_a_revoke_button(client, pledger_a):
    token, raw = api_token_create(actor=pledger_a, name="Nightly sync", scope="write")
    client.force_login(pledger_a)

    page = client.get("/account/")

    assert "Nightly sync" in page.text and token.prefix in page.text and "Read and write" in page.text
    assert f"/account/tokens/{token.pk}/revoke/" in page.text and raw not in page.text


def test_a_token_is_created_with_a_scope_and_an_expiry(client, pledger_a):
    client.force_login(pledger_a)

    client.post("/account/tokens/", {"name": "Writer", "scope": "write", "expires_on": "2999-01-01"})

    token = ApiToken.objects.get()
    assert token.scope == "write" and token.expires_at.year == 2999
    refused = client.post("/account/tokens/", {"name": "Old", "scope": "read", "expires_on": "2000-01-01"})
    assert refused.status_code == 400 and ApiToken.objects.count() == 1
