"""Group aggregates against values worked out by hand on a four-country group.

The group TEST holds Kenya, Vanuatu, Bhutan (until 13 Dec 2023) and Nepal.

population (wb-wdi)    KEN 2020: 100, 2022: 120     VUT 2021: 50    BTN 2021: 30    NPL: none
Internet use (ITU)     KEN 2019: 20,  2023: 40      VUT 2021: 60    BTN: none       NPL 2021: 10
"""

import datetime

import pytest
from django.utils import timezone

from coalition.indicators.aggregates import WORLD, UnknownGroup, aggregates, country_offline
from coalition.reference.models import CountryGroup, CountryGroupMembership


@pytest.fixture
def group(countries):
    test = CountryGroup.objects.create(code="TEST", kind=CountryGroup.Kind.ITU_REGION, name_en="Test region")
    for iso3 in ("KEN", "VUT", "NPL"):
        CountryGroupMembership.objects.create(group=test, country=countries[iso3])
    CountryGroupMembership.objects.create(group=test, country=countries["BTN"], valid_to=datetime.date(2023, 12, 13))
    return test


@pytest.fixture
def data(observe, countries, group):
    observe("population", countries["KEN"], {2020: 100, 2022: 120}, source="wb-wdi")
    observe("population", countries["VUT"], {2021: 50}, source="wb-wdi")
    observe("population", countries["BTN"], {2021: 30}, source="wb-wdi")
    observe("internet-use", countries["KEN"], {2019: 20, 2023: 40})
    observe("internet-use", countries["VUT"], {2021: 60})
    observe("internet-use", countries["NPL"], {2021: 10})


def one(catalogue, code="internet-use", group="TEST", year=2021, membership="yearly", **kwargs):
    [result] = aggregates(indicator=catalogue[code], groups=[group], years=[year], membership=membership, **kwargs)
    return result


def test_it_weights_by_population_and_interpolates_within_a_country(data, catalogue):
    # KEN 2021: population 110 and Internet use 30, both interpolated; VUT observed 60 on 50.
    # BTN has people but no value: it takes the group estimate. NPL has no population: left out.
    result = one(catalogue)
    assert result.value == pytest.approx((110 * 30 + 50 * 60) / (110 + 50))  # 39.375
    assert result.population == pytest.approx(190)
    assert result.countries == 4
    assert result.countries_with_data == 2
    assert result.countries_without_population == 1


def test_coverage_is_the_share_of_people_with_an_observed_value(data, catalogue):
    # Only Vanuatu's 50 people have a value observed in 2021 (Kenya's is interpolated).
    assert one(catalogue).coverage == pytest.approx(50 / 190)


def test_offline_people_are_population_times_the_share_not_using_the_internet(data, catalogue):
    assert one(catalogue).offline == pytest.approx(190 * (1 - 0.39375))  # 115.1875


def test_values_are_carried_three_years_at_most(data, catalogue):
    # 2025: Kenya's population (2022) and Internet use (2023) are carried; Vanuatu's 2021
    # population is four years old, so it cannot be weighted, nor can Nepal; Bhutan has left.
    result = one(catalogue, year=2025)
    assert result.value == pytest.approx(40)
    assert result.population == pytest.approx(120)
    assert result.coverage == 0
    assert (result.countries, result.countries_without_population) == (3, 2)
    assert one(catalogue, year=2026).population == 0
    assert one(catalogue, year=2026).value is None


def test_yearly_membership_follows_its_dates(data, catalogue):
    assert one(catalogue, year=2023).countries == 4
    assert one(catalogue, year=2024).countries == 3
    assert one(catalogue, year=2024).members_as_of == "yearly"


def test_by_default_every_year_counts_todays_members(data, catalogue):
    # Bhutan left in 2023, so it is not in the 2021 figure either: 110 + 50 people.
    result = one(catalogue, membership="current")
    assert result.countries == 3
    assert result.population == pytest.approx(160)
    assert result.value == pytest.approx(39.375)
    assert result.members_as_of == timezone.localdate().isoformat()


def test_population_aggregates_as_a_sum(data, catalogue):
    result = one(catalogue, code="population")
    assert result.value == pytest.approx(190)
    assert result.offline is None


def test_the_world_is_every_country(data, catalogue, countries):
    result = one(catalogue, group=WORLD)
    assert result.countries == len(countries)
    # FRA has neither population nor value; NPL has no population.
    assert result.value == pytest.approx(39.375)


def test_another_source_can_be_asked_for(data, catalogue, countries, observe):
    from coalition.indicators.models import DataSource

    observe("internet-use", countries["KEN"], {2021: 50}, source="wb-wdi")
    result = one(catalogue, source=DataSource.objects.get(code="wb-wdi"))
    assert result.value == pytest.approx(50)
    assert result.source == "wb-wdi"
    assert result.coverage == pytest.approx(110 / 190)


def test_an_unknown_group_is_refused_by_name(data, catalogue):
    with pytest.raises(UnknownGroup, match="NOPE"):
        one(catalogue, group="NOPE")


def test_aggregates_cost_a_constant_number_of_queries(data, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        aggregates(indicator=catalogue["internet-use"], groups=["TEST", WORLD], years=range(2000, 2031))


def test_country_offline_uses_each_countrys_latest_year(data, catalogue, countries):
    rows = country_offline()
    kenya = rows[countries["KEN"].id]
    # 2023: 40% online; population 120 carried from 2022.
    assert (kenya.year, kenya.share_online, kenya.population) == (2023, 40, 120)
    assert kenya.offline == pytest.approx(72)
    assert countries["NPL"].id not in rows  # no population
    assert rows[countries["VUT"].id].offline == pytest.approx(20)


def test_price_baskets_take_the_simple_mean_of_the_countries_with_a_price_as_itu_publishes_them(observe, countries, group, catalogue):
    # Population as above; basket prices: KEN 2021: 4.0, VUT 2021: 10.0, NPL 2021: 1.0 (NPL has
    # no population figure but a price, so it counts); BTN none. ITU's average: (4 + 10 + 1) / 3.
    observe("population", countries["KEN"], {2020: 100, 2022: 120}, source="wb-wdi")
    observe("population", countries["VUT"], {2021: 50}, source="wb-wdi")
    observe("population", countries["BTN"], {2021: 30}, source="wb-wdi")
    for iso3, price in (("KEN", 4.0), ("VUT", 10.0), ("NPL", 1.0)):
        observe("mobile-broadband-price", countries[iso3], {2021: price})
    result = one(catalogue, code="mobile-broadband-price")
    assert catalogue["mobile-broadband-price"].aggregation == "simple"
    assert result.value == pytest.approx(5.0)
    assert result.countries_with_data == 3
    assert result.population == pytest.approx(190)  # the people still counted as for any indicator
