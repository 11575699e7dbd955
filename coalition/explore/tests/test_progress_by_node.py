"""Every framework node's roll-up at once equals the node's own roll-up, in the framework's order.
The registry and its hand-computed table are in `test_progress_rollup`; here pledge G names both
FA1 and FA1.1 (it counts once under FA1), FA1.1.1 below FA1.1 has no pledge, and the AP-IS
initiative (named before Partner2Connect) has one node and no pledge."""

import datetime
from decimal import Decimal

import pytest

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.progress import WEIGHTINGS, progress_by_node, progress_rollup
from coalition.explore.tests.test_progress_rollup import at, registry, report, usd  # noqa: F401 (fixture)
from coalition.reference.models import FrameworkNode
from coalition.tests.builders import publish


@pytest.fixture
def framework(registry, other_initiative, initiative, pledge_data, pledger_a, reviewer):  # noqa: F811
    action = FrameworkNode.objects.create(initiative=initiative, parent=registry["FA1.1"], code="FA1.1.1",
                                          level="action", name_en="Backbone")
    with at(2024, 3, 1, 11):
        g = publish(pledger_a, reviewer, {**pledge_data, "title": "G", **usd("300000"),
                                          "framework_nodes": [registry["FA1"], registry["FA1.1"]]})
    report(g, pledger_a, reviewer, period_end=datetime.date(2024, 10, 31), share="40", actuals=["100"],
           submitted=(2024, 11, 5, 11), accepted=(2024, 11, 20, 11))
    return {**registry, "G": g, "FA1.1.1": action, "P1": other_initiative.nodes.get(code="P1"),
            "ap-is": other_initiative}


def test_nodes_come_in_the_frameworks_order_each_with_its_depth_and_parent(framework):
    nodes = [node for node, _rollup in progress_by_node(as_of_now())]

    assert [(node.initiative.slug, node.code, node.depth) for node in nodes] == [
        ("ap-is", "P1", 0), ("p2c", "FA1", 0), ("p2c", "FA1.1", 1), ("p2c", "FA1.1.1", 2), ("p2c", "FA2", 0)]
    assert [node.parent_node and node.parent_node.code for node in nodes] == [None, None, "FA1", "FA1.1", None]


def test_every_node_rolls_up_exactly_as_its_own_roll_up(framework):
    """One test over both weightings and three days (the registry is built once)."""
    days = [as_of_now(), as_of_date(datetime.date(2024, 11, 19)), as_of_date(datetime.date(2024, 2, 1))]
    for as_of in days:
        for weighting in WEIGHTINGS:
            found = progress_by_node(as_of, weighting=weighting)

            assert found == [(node, progress_rollup(as_of, weighting=weighting, node=node)) for node, _r in found]


def test_a_pledge_naming_a_node_and_one_below_it_counts_once_for_the_upper_node(framework):
    rollups = {node.code: rollup for node, rollup in progress_by_node(as_of_now(), weighting="equal")}

    assert (rollups["FA1"].pledges, rollups["FA1"].without_report) == (5, 1)  # A, B, C, F and G once
    assert rollups["FA1.1"].pledges == 3  # A, C, G
    assert rollups["FA1"].share_delivered == Decimal("0.5667")  # (.5 + .8 + .4) / 3: C states no share
    assert (rollups["FA1.1.1"].pledges, rollups["FA1.1.1"].share_delivered, rollups["P1"].pledges) == (0, None, 0)


def test_an_initiative_limits_the_nodes_to_its_own(framework):
    found = progress_by_node(as_of_now(), initiative=framework["ap-is"])

    assert [(node.code, rollup.pledges) for node, rollup in found] == [("P1", 0)]


def test_every_node_is_rolled_up_in_two_queries_whatever_the_registry_holds(framework, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        progress_by_node(as_of_now())


def test_without_a_framework_there_is_nothing_to_roll_up(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert progress_by_node(as_of_now()) == []


def test_an_unknown_weighting_is_refused(db):
    with pytest.raises(ValueError, match="weighting"):
        progress_by_node(as_of_now(), weighting="population")
