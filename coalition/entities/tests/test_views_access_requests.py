import pytest

from coalition.accounts.models import CountryFocalPoint
from coalition.entities.models import AccessRequest, FocalPoint
from coalition.entities.services import access_request_join_entity, access_request_new_entity


@pytest.fixture
def join_a(newcomer, entity_a, pledger_a):
    return access_request_join_entity(actor=newcomer, entity=entity_a)


def test_a_newcomer_finds_an_entity_by_name_and_asks_to_join(client, newcomer, entity_a, entity_b):
    client.force_login(newcomer)

    page = client.get("/account/access/", {"q": "kenya ict"})
    assert page.status_code == 200
    assert page.context["results"] == [entity_a]
    assert 'for="id_entity_0"' in page.text

    response = client.post("/account/access/join/", {"entity": entity_a.pk, "message": "Data unit"})
    assert response.status_code == 302
    assert AccessRequest.objects.get(requester=newcomer).entity == entity_a


def test_a_new_entity_request_with_errors_shows_them_on_their_fields(client, newcomer, entity_a):
    client.force_login(newcomer)

    response = client.post("/account/access/new-entity/", {"name": "Ministry of ICT, Kenya", "entity_type": "academia"})

    assert response.status_code == 400
    assert response.context["new_form"].errors["name"]
    assert not AccessRequest.objects.exists()


def test_a_member_state_user_asks_to_act_for_a_country(client, member_state_focal, countries):
    client.force_login(member_state_focal)

    response = client.post("/account/access/country/", {"country": countries["BTN"].pk})

    assert response.status_code == 302
    assert AccessRequest.objects.get(requester=member_state_focal).country == countries["BTN"]


def test_the_entitys_focal_point_sees_and_approves_the_request(client, join_a, pledger_a, newcomer, entity_a):
    client.force_login(pledger_a)
    page = client.get("/account/requests/")
    assert [item for item, _form in page.context["rows"]] == [join_a]

    response = client.post(f"/account/requests/{join_a.pk}/decide/", {"decision": "approve"})

    assert response.status_code == 302
    assert FocalPoint.objects.filter(entity=entity_a, user=newcomer).exists()


def test_declining_without_a_reason_shows_the_error_on_the_reason_field(client, join_a, reviewer):
    client.force_login(reviewer)

    response = client.post(f"/account/requests/{join_a.pk}/decide/", {"decision": "decline", f"{join_a.pk}-reason": ""})

    assert response.status_code == 400
    assert f'id="id_{join_a.pk}-reason_error"' in response.text
    join_a.refresh_from_db()
    assert join_a.status == AccessRequest.Status.PENDING


@pytest.mark.parametrize("wrong", ["pledger_b", "country_focal", "newcomer"])
def test_the_wrong_people_are_refused_and_nothing_changes(client, join_a, wrong, request, entity_a):
    client.force_login(request.getfixturevalue(wrong))

    response = client.post(f"/account/requests/{join_a.pk}/decide/", {"decision": "approve"})

    assert response.status_code == 403
    join_a.refresh_from_db()
    assert join_a.status == AccessRequest.Status.PENDING
    assert FocalPoint.objects.filter(entity=entity_a).count() == 1


def test_another_entitys_focal_point_does_not_see_the_request(client, join_a, pledger_b):
    client.force_login(pledger_b)

    page = client.get("/account/requests/")

    assert page.status_code == 200 and "No request is waiting for you." in page.text
    assert page.context["rows"] == []


def test_people_with_no_role_cannot_open_the_requests_page(client, country_focal):
    client.force_login(country_focal)

    assert client.get("/account/requests/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, join_a):
    for url in ("/account/requests/", "/account/access/"):
        assert client.get(url)["Location"].startswith("/account/login/?next=")
    response = client.post(f"/account/requests/{join_a.pk}/decide/", {"decision": "approve"})
    assert response["Location"].startswith("/account/login/")
    assert not CountryFocalPoint.objects.exists()
    join_a.refresh_from_db()
    assert join_a.status == AccessRequest.Status.PENDING


def test_a_new_entity_request_shows_the_type_in_words(client, newcomer, reviewer, countries):
    access_request_new_entity(actor=newcomer, name="Réseau des télécentres du Sénégal", entity_type="civil_society",
                              home_country=countries["SEN"] if "SEN" in countries else None)
    client.force_login(reviewer)

    english = client.get("/account/requests/")
    french = client.get("/fr/account/requests/")

    assert "<dd>Civil society</dd>" in english.text
    assert "<dd>Société civile</dd>" in french.text
    assert "civil_society" not in english.text
