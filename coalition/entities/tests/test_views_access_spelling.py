"""The access page finds entities the way they are spelled, and a new-entity request that repeats a
registered entity offers to join it instead."""

import pytest

from coalition.entities.models import AccessRequest, Entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def turk_telekom(countries):
    return Entity.objects.create(name="Türkiye Telekom", entity_type=Entity.Type.PRIVATE_SECTOR)


@pytest.fixture
def ministry(countries):
    return Entity.objects.create(name="Ministère de l'Économie numérique", entity_type=Entity.Type.GOVERNMENT)


@pytest.mark.parametrize("query", ["turkiye", "TURKIYE", "türkiye"])
def test_the_search_finds_turkiye_without_its_accents(client, newcomer, turk_telekom, query):
    client.force_login(newcomer)

    page = client.get("/account/access/", {"q": query})

    assert page.context["results"] == [turk_telekom]
    assert "Türkiye Telekom" in page.text


def test_a_typo_in_the_name_still_finds_the_entity(client, newcomer, entity_b):
    client.force_login(newcomer)

    page = client.get("/account/access/", {"q": "Conect Telcom"})

    assert page.context["results"] == [entity_b]


def test_registering_a_registered_name_offers_to_join_it_instead(client, newcomer, ministry):
    client.force_login(newcomer)

    response = client.post("/account/access/new-entity/", {
        "name": "ministere de l economie numerique", "entity_type": "government",
    })

    assert response.status_code == 400
    assert response.context["results"] == [ministry]
    assert f'value="{ministry.pk}"' in response.text  # the join form offers it
    assert "ask to join it instead" in response.text
    assert 'type="checkbox" name="different_entity"' not in response.text  # no way around the same name
    assert not AccessRequest.objects.exists()


def test_a_close_name_asks_whether_it_is_a_different_organisation(client, newcomer, ministry):
    client.force_login(newcomer)
    data = {"name": "Ministère de l'Economie numerque", "entity_type": "government"}

    response = client.post("/account/access/new-entity/", data)

    assert response.status_code == 400
    assert response.context["results"] == [ministry]
    assert 'type="checkbox" name="different_entity"' in response.text

    response = client.post("/account/access/new-entity/", {**data, "different_entity": "on"})

    assert response.status_code == 302
    assert AccessRequest.objects.get(requester=newcomer).new_entity_name == data["name"]


def test_anonymous_visitors_are_sent_to_sign_in_before_searching_or_asking(client, ministry):
    search = client.get("/account/access/", {"q": "economie"})
    ask = client.post("/account/access/new-entity/", {"name": "Another", "entity_type": "government"})

    assert search["Location"].startswith("/account/login/?next=")
    assert ask["Location"].startswith("/account/login/")
    assert not AccessRequest.objects.exists()
