"""A later edition that revises a value keeps the previous value as a revision."""

import pytest

from coalition.common.actors import SYSTEM
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import Observation, ObservationRevision
from coalition.indicators.readers import reader_for
from coalition.indicators.tests.import_fixtures import DATA, sources  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def run_itu(sources, name, edition):
    source = sources["itu-datahub"]
    return indicator_import(actor=SYSTEM, reader=reader_for("itu-datahub", DATA / name, source=source), source=source, edition_label=edition)


def test_a_revised_value_keeps_its_previous_revision(sources, countries):
    first = run_itu(sources, "itu_internet_2024.csv", "2024-12")
    assert first.status == "succeeded"
    second = run_itu(sources, "itu_internet_2025.csv", "2025-12")
    assert (second.created, second.updated, second.unchanged) == (1, 1, 2)

    kenya_2023 = Observation.objects.get(country=countries["KEN"], year=2023)
    assert (kenya_2023.value, kenya_2023.is_estimate, kenya_2023.origin) == (42.1, False, "Household survey")
    assert (kenya_2023.edition.label, kenya_2023.import_run_id) == ("2025-12", second.pk)

    revision = ObservationRevision.objects.get()
    assert (revision.country_id, revision.year, revision.value, revision.is_estimate) == (countries["KEN"].pk, 2023, 40.8, True)
    assert (revision.edition.label, revision.replaced_by.label, revision.import_run_id) == ("2024-12", "2025-12", second.pk)
    assert revision.replaced_at is not None


def test_unchanged_values_keep_the_edition_that_gave_them(sources, countries):
    run_itu(sources, "itu_internet_2024.csv", "2024-12")
    run_itu(sources, "itu_internet_2025.csv", "2025-12")
    kenya_2022 = Observation.objects.get(country=countries["KEN"], year=2022)
    assert kenya_2022.edition.label == "2024-12"


def test_importing_the_later_edition_again_writes_no_second_revision(sources):
    run_itu(sources, "itu_internet_2024.csv", "2024-12")
    run_itu(sources, "itu_internet_2025.csv", "2025-12")
    again = run_itu(sources, "itu_internet_2025.csv", "2025-12")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert ObservationRevision.objects.count() == 1
