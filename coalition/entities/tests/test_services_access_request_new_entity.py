import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.entities.models import AccessRequest, Entity, FocalPoint
from coalition.entities.services import access_request_approve, access_request_new_entity


@pytest.fixture
def new_entity_request(newcomer, countries):
    return access_request_new_entity(
        actor=newcomer,
        name="  Vanuatu  Rural Connect ",
        entity_type="civil_society",
        home_country=countries["VUT"],
        website="https://vrc.example.org",
    )


def test_approval_registers_the_entity_and_makes_the_requester_its_primary_focal_point(
    new_entity_request, reviewer, newcomer
):
    decided = access_request_approve(actor=reviewer, access_request=new_entity_request)

    entity = Entity.objects.get(name="Vanuatu Rural Connect")
    assert decided.entity == entity
    assert entity.entity_type == "civil_society" and entity.home_country.iso3 == "VUT"
    assert entity.history.first().history_user == reviewer
    assert FocalPoint.objects.get(entity=entity, user=newcomer).is_primary


@pytest.mark.parametrize("wrong", ["pledger_a", "pledger_b", "country_focal"])
def test_only_the_secretariat_approves_a_new_entity(new_entity_request, wrong, request):
    with pytest.raises(PermissionDenied):
        access_request_approve(actor=request.getfixturevalue(wrong), access_request=new_entity_request)

    assert not Entity.objects.filter(name="Vanuatu Rural Connect").exists()


def test_a_name_already_registered_or_a_missing_type_is_refused_on_its_field(newcomer, entity_a):
    with pytest.raises(ValidationError) as error:
        access_request_new_entity(actor=newcomer, name="ministry of ict, kenya", entity_type="", home_country=None)

    assert set(error.value.message_dict) == {"name", "entity_type"}
    assert not AccessRequest.objects.exists()
