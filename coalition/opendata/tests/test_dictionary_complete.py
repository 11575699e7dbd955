"""The column dictionary describes every column it publishes, its keys point at columns that
exist, every table belongs to one dataset, and every format a dataset offers describes itself."""

import pytest

from coalition.common.asof import as_of_now
from coalition.explore.registry import LiveRegistry
from coalition.opendata.datasets import DATASETS, FORMATS, SELECTION
from coalition.opendata.tables import TABLES, Scope


@pytest.mark.parametrize("table", TABLES.values(), ids=list(TABLES))
def test_every_column_has_a_title_a_description_and_an_example_of_its_type(table):
    names = table.column_names
    assert len(names) == len(set(names))
    for column in table.columns:
        assert str(column.title) and str(column.description), column.name
        if column.enum is not None:
            assert column.example in column.enum_codes(), column.name
    assert set(table.primary_key) <= set(names)
    for key in table.foreign_keys:
        assert set(key.fields) <= set(names)
        target = TABLES[key.reference] if key.reference else table
        assert set(key.reference_fields) <= set(target.column_names)


def test_every_table_belongs_to_exactly_one_dataset():
    listed = [name for dataset in DATASETS.values() for name in dataset.table_names]
    assert sorted(listed) == sorted(TABLES)
    assert set(SELECTION.table_names) <= set(DATASETS["pledges"].table_names)


def test_every_registered_format_describes_itself():
    for fmt in FORMATS.values():
        assert fmt.title and str(fmt.description) and "/" in fmt.media_type and fmt.extension


@pytest.mark.django_db
def test_every_table_reads_rows_of_its_columns(registry):
    as_of = as_of_now()
    scope = Scope(pledges=LiveRegistry(as_of).pledges(), language="fr", today=as_of.date)
    for table in TABLES.values():
        rows = list(table.rows(scope))
        assert rows, table.name
        assert {len(row) for row in rows} == {len(table.columns)}, table.name
