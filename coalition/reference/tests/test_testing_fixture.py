import datetime
from decimal import Decimal

from coalition.reference import selectors
from coalition.reference.models import Country, CountryGroup, ImportRun, SdgGoal, SdgTarget, WsisActionLine
from coalition.reference.services import usd_value
from coalition.reference.testing import load_reference_fixture


def test_the_fixture_loads_countries_groups_goals_lines_and_rates(db):
    load_reference_fixture()

    assert Country.objects.count() == 249
    assert SdgGoal.objects.count() == 17
    assert set(SdgTarget.objects.values_list("code", flat=True)) >= {"4.4", "5.b", "9.c", "17.8"}
    assert WsisActionLine.objects.count() == 8
    assert CountryGroup.objects.filter(code="ITU-ASP").exists()
    assert selectors.group_members_as_of(group_code="WB-LMC", date=datetime.date(2025, 1, 1)).filter(iso3="KEN").exists()
    assert usd_value(amount=Decimal("100"), currency="GBP", year=2020) > Decimal("100")


def test_loading_the_fixture_twice_changes_nothing(db):
    load_reference_fixture()

    runs = load_reference_fixture()

    assert runs and all(run.status == ImportRun.Status.SUCCEEDED and run.unchanged > 0 for run in runs.values())
    assert all(run.created == run.updated == run.deleted == 0 for run in runs.values())


def test_namibias_code_na_is_read_as_a_code_not_a_missing_value(db):
    load_reference_fixture()
    namibia = Country.objects.get(iso2="NA")

    codes = set(namibia.country_groups.values_list("code", flat=True))
    assert {"M49-002", "M49-202", "M49-018"} <= codes
