"""The public page of a pledge: published pledges only, every public field, no private data."""

import pytest
from django.urls import reverse

from coalition.entities.models import FocalPoint
from coalition.pledges.content import revision_data_load
from coalition.pledges.models import Pledge
from coalition.pledges.services import (
    pledge_create,
    pledge_publish,
    pledge_reject,
    pledge_submit,
    revision_publish,
    revision_start,
    revision_submit,
    revision_update,
)


@pytest.fixture
def published(pledger_a, reviewer, pledge_data):
    pledge = pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data=pledge_data))
    return pledge_publish(actor=reviewer, pledge=pledge, comment="Private note to the pledger")


def test_anyone_sees_a_published_pledge_with_its_public_fields(client, published):
    response = client.get(reverse("explore:pledge", args=[published.pk]))

    assert response.status_code == 200
    for text in ("Connect 500 rural schools", "Ministry of ICT, Kenya", "Partner2Connect", "Kenya", "FA1.1",
                 "1,000,000 EUR", "USD", "Schools connected", "as of", "published"):
        assert text in response.text


def test_the_page_shows_no_private_data(client, published, pledger_a, reviewer):
    response = client.get(reverse("explore:pledge", args=[published.pk]))

    assert response.status_code == 200 and "Connect 500 rural schools" in response.text
    focal = FocalPoint.objects.get(user=pledger_a)
    for private in (focal.email, focal.name, reviewer.email, "Private note to the pledger"):
        assert private not in response.text


def test_unpublished_pledges_are_not_found(client, pledger_a, reviewer, pledge_data):
    draft = pledge_create(actor=pledger_a, data={**pledge_data, "title": "A draft"})
    rejected = pledge_reject(
        actor=reviewer, pledge=pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data=pledge_data)),
        comment="No",
    )
    client.force_login(pledger_a)

    for pledge in (draft, rejected):
        assert client.get(reverse("explore:pledge", args=[pledge.pk])).status_code == 404


def test_a_pending_revision_is_never_shown(client, pledger_a, published):
    revision = revision_start(actor=pledger_a, pledge=published, reason="Secret plans")
    revision_update(actor=pledger_a, revision=revision,
                    data={**revision_data_load(revision.data), "title": "Not public yet"})

    response = client.get(reverse("explore:pledge", args=[published.pk]))

    assert response.status_code == 200 and "Connect 500 rural schools" in response.text
    assert "Not public yet" not in response.text and "Secret plans" not in response.text


def test_a_published_revision_appears_in_the_change_history_by_field_name_only(client, pledger_a, reviewer, published):
    revision = revision_start(actor=pledger_a, pledge=published, reason="Reason kept private")
    revision = revision_update(actor=pledger_a, revision=revision,
                               data={**revision_data_load(revision.data), "title": "Connect 800 rural schools"})
    revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_a, revision=revision))

    response = client.get(reverse("explore:pledge", args=[published.pk]))

    assert response.status_code == 200
    assert "Connect 800 rural schools" in response.text
    assert "changed: title" in response.text
    assert "Reason kept private" not in response.text and reviewer.email not in response.text


def test_the_publication_date_comes_from_the_versions_states_not_their_reasons(client, published):
    Pledge.history.filter(id=published.pk).update(history_change_reason="imported")

    response = client.get(reverse("explore:pledge", args=[published.pk]))

    changes = response.context["changes"]
    assert [change["published"] for change in changes] == [True]
    assert changes[0]["at"] == published.published_at
