"""The classifications Coalition ships say what the UN, ITU and ESCAP lists say, and load alone."""

import csv
import datetime

import pytest

from coalition.reference.importing import run_import
from coalition.reference.loaders import ALWAYS, FROM_FILES
from coalition.reference.loaders.base import DATA_DIR
from coalition.reference.models import CountryGroupMembership, ImportRun, SdgGoal, SdgTarget, WsisActionLine
from coalition.reference.selectors import group_members_as_of

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def packaged(db):
    """Everything `reference load` loads with no data folder and nothing downloaded."""
    runs = [run_import(loader=make()) for _label, make in ALWAYS]
    runs += [run_import(loader=source.make()) for source in FROM_FILES if source.packaged]
    assert [run.errors for run in runs if run.status != ImportRun.Status.SUCCEEDED] == []


def un_member_states() -> set[str]:
    with open(DATA_DIR / "m49_regions.csv", encoding="utf-8") as handle:
        return {row["ISO3166-1-Alpha-3"] for row in csv.DictReader(handle) if row["un_member_state"] == "yes"}


def regions_of(kind_prefix: str, kind: str) -> dict[str, list[str]]:
    regions: dict[str, list[str]] = {}
    memberships = CountryGroupMembership.objects.as_of(TODAY).filter(group__kind=kind, group__code__startswith=kind_prefix)
    for iso3, code in memberships.values_list("country__iso3", "group__code"):
        regions.setdefault(iso3, []).append(code)
    return regions


def test_the_table_lists_the_193_un_member_states():
    members = un_member_states()

    assert len(members) == 193
    assert {"CIV", "TUR", "SSD", "NRU"} <= members
    assert not members & {"PSE", "VAT", "COK", "NIU", "TWN", "HKG"}


def test_every_un_member_state_is_in_exactly_one_itu_region(packaged):
    regions = regions_of("ITU-", "itu_region")

    assert {iso3: codes for iso3, codes in regions.items() if iso3 in un_member_states() and len(codes) != 1} == {}
    assert un_member_states() - set(regions) == set()
    assert regions["IND"] == ["ITU-ASP"] and regions["EGY"] == ["ITU-ARB"] and regions["UKR"] == ["ITU-EUR"]


def test_every_un_member_state_is_in_exactly_one_m49_region(packaged):
    regions = regions_of("M49-", "un_region")

    assert {iso3: codes for iso3, codes in regions.items() if len(codes) != 1} == {}
    assert un_member_states() - set(regions) == set()
    assert regions["FJI"] == ["M49-009"] and regions["BRA"] == ["M49-019"]


def test_escap_has_53_members_and_9_associate_members_in_five_subregions(packaged):
    members = group_members_as_of(group_code="ESCAP-MEMBER", date=TODAY)
    associates = group_members_as_of(group_code="ESCAP-ASSOCIATE", date=TODAY)

    assert (members.count(), associates.count()) == (53, 9)
    assert set(associates.values_list("iso3", flat=True)) >= {"HKG", "MAC", "COK", "NIU"}
    in_subregions = CountryGroupMembership.objects.as_of(TODAY).filter(group__kind="escap_subregion")
    # The four non-regional members (France, the Netherlands, the UK, the US) are in no subregion.
    assert in_subregions.count() == 62 - 4
    assert not in_subregions.filter(country__iso3__in=["FRA", "NLD", "GBR", "USA"]).exists()


def test_17_goals_and_169_targets_each_with_a_short_title_in_both_languages(packaged):
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert [SdgTarget.objects.filter(goal__number=n).count() for n in range(1, 18)] == [
        7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19,
    ]
    assert not SdgTarget.objects.filter(short_en="").exists() and not SdgTarget.objects.filter(short_fr="").exists()
    assert SdgTarget.objects.get(code="9.c").short_en == "Universal, affordable Internet access in LDCs"


def test_eleven_wsis_action_lines_and_the_c7_sub_lines_all_in_french(packaged):
    assert WsisActionLine.objects.filter(parent=None).count() == 11
    assert WsisActionLine.objects.filter(parent__code="C7").count() == 8
    assert not WsisActionLine.objects.filter(title_fr="").exists()


def test_income_groups_are_the_fy2025_classification_dated_from_1_july_2024(packaged):
    kenya = CountryGroupMembership.objects.get(country__iso3="KEN", group__kind="income_group")

    assert (kenya.group.code, kenya.valid_from) == ("WB-LMC", datetime.date(2024, 7, 1))
    assert CountryGroupMembership.objects.filter(group__kind="income_group").count() > 200
