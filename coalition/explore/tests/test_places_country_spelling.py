"""The country list finds a country the way people type its name: case and accents aside, in
English or French, with a slip, or by its ISO code."""

import pytest
from django.urls import reverse

from coalition.reference.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def turkiye(countries):
    return Country.objects.create(iso3="TUR", iso2="TR", numeric="792", name_en="Türkiye", name_fr="Turquie")


@pytest.mark.parametrize(
    ("query", "iso3"),
    [("turkiye", "TUR"), ("TURKIYE", "TUR"), ("türkiye", "TUR"), ("Kénya", "KEN"), ("nepal", "NPL"),
     ("Bhutna", "BTN"), ("bhoutan", "BTN"), ("vut", "VUT")],
)
def test_a_country_is_found_as_it_is_typed(client, turkiye, query, iso3):
    response = client.get(reverse("explore:countries"), {"q": query, "all": "1"})

    assert [row.country.iso3 for row in response.context["rows"]] == [iso3]
