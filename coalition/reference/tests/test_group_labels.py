"""Groups of different classifications that share a name read apart wherever they are offered:
"Africa — ITU region" and "Africa — M49" (one labelling function, `reference.groups.group_label`)."""

import pytest
from django.urls import reverse
from django.utils import translation

from coalition.reference.groups import group_label
from coalition.reference.models import CountryGroup, CountryGroupMembership

Kind = CountryGroup.Kind


@pytest.fixture
def africas(countries):
    itu = CountryGroup.objects.create(code="ITU-AFR", kind=Kind.ITU_REGION, name_en="Africa", name_fr="Afrique")
    m49 = CountryGroup.objects.create(code="M49-002", kind=Kind.UN_REGION, name_en="Africa", name_fr="Afrique")
    for group in (itu, m49):
        CountryGroupMembership.objects.create(group=group, country=countries["KEN"])
    return itu, m49


def test_a_group_is_named_with_its_classification(africas):
    itu, m49 = africas
    ldc = CountryGroup(code="LDC", kind=Kind.DEVELOPMENT, name_en="Least developed countries (LDCs)")

    assert (group_label(itu), group_label(m49)) == ("Africa — ITU region", "Africa — M49")
    assert group_label(ldc) == "Least developed countries (LDCs)"  # its name says what it is
    with translation.override("fr"):
        assert group_label(itu).startswith("Afrique — ")


def test_the_explorer_s_region_filter_and_its_chip_name_the_classification(client, africas, published):
    page = client.get(reverse("explore:explorer"), {"region": "ITU-AFR"}).text

    assert "Region: Africa — ITU region" in page
    assert "Africa — M49" in page


def test_a_country_page_names_the_classification_of_its_groups(client, africas, published):
    page = client.get(reverse("explore:country", args=["KEN"])).text

    assert "Africa — ITU region" in page and "Africa — M49" in page
