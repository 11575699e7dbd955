"""The place pages refuse unknown places with 404, bad dates with a message and 400, and
writing methods with 405; no input gives a server error."""

import pytest
from django.urls import reverse

from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401

PAGES = [
    ("explore:countries", []),
    ("explore:country", ["NPL"]),
    ("explore:groups", []),
    ("explore:group", ["ITU-ASP"]),
]


@pytest.mark.parametrize("name,args", [("explore:country", ["XXX"]), ("explore:group", ["NOPE"]), ("explore:entity", [999999])])
def test_an_unknown_place_is_not_found(client, registry, name, args):
    assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize("name,args", PAGES)
def test_a_bad_date_shows_the_message_with_a_400(client, registry, name, args):
    response = client.get(reverse(name, args=args), {"as_of": "31/12/2024"})

    assert response.status_code == 400
    assert "is not a date: write it as YYYY-MM-DD" in response.text


def test_a_bad_date_on_the_entity_page_shows_the_message_with_a_400(client, registry, entity_a):
    response = client.get(reverse("explore:entity", args=[entity_a.pk]), {"as_of": "yesterday"})

    assert response.status_code == 400 and "is not a date" in response.text


@pytest.mark.parametrize("name,args", PAGES)
def test_writing_methods_are_refused(client, registry, name, args):
    assert client.post(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "9999"}, {"page": "-1"}, {"q": "x" * 500}, {"sort": ""}])
def test_odd_input_never_fails(client, registry, entity_a, params):
    for url in (reverse("explore:country", args=["NPL"]), reverse("explore:entity", args=[entity_a.pk]),
                reverse("explore:group", args=["ITU-ASP"]), reverse("explore:countries")):
        assert client.get(url, params).status_code == 200


def test_a_future_date_shows_today(client, registry):
    response = client.get(reverse("explore:country", args=["NPL"]), {"as_of": "2999-01-01"})

    assert response.status_code == 200 and response.context["as_of"].is_today


@pytest.mark.parametrize("name,args", [*PAGES, ("explore:dashboard", []), ("explore:dashboard_csv", ["countries"])])
def test_a_date_before_the_registry_began_is_refused_with_its_limit(client, registry, name, args):
    response = client.get(reverse(name, args=args), {"as_of": "0001-01-01"})

    assert response.status_code == 400
    assert "Choose a date from 1990-01-01 on" in response.text
