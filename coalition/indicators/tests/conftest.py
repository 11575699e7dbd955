"""Fixtures of the indicators tests: the catalogue loaded through the real loader."""

from pathlib import Path

import pytest

from coalition.indicators.catalogue import CatalogueLoader
from coalition.indicators.models import DataSource, Observation, StagedObservation
from coalition.reference.importing import run_import

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def catalogue(countries):
    """The shipped catalogue (sources, indicators, series, targets) over the five test countries."""
    run = run_import(loader=CatalogueLoader())
    assert run.status == "succeeded", run.errors
    return {source.code: source for source in DataSource.objects.all()}


@pytest.fixture
def table_sizes():
    """(observations, staging rows) now, to show a refused import wrote nothing."""
    return lambda: (Observation.objects.count(), StagedObservation.objects.count())
