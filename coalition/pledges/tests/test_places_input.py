"""The place pages refuse unknown places with 404, bad dates with a message and 400, and
writing methods with 405; no input gives a server error."""

import pytest
from django.urls import reverse

from .places_fixtures import groups, registry  # noqa: F401

PAGES = [
    ("pledges:countries", []),
    ("pledges:country", ["NPL"]),
    ("pledges:groups", []),
    ("pledges:group", ["ITU-ASP"]),
]


@pytest.mark.parametrize("name,args", [("pledges:country", ["XXX"]), ("pledges:group", ["NOPE"]), ("pledges:entity", [999999])])
def test_an_unknown_place_is_not_found(client, registry, name, args):
    assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize("name,args", PAGES)
def test_a_bad_date_shows_the_message_with_a_400(client, registry, name, args):
    response = client.get(reverse(name, args=args), {"as_of": "31/12/2024"})

    assert response.status_code == 400
    assert "is not a date: write it as YYYY-MM-DD" in response.text


def test_a_bad_date_on_the_entity_page_shows_the_message_with_a_400(client, registry, entity_a):
    response = client.get(reverse("pledges:entity", args=[entity_a.pk]), {"as_of": "yesterday"})

    assert response.status_code == 400 and "is not a date" in response.text


@pytest.mark.parametrize("name,args", PAGES)
def test_writing_methods_are_refused(client, registry, name, args):
    assert client.post(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "9999"}, {"page": "-1"}, {"q": "x" * 500}, {"sort": ""}])
def test_odd_input_never_fails(client, registry, entity_a, params):
    for url in (reverse("pledges:country", args=["NPL"]), reverse("pledges:entity", args=[entity_a.pk]),
                reverse("pledges:group", args=["ITU-ASP"]), reverse("pledges:countries")):
        assert client.get(url, params).status_code == 200


def test_a_future_date_shows_today(client, registry):
    response = client.get(reverse("pledges:country", args=["NPL"]), {"as_of": "2999-01-01"})

    assert response.status_code == 200 and response.context["as_of"].is_today
