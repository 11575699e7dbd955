"""A search that finds no pledge may be an entity's name typed with a slip: the explorer then shows
the pledges of the entities named like it, and says so (on either database)."""

import pytest
from django.urls import reverse

from coalition.entities.models import Entity
from coalition.pledges.tests.explorer_fixtures import *  # noqa: F403  (the fixtures publish, reference, university)

pytestmark = pytest.mark.django_db


@pytest.fixture
def safaricom(countries):
    return Entity.objects.create(name="Safaricom PLC", entity_type=Entity.Type.PRIVATE_SECTOR,
                                 home_country=countries["KEN"])


def _titles(response):
    return sorted(p.title for p in response.context["result"].page.object_list)


@pytest.mark.parametrize("query", ["Safaricon", "safarikom", "SAFARICOM", "safaricom plc"])
def test_a_pledge_is_found_by_its_lead_entitys_name_typed_with_a_slip(client, publish, safaricom, query):
    led = publish(title="M-Pesa for rural clinics", lead_entity=safaricom)
    publish(title="Fibre for schools")

    response = client.get("/pledges/", {"q": query})

    assert _titles(response) == [led.title]
    assert response.context["result"].total == 1


def test_the_page_names_the_entities_it_took_the_search_for(client, publish, safaricom):
    publish(title="M-Pesa for rural clinics", lead_entity=safaricom)

    response = client.get("/pledges/", {"q": "Safaricon"})

    assert response.context["result"].named_like == [safaricom]
    assert "Showing the pledges of entities with a name like them" in response.text
    assert f'<a href="{reverse("explore:entity", args=[safaricom.pk])}">Safaricom PLC</a>' in response.text


def test_a_partner_named_with_a_slip_finds_the_pledge_too(client, publish, safaricom):
    partnered = publish(title="Rural towers", partners=[{"entity": safaricom, "role": "operator"}])

    assert _titles(client.get("/pledges/", {"q": "Safaricon"})) == [partnered.title]


def test_a_search_that_finds_pledges_is_not_widened_to_names_like_it(client, publish, safaricom):
    publish(title="M-Pesa for rural clinics", lead_entity=safaricom)
    safari = publish(title="Safaricon wildlife cameras")

    response = client.get("/pledges/", {"q": "Safaricon"})

    assert _titles(response) == [safari.title]
    assert response.context["result"].named_like == []


def test_no_pledge_and_no_name_like_it_finds_nothing(client, publish, safaricom):
    publish(title="M-Pesa for rural clinics", lead_entity=safaricom)

    response = client.get("/pledges/", {"q": "zanzibar"})

    assert _titles(response) == [] and response.context["result"].named_like == []
