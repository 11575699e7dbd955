"""The pledge form preselects an initiative only when the entity's country says which: an
entity in an ESCAP member country is offered AP-IS; a Senegalese NGO gets no guess."""

import pytest
from django.urls import reverse
from lxml import html

from coalition.entities.models import Entity
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership
from coalition.tests import builders


@pytest.fixture
def escap(countries):
    group = CountryGroup.objects.create(code="ESCAP-MEMBER", kind=CountryGroup.Kind.ESCAP_MEMBERSHIP,
                                        name_en="ESCAP members")
    CountryGroupMembership.objects.create(group=group, country=countries["NPL"])
    return group


def _pledger_in(country, email):
    entity = Entity.objects.create(name=f"Network of {country.name}", entity_type=Entity.Type.CIVIL_SOCIETY,
                                   home_country=country)
    return builders.make_focal_point(entity, email)


def _chosen_initiative(client, user):
    client.force_login(user)
    page = html.fromstring(client.get(reverse("pledges:new")).content)
    options = page.get_element_by_id("id_initiative").iter("option")
    return [option.text for option in options if option.get("selected") is not None]


def test_an_ngo_in_senegal_gets_no_initiative_chosen_for_it(client, initiative, other_initiative, escap):
    senegal = Country.objects.create(iso3="SEN", iso2="SN", numeric="686", name_en="Senegal", name_fr="Sénégal")

    chosen = _chosen_initiative(client, _pledger_in(senegal, "ong@example.sn"))

    assert chosen == ["— choose —"]


def test_an_entity_in_an_escap_member_country_is_offered_ap_is(client, initiative, other_initiative, escap, countries):
    chosen = _chosen_initiative(client, _pledger_in(countries["NPL"], "focal@example.np"))

    assert chosen == [other_initiative.name]


def test_the_only_initiative_on_the_platform_is_chosen(client, initiative, countries):
    chosen = _chosen_initiative(client, _pledger_in(countries["FRA"], "focal@example.fr"))

    assert chosen == [initiative.name]


def test_an_initiative_must_be_chosen(client, pledger_a, entity_a, initiative, other_initiative):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:new"), {
        "lead_entity": entity_a.pk, "initiative": "", "title": "Connect 200 clinics", "pledge_type": "programmatic"})

    assert "initiative" in response.context["form"].errors
