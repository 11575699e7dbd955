"""The pledger's submission steps: wiring, saving drafts as you go, and who may use them."""

import pytest
from django.urls import reverse

from coalition.pledges.models import Pledge, Status
from coalition.pledges.services import pledge_create, pledge_publish, pledge_request_changes, pledge_submit


@pytest.fixture
def draft(pledger_a, pledge_data):
    return pledge_create(actor=pledger_a, data=pledge_data)


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get(reverse("pledges:new"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_user_without_an_entity_is_told_how_to_get_one(client, member_state_focal):
    client.force_login(member_state_focal)

    response = client.get(reverse("pledges:new"))

    assert response.status_code == 403
    assert "Ask to join your organisation" in response.text


def test_the_first_step_saves_a_draft_and_moves_on(client, pledger_a, entity_a, initiative):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:new"), {
        "lead_entity": entity_a.pk, "initiative": initiative.pk, "title": "Connect 200 clinics",
        "description": "", "pledge_type": "programmatic",
    })

    pledge = Pledge.objects.get(title="Connect 200 clinics")
    assert pledge.status == Status.DRAFT
    assert response["Location"] == reverse("pledges:edit", args=[pledge.pk, "focus"])


def test_a_focal_point_cannot_pledge_for_another_entity_by_tampering_with_the_form(client, pledger_a, entity_b, initiative):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:new"), {
        "lead_entity": entity_b.pk, "initiative": initiative.pk, "title": "Not mine", "pledge_type": "policy",
    })

    assert response.status_code == 200
    assert "lead_entity" in response.context["form"].errors
    assert not Pledge.objects.filter(title="Not mine").exists()


def test_each_step_saves_its_fields_and_errors_name_the_field(client, pledger_a, draft):
    client.force_login(pledger_a)
    url = reverse("pledges:edit", args=[draft.pk, "value"])

    bad = client.post(url, {"value_amount": "500", "value_currency": "EUR", "value_year": "1900"})
    good = client.post(url, {"value_amount": "2000000", "value_currency": "EUR", "value_year": "2022",
                             "start_date": "2023-01-01", "end_date": "2027-12-31"})

    assert "value_year" in bad.context["form"].errors
    assert good["Location"] == reverse("pledges:edit", args=[draft.pk, "targets"])
    draft.refresh_from_db()
    assert str(draft.value_usd) == "2106000.00"


def test_targets_and_partners_are_saved_from_the_last_step(client, pledger_a, draft, entity_b):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:edit", args=[draft.pk, "targets"]), {
        "targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "1",
        "targets-0-description": "Schools connected", "targets-0-unit": "schools", "targets-0-target_value": "650",
        "targets-1-description": "", "targets-1-unit": "", "targets-1-target_value": "",
        "partners-TOTAL_FORMS": "1", "partners-INITIAL_FORMS": "0",
        "partners-0-entity": entity_b.pk, "partners-0-role": "Satellite capacity",
    })

    assert response["Location"] == reverse("pledges:preview", args=[draft.pk])
    assert [str(t.target_value) for t in draft.targets.all()] == ["650.0000"]
    assert [p.entity for p in draft.pledge_partners.all()] == [entity_b]


def test_submitting_from_the_preview_sends_the_pledge_to_review(client, pledger_a, draft):
    client.force_login(pledger_a)

    client.post(reverse("pledges:submit", args=[draft.pk]))

    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_an_incomplete_pledge_is_not_submitted_and_the_missing_field_is_named(client, pledger_a, draft):
    draft.framework_nodes.clear()
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:submit", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert "Focus areas and pillars:" in response.text


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal"])
def test_other_people_cannot_open_edit_or_submit_the_draft(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("pledges:edit", args=[draft.pk, "basics"])).status_code == 403
    assert client.post(reverse("pledges:edit", args=[draft.pk, "basics"]), {"title": "x"}).status_code == 403
    assert client.post(reverse("pledges:submit", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.title == "Connect 500 rural schools"


def test_my_pledges_lists_only_my_entities_pledges_with_the_reviewers_comment(client, pledger_a, pledger_b, reviewer, draft, pledge_data, entity_b):
    other = pledge_create(actor=pledger_b, data={**pledge_data, "lead_entity": entity_b, "title": "Entity B pledge"})
    pledge_submit(actor=pledger_a, pledge=draft)
    pledge_request_changes(actor=reviewer, pledge=draft, comment="Add a 2026 milestone.")
    client.force_login(pledger_a)

    response = client.get(reverse("reporting:mine"))

    assert draft.title in response.text
    assert other.title not in response.text
    assert "Add a 2026 milestone." in response.text


def test_a_published_pledge_is_no_longer_edited_through_the_steps(client, pledger_a, reviewer, draft):
    pledge_publish(actor=reviewer, pledge=pledge_submit(actor=pledger_a, pledge=draft))
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:edit", args=[draft.pk, "basics"]), {"title": "Changed"})

    assert response["Location"] == reverse("pledges:preview", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.title == "Connect 500 rural schools"
