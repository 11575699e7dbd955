"""The access-request queue filters like the review queues and takes "assign to me"."""

import pytest
from django.urls import reverse

from coalition.entities.models import AccessRequest
from coalition.entities.services import access_request_country, access_request_join_entity


@pytest.fixture
def waiting(newcomer, member_state_focal, entity_a, countries):
    join = access_request_join_entity(actor=newcomer, entity=entity_a, message="I run the Türkiye office.")
    country = access_request_country(actor=member_state_focal, country=countries["NPL"])
    return join, country


def _shown(response):
    return [item.pk for item, _form in response.context["rows"]]


def test_the_queue_filters_by_kind_and_by_words_typed_without_accents(client, reviewer, waiting):
    join, country = waiting
    client.force_login(reviewer)
    queue = reverse("entities:access_requests")

    assert _shown(client.get(queue)) == [join.pk, country.pk]
    assert _shown(client.get(queue, {"kind": "country"})) == [country.pk]
    assert _shown(client.get(queue, {"q": "turkiye"})) == [join.pk]
    assert _shown(client.get(queue, {"q": "NEPAL"})) == [country.pk]


def test_a_reviewer_assigns_a_request_to_themself(client, reviewer, waiting):
    join, country = waiting
    client.force_login(reviewer)
    queue = reverse("entities:access_requests")

    response = client.post(queue + "?assigned=none", {"request": join.pk})

    assert response["Location"] == queue + "?assigned=none"
    assert AccessRequest.objects.get(pk=join.pk).assigned_to == reviewer
    assert _shown(client.get(queue, {"assigned": "me"})) == [join.pk]
    assert _shown(client.get(queue, {"assigned": "none"})) == [country.pk]


def test_an_entity_focal_point_decides_joins_but_does_not_assign(client, pledger_a, waiting):
    join, _country = waiting
    client.force_login(pledger_a)

    page = client.get(reverse("entities:access_requests"))
    assert _shown(page) == [join.pk] and "Assign to me" not in page.text
    assert client.post(reverse("entities:access_requests"), {"request": join.pk}).status_code == 403
    assert AccessRequest.objects.get(pk=join.pk).assigned_to is None


def test_a_malformed_id_is_not_found(client, reviewer, waiting):
    client.force_login(reviewer)

    assert client.post(reverse("entities:access_requests"), {"request": "1e30"}).status_code == 404
