"""The entity history page: for the entity's focal points, refused to everyone else."""

import pytest
from django.urls import reverse

from coalition.pledges.content import revision_data_load
from coalition.pledges.services import revision_start, revision_submit, revision_update


def test_a_focal_point_sees_every_change_to_their_entity_and_its_pledges(client, pledger_a, reviewer, published):
    revision = revision_start(actor=pledger_a, pledge=published, reason="New title")
    revision_update(actor=pledger_a, revision=revision, data={**revision_data_load(revision.data), "title": "Renamed"})
    revision_submit(actor=pledger_a, revision=revision)
    client.force_login(pledger_a)

    response = client.get(reverse("explore:entity_history", args=[published.lead_entity_id]))

    assert response.status_code == 200
    assert "“Connect 500 rural schools”: revision 1 — Submitted" in response.text
    assert "<strong>status</strong>: Submitted → Published" in response.text
    assert "Approve and publish" in response.text and reviewer.email in response.text


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal", "reviewer"])
def test_anyone_else_is_refused(client, published, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("explore:entity_history", args=[published.lead_entity_id])).status_code == 403


def test_reviewers_see_the_full_history_on_the_review_page(client, reviewer, published):
    client.force_login(reviewer)

    response = client.get(reverse("pledges:review_detail", args=[published.pk]))

    assert response.status_code == 200
    assert "<strong>status</strong>: Submitted → Published" in response.text
    assert "<strong>status</strong>: Draft → Submitted" in response.text


def test_the_review_page_audit_is_refused_to_pledgers(client, pledger_a, published):
    client.force_login(pledger_a)

    assert client.get(reverse("pledges:review_detail", args=[published.pk])).status_code == 403
