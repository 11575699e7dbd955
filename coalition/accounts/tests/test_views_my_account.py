from coalition.entities.services import access_request_join_entity


def test_my_account_lists_my_entities_countries_and_requests(client, pledger_a, countries, entity_b, administrator):
    from django.utils import timezone

    from coalition.accounts.models import CountryFocalPoint

    CountryFocalPoint.objects.create(
        user=pledger_a, country=countries["VUT"], approved_by=administrator, approved_at=timezone.now()
    )
    access_request_join_entity(actor=pledger_a, entity=entity_b)
    client.force_login(pledger_a)

    response = client.get("/account/")

    assert response.status_code == 200
    assert "Ministry of ICT, Kenya" in response.text
    assert "Vanuatu" in response.text
    assert "Connect Telecom" in response.text and "Pending" in response.text


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
