import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.common.downloads import Fetched, Manifest
from coalition.reference.models import Country, CountryGroupMembership, ExchangeRate, SdgGoal, SdgTarget
from coalition.reference.testing import FIXTURE_DIR


@pytest.fixture
def no_data_folder(settings, tmp_path):
    settings.COALITION_DATA_DIR = ""
    settings.COALITION_DOWNLOAD_DIR = tmp_path / "empty"


def reference_load(*args):
    out = StringIO()
    call_command("reference", "load", *args, stdout=out)
    return out.getvalue()


def test_without_a_data_folder_every_classification_loads_from_coalitions_own_tables(db, no_data_folder):
    output = reference_load("--strict")

    assert Country.objects.count() == 249
    assert ExchangeRate.objects.filter(currency__code="EUR", year=2022).exists()
    assert "countries: loaded: 249 created" in output
    assert SdgTarget.objects.count() == 169
    assert CountryGroupMembership.objects.filter(group__code="ITU-ASP", country__iso3="IND").exists()
    assert "ITU-D regions: loaded: 197 created, 0 updated, 0 unchanged (from Coalition's own table)" in output
    # The official SDG texts ship with no table: they come from the UN or a data folder.
    assert "SDG official texts: not loaded: sdg-goals-targets.csv not in the data folder and not downloaded" in output
    assert SdgTarget.objects.get(code="9.c").title_en == ""


def test_with_a_data_folder_its_files_replace_coalitions_tables(db, no_data_folder):
    output = reference_load("--data-dir", str(FIXTURE_DIR))

    assert SdgGoal.objects.count() == 17
    assert CountryGroupMembership.objects.filter(group__code="ITU-ASP").exists()
    # The fixture's ITU file names a handful of countries, and only those are in a region.
    fixture_rows = len((FIXTURE_DIR / "itu-regions.csv").read_text().splitlines()) - 1
    assert CountryGroupMembership.objects.filter(group__code__startswith="ITU-").count() == fixture_rows < 197
    assert f"(from data folder {FIXTURE_DIR})" in output
    assert SdgTarget.objects.get(code="9.c").title_en.startswith("Significantly increase access")


def test_the_data_folder_can_come_from_settings(db, settings):
    settings.COALITION_DATA_DIR = str(FIXTURE_DIR)

    assert "WSIS action lines: loaded: 8 created" in reference_load()


def test_what_data_fetch_downloaded_is_loaded_when_the_data_folder_lacks_it(db, no_data_folder, settings):
    downloads = settings.COALITION_DOWNLOAD_DIR
    downloads.mkdir()
    (downloads / "world-bank").mkdir()
    (downloads / "world-bank" / "income-groups.csv").write_text(
        "Country Code,Region,IncomeGroup\nKEN,Sub-Saharan Africa,Lower middle income\n"
    )
    Manifest(downloads).record(Fetched(
        name="world-bank/income-groups.csv", kind="reference", format="income-groups", source="World Bank",
        edition="FY2027", sha256="0" * 64, url="https://api.worldbank.org/v2/country", options={"valid_from": "2026-07-01"},
    ))

    output = reference_load()

    assert "World Bank income groups: loaded: " in output
    assert "(from downloaded from World Bank, edition FY2027)" in output
    kenya = CountryGroupMembership.objects.get(group__code="WB-LMC", country__iso3="KEN", valid_to__isnull=True)
    # The download replaces Coalition's table (FY2025): its memberships start with its fiscal year.
    assert kenya.valid_from == datetime.date(2026, 7, 1)


def test_a_failed_file_is_reported_and_strict_mode_exits_non_zero(db, no_data_folder, tmp_path):
    (tmp_path / "itu-regions.csv").write_text("iso3,itu_region_code,itu_member_state,note\nQQQ,AFR,yes,\n")

    output = reference_load("--data-dir", str(tmp_path))
    with pytest.raises(CommandError, match="1 file-based source"):
        reference_load("--data-dir", str(tmp_path), "--strict")

    assert "ITU-D regions: failed: line 2 iso3: Unknown ISO3 code 'QQQ'" in output


def test_a_missing_data_folder_is_an_error(db):
    with pytest.raises(CommandError, match="is not a folder"):
        reference_load("--data-dir", "/nonexistent/folder")


def test_one_classification_can_be_imported_with_its_date(reference, tmp_path):
    out = StringIO()

    call_command(
        "reference", "import", "income-groups", str(FIXTURE_DIR / "wb_country_metadata.csv"),
        "--valid-from", "2025-07-01", stdout=out,
    )

    assert "World Bank income groups: loaded: 0 created, 0 updated" in out.getvalue()


def test_an_import_that_fails_exits_non_zero(reference, tmp_path):
    bad = tmp_path / "itu-regions.csv"
    bad.write_text("iso3\nKEN\n")

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("reference", "import", "itu-regions", str(bad), stdout=StringIO())


def test_ldc_counts_after_a_full_load_match_the_un_list(db, no_data_folder):
    from coalition.reference.selectors import group_members_as_of

    reference_load()

    assert group_members_as_of(group_code="LDC", date=datetime.date(2025, 6, 1)).count() == 44
