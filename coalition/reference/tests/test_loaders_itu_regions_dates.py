"""ITU regions hold for every year, and re-loading a database dated the old way moves their start."""

import datetime
from collections import Counter

from coalition.reference.importing import run_import
from coalition.reference.loaders.itu_regions import OLD_DEFAULT_VALID_FROM, ItuRegionLoader
from coalition.reference.models import CountryGroup, CountryGroupMembership, ImportRun
from coalition.reference.testing import FIXTURE_DIR
from coalition.reference.tests.conftest import CsvFixture


def itu_memberships():
    return CountryGroupMembership.objects.filter(group__kind=CountryGroup.Kind.ITU_REGION)


def itu_periods() -> Counter:
    return Counter(itu_memberships().values_list("valid_from", "valid_to"))


def reload(**options) -> ImportRun:
    return run_import(loader=ItuRegionLoader(FIXTURE_DIR / "itu-regions.csv", **options))


def test_itu_region_memberships_have_an_open_start(reference):
    assert itu_periods() == {(None, None): 20}


def test_re_loading_a_database_dated_from_the_idi_2024_opens_the_start(reference):
    itu_memberships().update(valid_from=OLD_DEFAULT_VALID_FROM)

    run = reload()

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert (run.created, run.updated, run.deleted) == (0, 20, 0)
    assert itu_periods() == {(None, None): 20}


def test_a_later_reclassification_closes_the_open_membership_on_its_date(reference, tmp_path):
    fixture = CsvFixture("itu-regions.csv")
    iso3, region = fixture.column("iso3"), fixture.column("itu_region_code")
    for row in fixture.rows[1:]:
        if row[iso3] == "KEN":
            row[region] = "ARB"
    path, _lines = fixture.write(tmp_path)
    moved = datetime.date(2026, 1, 1)

    run = run_import(loader=ItuRegionLoader(path, valid_from=moved))

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    kenya = itu_memberships().filter(country__iso3="KEN")
    assert [(m.group.code, m.valid_from, m.valid_to) for m in kenya] == [
        ("ITU-AFR", None, moved), ("ITU-ARB", moved, None)
    ]


def test_an_undated_file_is_refused_once_a_dated_classification_is_loaded(reference):
    kenya = itu_memberships().get(country__iso3="KEN")
    kenya.valid_to = datetime.date(2026, 1, 1)
    kenya.save()

    run = reload()

    assert run.status == ImportRun.Status.FAILED
    assert run.errors[0]["column"] == "valid_from" and "--valid-from" in run.errors[0]["message"]
    assert itu_memberships().get(country__iso3="KEN").valid_to == datetime.date(2026, 1, 1)
