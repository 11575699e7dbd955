"""Registering and correcting entities, and adding focal points: who may, and nothing half-written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.entities.models import AccessRequest, Entity, FocalPoint
from coalition.entities.services import (
    access_request_approve,
    access_request_new_entity,
    entity_register,
    entity_update,
    focal_point_remove,
    focal_point_save,
)

ISLAND = {"name": "Island Connect", "entity_type": "private_sector", "home_country": None}


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "member_state_focal"])
def test_only_the_secretariat_registers_an_entity(persona, request, db):
    with pytest.raises(PermissionDenied):
        entity_register(actor=request.getfixturevalue(persona), data=ISLAND)

    assert not Entity.objects.filter(name="Island Connect").exists()


def test_a_registration_names_each_field_at_fault_and_writes_nothing(reviewer, entity_a):
    with pytest.raises(ValidationError) as error:
        entity_register(actor=reviewer, data={"name": "  ministry of ict, KENYA ", "entity_type": "bank"})

    assert set(error.value.message_dict) == {"name", "entity_type"}
    assert Entity.objects.count() == 1


def test_a_registration_is_signed_by_the_reviewer(reviewer):
    entity = entity_register(actor=reviewer, data={**ISLAND, "name": "  Island   Connect "})

    assert entity.name == "Island Connect"
    assert entity.history.get().history_user == reviewer


def test_approving_a_new_entity_whose_name_was_taken_meanwhile_leaves_the_request_pending(reviewer, newcomer):
    request = access_request_new_entity(actor=newcomer, name="Island Connect", entity_type="private_sector",
                                        home_country=None)
    entity_register(actor=reviewer, data=ISLAND)

    with pytest.raises(ValidationError) as error:
        access_request_approve(actor=reviewer, access_request=request)

    assert "name" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING
    assert Entity.objects.filter(name="Island Connect").count() == 1
    assert not FocalPoint.objects.filter(user=newcomer).exists()


def test_an_entitys_focal_point_or_a_reviewer_corrects_it_and_nobody_else(entity_a, pledger_a, pledger_b, reviewer):
    entity_update(actor=pledger_a, entity=entity_a, data={"name": entity_a.name, "entity_type": "government",
                                                          "acronym": "MICT"})
    entity_update(actor=reviewer, entity=entity_a, data={"name": entity_a.name, "entity_type": "government",
                                                         "acronym": "MoICT"})
    with pytest.raises(PermissionDenied):
        entity_update(actor=pledger_b, entity=entity_a, data={"name": "Taken over", "entity_type": "government"})

    entity_a.refresh_from_db()
    assert (entity_a.name, entity_a.acronym) == ("Ministry of ICT, Kenya", "MoICT")
    assert [v.history_user for v in entity_a.history.order_by("history_date")][-2:] == [pledger_a, reviewer]


@pytest.mark.parametrize("persona", ["pledger_a", "reviewer"])
def test_only_administrators_add_or_remove_focal_points_directly(entity_a, pledger_a, newcomer, persona, request):
    actor = request.getfixturevalue(persona)
    data = {"name": "Amina Otieno", "email": "amina@example.org", "user": newcomer}

    with pytest.raises(PermissionDenied):
        focal_point_save(actor=actor, entity=entity_a, data=data)
    with pytest.raises(PermissionDenied):
        focal_point_remove(actor=actor, focal_point=FocalPoint.objects.get(entity=entity_a))

    assert FocalPoint.objects.filter(entity=entity_a).count() == 1
    assert not AccessRequest.objects.exists()
