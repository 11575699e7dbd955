"""In every year the indicators cover, each country of an ITU region is in one ITU and one M49 region.

ITU computes its regional series over today's regions for every year of the series, so the
platform's ITU regions must have members in 2019 as they do in 2024 (issue 15, item 11).
"""

import datetime
from collections import Counter

import pytest

from coalition.common.actors import SYSTEM
from coalition.indicators.aggregates import aggregates
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import DataSource, Observation
from coalition.indicators.readers import reader_for
from coalition.indicators.tests.import_fixtures import DATA
from coalition.reference.models import CountryGroup, CountryGroupMembership
from coalition.reference.testing import load_reference_fixture

# The public World Bank files (population, Internet use) have a column for every year from
# 1960; the targets are for 2030.
FIRST_PUBLIC_YEAR, TARGET_YEAR = 1960, 2030
FILES = [
    ("wb-wdi", "wb-api", "wb_internet.csv", None),
    ("itu-datahub", "itu-datahub", "itu_internet_2025.csv", None),
    ("wb-wdi", "tidy", "population.csv", "population"),
]


@pytest.fixture
def indicator_years(catalogue):
    """Reference data and the indicator fixture files, loaded through the real importers."""
    load_reference_fixture()
    for source_code, format, name, indicator in FILES:
        source = DataSource.objects.get(code=source_code)
        reader = reader_for(format, DATA / name, source=source, indicator=catalogue[indicator] if indicator else None)
        run = indicator_import(actor=SYSTEM, reader=reader, source=source, edition_label="test")
        assert run.status == "succeeded", run.errors
    return sorted(set(Observation.objects.values_list("year", flat=True)))


def regions_by_country(kind: str, day: datetime.date) -> Counter:
    memberships = CountryGroupMembership.objects.as_of(day).filter(group__kind=kind)
    return Counter(memberships.values_list("country__iso3", flat=True))


def misplaced_countries(years) -> dict[int, dict[str, tuple[int, int]]]:
    """{year: {iso3: (ITU regions, M49 regions)}} for every country not in exactly one of each on 1 July."""
    countries = set(
        CountryGroupMembership.objects.filter(group__kind=CountryGroup.Kind.ITU_REGION).values_list("country__iso3", flat=True)
    )
    assert countries, "the fixture has no ITU region memberships"
    found = {}
    for year in years:
        day = datetime.date(year, 7, 1)
        itu = regions_by_country(CountryGroup.Kind.ITU_REGION, day)
        m49 = regions_by_country(CountryGroup.Kind.UN_REGION, day)
        wrong = {iso3: (itu[iso3], m49[iso3]) for iso3 in sorted(countries) if (itu[iso3], m49[iso3]) != (1, 1)}
        if wrong:
            found[year] = wrong
    return found


def test_every_year_with_an_observation_finds_each_country_in_one_itu_and_one_m49_region(indicator_years):
    assert indicator_years[0] < 2024  # the years the old dating left without ITU regions
    assert misplaced_countries(indicator_years) == {}


def test_so_does_every_year_from_the_first_public_series_to_the_targets(indicator_years):
    assert misplaced_countries(range(FIRST_PUBLIC_YEAR, TARGET_YEAR + 1)) == {}


def test_a_yearly_itu_region_figure_before_2024_counts_the_regions_members(indicator_years, catalogue):
    # Kenya: Internet use 29.5 % in 2020 (World Bank); its 2023 population carried back three years.
    [africa] = aggregates(
        indicator=catalogue["internet-use"], source=DataSource.objects.get(code="wb-wdi"),
        groups=["ITU-AFR"], years=[2020], membership="yearly",
    )

    assert africa.countries == 5
    assert africa.value == pytest.approx(29.5)
