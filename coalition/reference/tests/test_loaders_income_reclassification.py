"""A later World Bank classification closes changed memberships and keeps the history answerable."""

import datetime

import pytest

from coalition.reference.importing import run_import
from coalition.reference.loaders.income_groups import IncomeGroupLoader
from coalition.reference.models import CountryGroupMembership, ImportRun
from coalition.reference.selectors import group_members_as_of
from coalition.reference.tests.conftest import CsvFixture

FY2026 = datetime.date(2025, 7, 1)


def members(code, date):
    return set(group_members_as_of(group_code=code, date=date).values_list("iso3", flat=True))


@pytest.fixture
def fy2026_file(reference, tmp_path):
    """The fixture file with Kenya moved up to upper-middle income and Nepal dropped."""
    fixture = CsvFixture("wb_country_metadata.csv")
    code, income = fixture.column("Country Code"), fixture.column("IncomeGroup")
    for row in fixture.rows[1:]:
        if row[code] == "KEN":
            row[income] = "Upper middle income"
    fixture.rows = [row for row in fixture.rows if row[code] != "NPL"]
    path, _lines = fixture.write(tmp_path)
    return path


def test_a_reclassified_country_leaves_its_old_group_on_the_new_date(fy2026_file):
    run = run_import(loader=IncomeGroupLoader(fy2026_file, valid_from=FY2026))

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert "KEN" in members("WB-LMC", datetime.date(2025, 6, 30))
    assert "KEN" not in members("WB-LMC", FY2026)
    assert "KEN" in members("WB-UMC", FY2026)
    assert "KEN" not in members("WB-UMC", datetime.date(2025, 6, 30))


def test_a_country_missing_from_the_new_file_is_closed_not_deleted(fy2026_file):
    run_import(loader=IncomeGroupLoader(fy2026_file, valid_from=FY2026))

    nepal = CountryGroupMembership.objects.get(country__iso3="NPL", group__code="WB-LMC")
    assert (nepal.valid_from, nepal.valid_to) == (datetime.date(2024, 7, 1), FY2026)


def test_unchanged_countries_keep_one_continuous_membership(fy2026_file):
    run = run_import(loader=IncomeGroupLoader(fy2026_file, valid_from=FY2026))

    france = CountryGroupMembership.objects.filter(country__iso3="FRA", group__kind="income_group")
    assert [(m.group.code, m.valid_from, m.valid_to) for m in france] == [("WB-HIC", datetime.date(2024, 7, 1), None)]
    assert (run.created, run.updated) == (1, 2)


def test_loading_the_new_classification_twice_changes_nothing(fy2026_file):
    run_import(loader=IncomeGroupLoader(fy2026_file, valid_from=FY2026))

    again = run_import(loader=IncomeGroupLoader(fy2026_file, valid_from=FY2026))

    assert (again.created, again.updated, again.deleted) == (0, 0, 0)


def test_an_older_classification_cannot_be_loaded_after_a_newer_one(fy2026_file):
    run_import(loader=IncomeGroupLoader(fy2026_file, valid_from=FY2026))

    run = run_import(loader=IncomeGroupLoader(fy2026_file, valid_from=datetime.date(2023, 7, 1)))

    assert run.status == ImportRun.Status.FAILED
    assert run.errors[0]["column"] == "valid_from" and "date order" in run.errors[0]["message"]


def test_a_corrected_file_for_the_same_date_undoes_the_change(fy2026_file, reference):
    from coalition.reference.testing import FIXTURE_DIR

    run_import(loader=IncomeGroupLoader(fy2026_file, valid_from=FY2026))
    run_import(loader=IncomeGroupLoader(FIXTURE_DIR / "wb_country_metadata.csv", valid_from=FY2026))

    kenya = CountryGroupMembership.objects.filter(country__iso3="KEN", group__kind="income_group")
    assert [(m.group.code, m.valid_from, m.valid_to) for m in kenya] == [("WB-LMC", datetime.date(2024, 7, 1), None)]


def test_aggregates_are_ignored_and_unclassified_economies_are_reported(reference):
    run = reference["income_groups"]

    messages = " ".join(w["message"] for w in run.warnings)
    assert "VEN is not classified" in messages and "XKX (Kosovo)" in messages
    assert "WLD" not in messages
