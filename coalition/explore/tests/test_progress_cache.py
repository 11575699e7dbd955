"""The cached roll-ups answer as the selectors do, count once for pages read twice, and show a
write at once. The registry and its hand-computed table are in `test_progress_rollup`."""

import datetime
from decimal import Decimal

from django.db.models import Q

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.progress import (
    progress_by_node,
    progress_by_node_cached,
    progress_rollup,
    progress_rollup_cached,
)
from coalition.explore.tallies import Scope
from coalition.explore.tests.test_progress_rollup import at, registry  # noqa: F401 (fixture)
from coalition.reporting.models import ProgressReport
from coalition.reporting.services import report_accept


def test_the_cached_roll_ups_equal_the_selectors_answers(registry, countries):  # noqa: F811
    kenya, past = Scope(country=countries["KEN"]), as_of_date(datetime.date(2024, 11, 19))
    for as_of in (as_of_now(), past):
        for weighting in ("usd", "equal"):
            for part in ({}, {"scope": kenya}, {"node": registry["FA1"]}, {"scope": kenya, "node": registry["FA1"]}):
                progress_rollup_cached(as_of, weighting=weighting, **part)  # fills the cache

                assert progress_rollup_cached(as_of, weighting=weighting, **part) == progress_rollup(
                    as_of, weighting=weighting, **part)
            progress_by_node_cached(as_of, weighting=weighting)

            assert progress_by_node_cached(as_of, weighting=weighting) == progress_by_node(as_of, weighting=weighting)


def test_a_page_read_twice_counts_once(registry, countries, django_assert_max_num_queries):  # noqa: F811
    kenya = Scope(country=countries["KEN"])
    progress_rollup_cached(as_of_now(), kenya)
    progress_by_node_cached(as_of_now())

    with django_assert_max_num_queries(1):  # the registry's stamp
        progress_rollup_cached(as_of_now(), kenya)
    with django_assert_max_num_queries(2):  # the nodes and the stamp
        progress_by_node_cached(as_of_now())


def test_a_new_accepted_report_shows_at_once(registry, reviewer):  # noqa: F811
    before = progress_rollup_cached(as_of_now(), weighting="equal")
    by_node_before = dict(progress_by_node_cached(as_of_now(), weighting="equal"))

    with at(2025, 1, 10, 10):
        report_accept(actor=reviewer, report=ProgressReport.objects.get(pledge=registry["F"]),
                      verification_level="self_reported")
    after = progress_rollup_cached(as_of_now(), weighting="equal")
    by_node_after = dict(progress_by_node_cached(as_of_now(), weighting="equal"))

    assert (before.without_report, after.without_report) == (1, 0)
    assert (before.share_delivered, after.share_delivered) == (Decimal("0.4000"), Decimal("0.5000"))  # F's 90 %
    assert (by_node_before[registry["FA1"]].without_report, by_node_after[registry["FA1"]].without_report) == (1, 0)


def test_the_answer_names_the_moment_and_the_part_asked_for_not_the_cached_ones(registry, countries):  # noqa: F811
    first, kenya = as_of_now(), Scope(country=countries["KEN"])
    progress_rollup_cached(first, kenya, node=registry["FA1"])
    later = as_of_now()

    found = progress_rollup_cached(later, kenya, node=registry["FA1"])

    assert (found.as_of, found.scope, found.node) == (later, kenya, registry["FA1"])
    assert [rollup.as_of for _node, rollup in progress_by_node_cached(later)] == [later] * 3


def test_a_part_given_as_a_bare_condition_is_counted_each_time(registry):  # noqa: F811
    a_and_b = Scope(condition=Q(id__in=[registry["A"].pk, registry["B"].pk]))

    found = progress_rollup_cached(as_of_now(), a_and_b, weighting="equal")

    assert (found.pledges, found.share_delivered) == (2, Decimal("0.6500"))
