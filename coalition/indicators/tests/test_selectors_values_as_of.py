"""Values as the platform held them on a past moment: later editions left out, revisions read back."""

import datetime

import pytest
from django.utils import timezone

from coalition.indicators.aggregates import aggregates
from coalition.indicators.models import DataSource, Edition, Observation, ObservationRevision
from coalition.indicators.selectors import values_by_country


def moment(day):
    return timezone.make_aware(datetime.datetime(2025, 1, day, 12))


@pytest.fixture
def history(catalogue, countries):
    """2024-edition value 30 for Kenya 2022, revised to 35 by the 2025 edition on 10 January;
    a 2023 value first published by the 2025 edition."""
    itu = DataSource.objects.get(code="itu-datahub")
    old = Edition.objects.create(source=itu, label="2024-12")
    new = Edition.objects.create(source=itu, label="2025-01")
    Edition.objects.filter(pk=old.pk).update(first_imported_at=moment(1))
    Edition.objects.filter(pk=new.pk).update(first_imported_at=moment(10))
    kenya, internet = countries["KEN"], catalogue["internet-use"]
    common = {"indicator": internet, "country": kenya, "source": itu}
    Observation.objects.create(**common, year=2022, value=35, edition=new)
    Observation.objects.create(**common, year=2023, value=38, edition=new)
    ObservationRevision.objects.create(**common, year=2022, value=30, edition=old, replaced_by=new, replaced_at=moment(10))
    return internet, itu, kenya


def test_today_reads_the_current_values(history):
    internet, itu, kenya = history
    assert values_by_country(indicator=internet, source=itu) == {kenya.id: {2022: 35, 2023: 38}}


def test_a_past_moment_reads_the_value_then_and_not_the_later_edition(history):
    internet, itu, kenya = history
    assert values_by_country(indicator=internet, source=itu, as_of=moment(5)) == {kenya.id: {2022: 30}}


def test_before_any_edition_there_is_nothing(history):
    internet, itu, _ = history
    assert values_by_country(indicator=internet, source=itu, as_of=timezone.make_aware(datetime.datetime(2024, 6, 1))) == {}


def test_aggregates_as_of_a_date_use_the_values_of_that_date(history, observe, countries):
    internet, itu, kenya = history
    observe("population", kenya, {2022: 100}, source="wb-wdi", edition="2024-07")
    Edition.objects.filter(label="2024-07").update(first_imported_at=moment(1))
    then = aggregates(indicator=internet, groups=["WORLD"], years=[2022], as_of=moment(5))[0]
    now = aggregates(indicator=internet, groups=["WORLD"], years=[2022])[0]
    assert (then.value, now.value) == (30, 35)


def test_observations_carry_the_edition_that_gave_each_value_then(history):
    from coalition.indicators.selectors import observations

    internet, _, kenya = history
    then = observations(indicator_ids=[internet.pk], country_ids=[kenya.pk], as_of=moment(5))
    now = observations(indicator_ids=[internet.pk], country_ids=[kenya.pk])
    assert [(o.year, o.value, o.edition) for o in then] == [(2022, 30, "2024-12")]
    assert [(o.year, o.value, o.edition) for o in now] == [(2022, 35, "2025-01"), (2023, 38, "2025-01")]


def test_progress_as_of_a_date_reads_the_values_of_that_date(history):
    from coalition.indicators.progress import country_progress

    _, _, kenya = history
    [then] = [row for row in country_progress(country=kenya, as_of=moment(5)) if row.indicator.code == "internet-use"]
    [now] = [row for row in country_progress(country=kenya) if row.indicator.code == "internet-use"]
    assert (then.values, then.source) == ({2022: 30}, "itu-datahub")
    assert now.values == {2022: 35, 2023: 38}


def test_the_profile_on_an_earlier_date_shows_the_value_then(client, history):
    then = client.get("/countries/KEN/connectivity/?as_of=2025-01-05").content.decode()
    now = client.get("/countries/KEN/connectivity/").content.decode()
    assert "30.0%" in then and "35.0%" not in then
    assert "35.0%" in now and "38.0%" in now
