import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.reference.models import Country, CountryGroupMembership, ExchangeRate, SdgGoal
from coalition.reference.testing import FIXTURE_DIR


@pytest.fixture
def no_data_folder(settings, tmp_path):
    settings.COALITION_DATA_DIR = ""
    settings.COALITION_DOWNLOAD_DIR = tmp_path / "empty"


def reference_load(*args):
    out = StringIO()
    call_command("reference", "load", *args, stdout=out)
    return out.getvalue()


def test_without_a_data_folder_it_loads_the_built_in_sources_and_says_what_it_skipped(db, no_data_folder):
    output = reference_load()

    assert Country.objects.count() == 249
    assert ExchangeRate.objects.filter(currency__code="EUR", year=2022).exists()
    assert "countries: loaded: 249 created" in output
    assert "SDG goals and targets: skipped: sdg-goals-targets.csv not found" in output
    assert "no data folder" in output


def test_with_a_data_folder_it_loads_the_files_too(db, no_data_folder):
    output = reference_load("--data-dir", str(FIXTURE_DIR))

    assert SdgGoal.objects.count() == 17
    assert CountryGroupMembership.objects.filter(group__code="ITU-ASP").exists()
    assert "skipped" not in output.replace("skipped (see", "")


def test_the_data_folder_can_come_from_settings(db, settings):
    settings.COALITION_DATA_DIR = str(FIXTURE_DIR)

    assert "WSIS action lines: loaded: 8 created" in reference_load()


def test_a_failed_file_is_reported_and_strict_mode_exits_non_zero(db, no_data_folder, tmp_path):
    (tmp_path / "itu-regions.csv").write_text("iso3,itu_region_code,itu_member_state,note\nQQQ,AFR,yes,\n")

    output = reference_load("--data-dir", str(tmp_path))
    with pytest.raises(CommandError, match="skipped or failed"):
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
