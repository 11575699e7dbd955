"""'A pledge targets a group' is one rule: it names the group, or a country that belonged to it on
the date. The tallies (figures, place pages), the SQL condition on the versions (scopes), the
condition on the live tables (the explorer's filter) and the explorer's facet counts must agree
on every group, today and on an earlier date."""

import datetime

import pytest
from django.http import QueryDict

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.explorer import explorer_search
from coalition.explore.registry import HistoricalRegistry
from coalition.explore.tallies import tallies_count
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)
from coalition.reference.groups import group_filter_param
from coalition.reference.models import CountryGroup


def _selected(as_of, code) -> set[int]:
    """The pledges published at `as_of` that target group `code`, by the SQL condition."""
    registry = HistoricalRegistry(as_of)
    return set(registry.published().filter(registry.targeting_groups([code], as_of.date)).values_list("id", flat=True))


@pytest.mark.parametrize("day", [None, datetime.date(2024, 12, 31)])
def test_the_tallies_and_the_sql_condition_agree_on_every_group(registry, day):
    as_of = as_of_now() if day is None else as_of_date(day)
    tallies = tallies_count(as_of)
    targeted = set()
    for group in CountryGroup.objects.all():
        selected = _selected(as_of, group.code)
        assert tallies.get("group", group.code).pledges == len(selected), group.code
        if selected:
            targeted.add(group.code)
    assert {"ITU-ASP", "LDC", "M49-034"} <= targeted


def test_the_explorer_filter_and_its_counts_agree_with_the_versions(registry):
    everything = explorer_search(params=QueryDict(""))
    counts = {value.value: value.count for facet in everything.facets if facet.name in ("region", "group")
              for value in [*facet.values, *facet.hidden]}
    for group in CountryGroup.objects.all():
        expected = _selected(as_of_now(), group.code)
        narrowed = explorer_search(params=QueryDict(f"{group_filter_param(group)}={group.code}"))

        assert narrowed.total == len(expected), group.code
        assert counts.get(group.code, 0) == len(expected), group.code
    assert {"ITU-ASP", "M49-034", "LDC"} <= set(counts)
