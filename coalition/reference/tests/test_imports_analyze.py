"""A reference import ends with ANALYZE of the reference tables: the planner otherwise believes a
freshly loaded membership table empty and picks plans that take minutes over a large registry
(a group's count at a million pledges ran for over six minutes with one plan, 35 s with the other)."""

import pytest
from django.utils import timezone

from coalition.common.tests.planner import statistics_forget, tables_analyzed_since
from coalition.reference.testing import load_reference_fixture


@pytest.mark.django_db(transaction=True)
def test_reference_tables_have_fresh_statistics_after_an_import():
    statistics_forget()
    started = timezone.now()

    load_reference_fixture()

    assert {"reference_country", "reference_countrygroup", "reference_countrygroupmembership"} <= tables_analyzed_since(started)
