"""Proposing a change to a published pledge through the steps, and the reviewer deciding on it."""

import pytest
from django.urls import reverse

from coalition.pledges.models import Pledge, PledgeRevision, RevisionStatus


def _basics(pledge, **changes):
    return {
        "lead_entity": pledge.lead_entity_id, "initiative": pledge.initiative_id, "title": pledge.title,
        "description": pledge.description, "pledge_type": pledge.pledge_type, "campaign": "", **changes,
    }


def test_a_change_is_proposed_edited_submitted_and_published(client, pledger_a, reviewer, published):
    client.force_login(pledger_a)
    assert "Propose a change" in client.get(reverse("reporting:mine")).text

    response = client.post(reverse("pledges:revision_start", args=[published.pk]), {"reason": "More schools joined."})
    assert response.url == reverse("pledges:edit", args=[published.pk, "basics"])
    response = client.post(response.url, _basics(published, title="Connect 800 rural schools"))
    assert response.status_code == 302

    public = client.get(reverse("explore:pledge", args=[published.pk]))
    assert "Connect 500 rural schools" in public.text and "Connect 800" not in public.text
    page = client.get(reverse("pledges:revision", args=[published.pk]))
    assert "Connect 800 rural schools" in page.text and "More schools joined." in page.text
    client.post(reverse("pledges:revision", args=[published.pk]), {"action": "submit"})
    revision = PledgeRevision.objects.get(pledge=published)
    assert revision.status == RevisionStatus.SUBMITTED

    client.force_login(reviewer)
    queue = client.get(reverse("pledges:review_queue"))
    assert "Revision 1 of" in queue.text
    review = client.get(reverse("pledges:review_detail", args=[published.pk]))
    assert "Connect 800 rural schools" in review.text and "More schools joined." in review.text
    client.post(reverse("pledges:review_detail", args=[published.pk]), {"action": "revision_publish", "comment": ""})

    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PUBLISHED
    assert Pledge.objects.get(pk=published.pk).title == "Connect 800 rural schools"
    client.logout()
    assert "Connect 800 rural schools" in client.get(reverse("explore:pledge", args=[published.pk])).text


def test_an_invalid_step_is_refused_on_its_field_and_the_revision_keeps_its_content(client, pledger_a, published):
    client.force_login(pledger_a)
    client.post(reverse("pledges:revision_start", args=[published.pk]), {"reason": "Fix the title"})

    response = client.post(reverse("pledges:edit", args=[published.pk, "basics"]), _basics(published, title=" "))

    assert response.status_code == 200 and "field--error" in response.text
    assert PledgeRevision.objects.get(pledge=published).data["title"] == published.title


def test_requesting_changes_to_a_revision_needs_a_comment(client, pledger_a, reviewer, published):
    client.force_login(pledger_a)
    client.post(reverse("pledges:revision_start", args=[published.pk]), {"reason": "New title"})
    client.post(reverse("pledges:edit", args=[published.pk, "basics"]), _basics(published, title="A new title"))
    client.post(reverse("pledges:revision", args=[published.pk]), {"action": "submit"})
    client.force_login(reviewer)

    response = client.post(reverse("pledges:review_detail", args=[published.pk]), {"action": "revision_request_changes"})

    assert response.status_code == 200
    assert PledgeRevision.objects.get(pledge=published).status == RevisionStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal", "reviewer"])
def test_only_the_pledger_proposes_a_change(client, published, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("pledges:revision_start", args=[published.pk]), {"reason": "Mine now"})

    assert response.status_code == 403
    assert not PledgeRevision.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, published):
    assert client.get(reverse("pledges:revision_start", args=[published.pk])).status_code == 302
