"""A draft pledge is deleted from its check page or My pledges, after a confirmation."""

import pytest
from django.urls import reverse

from coalition.pledges.models import Pledge
from coalition.pledges.services import pledge_create, pledge_submit


@pytest.fixture
def draft(pledger_a, pledge_data):
    return pledge_create(actor=pledger_a, data=pledge_data)


def test_the_check_page_and_my_pledges_offer_deletion_with_a_confirmation(client, pledger_a, draft):
    client.force_login(pledger_a)
    url = reverse("pledges:delete", args=[draft.pk])

    assert url in client.get(reverse("pledges:preview", args=[draft.pk])).text
    assert url in client.get(reverse("reporting:mine")).text
    assert "Delete this draft?" in client.get(url).text
    assert Pledge.objects.filter(pk=draft.pk).exists()

    response = client.post(url)

    assert response["Location"] == reverse("reporting:mine")
    assert not Pledge.objects.filter(pk=draft.pk).exists()


def test_a_submitted_pledge_is_not_offered_deletion_nor_deleted(client, pledger_a, draft):
    pledge_submit(actor=pledger_a, pledge=draft)
    client.force_login(pledger_a)

    assert reverse("pledges:delete", args=[draft.pk]) not in client.get(reverse("pledges:preview", args=[draft.pk])).text
    client.post(reverse("pledges:delete", args=[draft.pk]))

    assert Pledge.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal"])
def test_other_people_are_refused(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(reverse("pledges:delete", args=[draft.pk])).status_code == 403
    assert Pledge.objects.filter(pk=draft.pk).exists()
