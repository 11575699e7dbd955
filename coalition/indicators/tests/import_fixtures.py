"""Fixtures of the import tests, imported by the test modules that use them.

The app's conftest.py (shared) provides `catalogue` ({indicator code: Indicator}); these add the
data sources and the counts that show a refused import wrote nothing.
"""

from pathlib import Path

import pytest

from coalition.indicators.models import DataSource, Observation, StagedObservation

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def sources(catalogue, countries):
    """The shipped catalogue over the five test countries, as {source code: DataSource}."""
    return {source.code: source for source in DataSource.objects.all()}


@pytest.fixture
def table_sizes():
    """(observations, staging rows) now."""
    return lambda: (Observation.objects.count(), StagedObservation.objects.count())
