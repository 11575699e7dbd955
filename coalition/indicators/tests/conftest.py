"""Fixtures of the indicators app: the shipped catalogue, and a helper to store values."""

import pytest

from coalition.indicators.catalogue import CatalogueLoader
from coalition.indicators.models import DataSource, Edition, Indicator, Observation
from coalition.reference.importing import run_import


@pytest.fixture
def catalogue(db):
    run = run_import(loader=CatalogueLoader())
    assert run.status == "succeeded", run.errors
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


@pytest.fixture
def observe(catalogue):
    """observe("internet-use", country, {2019: 20, 2023: 40}, source="itu-datahub")"""

    def store(indicator_code, country, values, *, source="itu-datahub", edition="test"):
        data_source = DataSource.objects.get(code=source)
        edition, _ = Edition.objects.get_or_create(source=data_source, label=edition)
        Observation.objects.bulk_create(
            Observation(indicator=catalogue[indicator_code], country=country, year=year, value=value,
                        source=data_source, edition=edition)
            for year, value in values.items()
        )

    return store
