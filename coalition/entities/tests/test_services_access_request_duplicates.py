"""A new-entity request repeating a registered entity: refused when the name (or an acronym) is the
same, case, accents and punctuation aside; held for confirmation when it is a few slips away."""

import pytest
from django.core.exceptions import ValidationError

from coalition.entities.models import AccessRequest, Entity
from coalition.entities.services import DuplicateEntity, access_request_new_entity, entity_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(countries):
    return Entity.objects.create(
        name="Ministère de l'Économie numérique", acronym="MEN", entity_type=Entity.Type.GOVERNMENT,
        home_country=countries["KEN"],
    )


def _ask(actor, name, **kwargs):
    return access_request_new_entity(actor=actor, name=name, entity_type="government", home_country=None, **kwargs)


@pytest.mark.parametrize(
    "name", ["ministere de l economie numerique", "MINISTÈRE DE L’ÉCONOMIE NUMÉRIQUE", "Ministere de l'Economie, numerique", "men"]
)
def test_the_same_name_or_acronym_is_refused_naming_the_entity_to_join(newcomer, ministry, name):
    with pytest.raises(DuplicateEntity) as error:
        _ask(newcomer, name, different_entity=True)

    assert error.value.entities == [ministry] and not error.value.confirmable
    message = error.value.message_dict["name"][0]
    assert "Ministère de l'Économie numérique (MEN)" in message and "ask to join it" in message
    assert not AccessRequest.objects.exists()


def test_a_name_a_slip_away_is_held_until_the_requester_says_it_is_another_organisation(newcomer, ministry):
    with pytest.raises(DuplicateEntity) as error:
        _ask(newcomer, "Ministere de l'Economie numerque")

    assert error.value.entities == [ministry] and error.value.confirmable
    assert "It is a different organisation" in error.value.message_dict["name"][0]
    assert not AccessRequest.objects.exists()

    request = _ask(newcomer, "Ministere de l'Economie numerque", different_entity=True)
    assert request.new_entity_name == "Ministere de l'Economie numerque"


def test_other_field_errors_come_with_the_duplicate(newcomer, ministry):
    with pytest.raises(DuplicateEntity) as error:
        access_request_new_entity(actor=newcomer, name="ministere de l economie numerique", entity_type="",
                                  home_country=None)

    assert set(error.value.message_dict) == {"name", "entity_type"}


def test_a_name_that_only_shares_words_is_not_a_duplicate(newcomer, ministry):
    request = _ask(newcomer, "Ministère de l'Économie et des Finances")

    assert request.kind == AccessRequest.Kind.NEW_ENTITY


def test_the_secretariat_cannot_register_the_same_name_spelled_otherwise(reviewer, ministry):
    with pytest.raises(ValidationError) as error:
        entity_register(actor=reviewer, data={"name": "MINISTERE DE L'ECONOMIE NUMERIQUE", "entity_type": "government"})

    assert "name" in error.value.message_dict
