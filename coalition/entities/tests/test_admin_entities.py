"""The entity admin writes through the services: reviewers register and correct entities, only
administrators add focal points (recorded as an approved request), nobody deletes an entity."""

import pytest
from django.urls import reverse

from coalition.accounts.models import User
from coalition.entities.models import AccessRequest, Entity, FocalPoint


def _change_form(entity, **fields):
    return {
        "name": entity.name, "acronym": entity.acronym, "entity_type": entity.entity_type,
        "home_country": entity.home_country_id or "", "itu_membership": entity.itu_membership,
        "website": entity.website, "description": entity.description,
        "focal_points-TOTAL_FORMS": "0", "focal_points-INITIAL_FORMS": "0",
        **fields,
    }


def _with_new_focal_point(entity, user, initial_forms=0):
    return _change_form(entity, **{
        "focal_points-TOTAL_FORMS": str(initial_forms + 1), "focal_points-INITIAL_FORMS": str(initial_forms),
        f"focal_points-{initial_forms}-name": "Amina Otieno",
        f"focal_points-{initial_forms}-email": "amina@example.org",
        f"focal_points-{initial_forms}-user": user.pk,
    })


def test_a_reviewer_cannot_make_anyone_a_focal_point_through_the_admin(client, reviewer, entity_a, pledger_a):
    outsider = User.objects.create_user(email="outsider@example.org", password="x-Pass-123456")
    client.force_login(reviewer)
    page = client.get(reverse("admin:entities_entity_change", args=[entity_a.pk]))

    response = client.post(reverse("admin:entities_entity_change", args=[entity_a.pk]),
                           _with_new_focal_point(entity_a, outsider, initial_forms=1))

    assert page.status_code == 200 and "focal.a &lt;focal.a@example.org&gt;" in page.text
    assert 'name="focal_points-0-name"' not in page.text
    assert response.status_code == 302
    assert not FocalPoint.objects.filter(user=outsider).exists()
    assert list(FocalPoint.objects.filter(entity=entity_a).values_list("user", flat=True)) == [pledger_a.pk]
    assert not AccessRequest.objects.exists()


def test_an_administrator_adds_a_focal_point_and_the_grant_is_recorded(client, administrator, entity_a):
    person = User.objects.create_user(email="amina@example.org", password="x-Pass-123456")
    client.force_login(administrator)

    response = client.post(reverse("admin:entities_entity_change", args=[entity_a.pk]),
                           _with_new_focal_point(entity_a, person))

    assert response.status_code == 302
    focal_point = FocalPoint.objects.get(entity=entity_a, user=person)
    assert focal_point.history.get().history_user == administrator
    grant = AccessRequest.objects.get(requester=person)
    assert (grant.kind, grant.status, grant.entity, grant.decided_by) == (
        AccessRequest.Kind.JOIN_ENTITY, AccessRequest.Status.APPROVED, entity_a, administrator)


def test_a_reviewer_corrects_an_entity_and_the_change_is_signed(client, reviewer, entity_a):
    client.force_login(reviewer)

    response = client.post(reverse("admin:entities_entity_change", args=[entity_a.pk]),
                           _change_form(entity_a, acronym="MICT", website="https://ict.go.ke"))

    assert response.status_code == 302
    entity_a.refresh_from_db()
    assert (entity_a.acronym, entity_a.website) == ("MICT", "https://ict.go.ke")
    assert entity_a.history.first().history_user == reviewer


def test_a_name_already_registered_is_refused_on_the_name_field(client, reviewer, entity_a, entity_b):
    client.force_login(reviewer)

    response = client.post(reverse("admin:entities_entity_change", args=[entity_a.pk]),
                           _change_form(entity_a, name=entity_b.name.upper()))

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    entity_a.refresh_from_db()
    assert entity_a.name == "Ministry of ICT, Kenya"


def test_a_reviewer_registers_an_entity_through_the_service(client, reviewer, countries):
    client.force_login(reviewer)
    form = _change_form(Entity(name="Island Connect", entity_type="private_sector", home_country=countries["VUT"]))

    response = client.post(reverse("admin:entities_entity_add"), form)

    assert response.status_code == 302
    entity = Entity.objects.get(name="Island Connect")
    assert entity.history.get().history_user == reviewer


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_nobody_deletes_an_entity(client, entity_a, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("admin:entities_entity_delete", args=[entity_a.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Entity.objects.filter(pk=entity_a.pk).exists()
