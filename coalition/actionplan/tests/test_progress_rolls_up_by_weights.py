"""Progress rolls up from deliverables to action, pillar and plan by the stated weights; every
expected figure below is worked out by hand in the comment beside it."""

from decimal import Decimal

import pytest

from coalition.actionplan.selectors.progress import plan_progress
from coalition.actionplan.tests import plan_builders as build
from coalition.common.asof import as_of_now


@pytest.fixture
def apis(db):
    return build.make_apis()


@pytest.fixture
def weighted(apis):
    """Two pillars (weights 2 and 1), four actions, one without deliverables, one dropped deliverable."""
    plan = build.plan(apis)
    p1, p2 = build.pillar(plan, "P1", weight="2"), build.pillar(plan, "P2", weight="1")
    a11, a12, a13 = build.action(p1, "1.1", weight="3"), build.action(p1, "1.2"), build.action(p1, "1.3")
    build.deliverable(a11, "D1", progress=100, weight="1", status="delivered")
    build.deliverable(a11, "D2", progress=40, weight="3")
    build.deliverable(a12, "D1", progress=50)
    a21 = build.action(p2, "2.1")
    build.deliverable(a21, "D1", progress=20, weight="2")
    build.deliverable(a21, "D2", progress=100, status="dropped")
    return plan, {"P1": p1, "P2": p2}, {"1.1": a11, "1.2": a12, "1.3": a13, "2.1": a21}


def test_each_level_is_the_weighted_mean_of_the_one_below(weighted):
    plan, pillars, actions = weighted

    progress = plan_progress(plan=plan, as_of=as_of_now())

    # 1.1: (1 × 100 + 3 × 40) / (1 + 3) = 220 / 4 = 55
    assert progress.by_action[actions["1.1"].pk].figure == Decimal("55.0")
    # 1.2: 50 / 1 = 50
    assert progress.by_action[actions["1.2"].pk].figure == Decimal("50.0")
    # 2.1: the dropped deliverable is left out: 2 × 20 / 2 = 20
    assert progress.by_action[actions["2.1"].pk].figure == Decimal("20.0")
    assert progress.by_action[actions["2.1"].pk].dropped == 1
    # P1: 1.3 has no deliverables and is left out: (3 × 55 + 1 × 50) / (3 + 1) = 215 / 4 = 53.75
    assert progress.by_pillar[pillars["P1"].pk].figure == Decimal("53.8")
    # P2: 20
    assert progress.by_pillar[pillars["P2"].pk].figure == Decimal("20.0")
    # the plan: (2 × 53.75 + 1 × 20) / (2 + 1) = 127.5 / 3 = 42.5 (from P1's unrounded 53.75)
    assert progress.figure == Decimal("42.5")


def test_actions_without_deliverables_are_left_out_and_counted(weighted):
    plan, pillars, actions = weighted

    progress = plan_progress(plan=plan, as_of=as_of_now())

    p1 = progress.by_pillar[pillars["P1"].pk]
    assert (p1.actions, p1.actions_covered, p1.actions_without_deliverables, p1.actions_not_counted) == (3, 2, 1, 1)
    assert progress.by_action[actions["1.3"].pk].figure is None
    assert progress.by_action[actions["1.3"].pk].without_deliverables
    assert (progress.actions, progress.actions_covered, progress.actions_without_deliverables) == (4, 3, 1)
    assert (progress.pillars, progress.pillars_covered) == (2, 2)


def test_a_pillar_with_no_measurable_action_is_left_out_of_the_plan_and_counted(weighted):
    plan, pillars, _actions = weighted
    p3 = build.pillar(plan, "P3", weight="5")
    build.action(p3, "3.1")

    progress = plan_progress(plan=plan, as_of=as_of_now())

    assert progress.by_pillar[p3.pk].figure is None
    # P3 (weight 5) has no figure, so the plan is still (2 × 53.75 + 20) / 3 = 42.5
    assert progress.figure == Decimal("42.5")
    assert (progress.pillars, progress.pillars_covered, progress.pillars_not_counted) == (3, 2, 1)
    assert progress.actions_without_deliverables == 2


def test_an_action_whose_only_deliverables_are_dropped_has_none_left(apis):
    plan = build.plan(apis)
    action = build.action(build.pillar(plan, "P1"), "1.1")
    build.deliverable(action, "D1", progress=70, status="dropped")

    progress = plan_progress(plan=plan, as_of=as_of_now())

    assert progress.by_action[action.pk].figure is None
    assert progress.by_action[action.pk].without_deliverables
    assert progress.figure is None


def test_zero_total_weights_give_no_figure_never_a_division_error(apis):
    plan = build.plan(apis)
    p1, p2 = build.pillar(plan, "P1", weight="0"), build.pillar(plan, "P2", weight="0")
    weightless = build.action(p1, "1.1")
    build.deliverable(weightless, "D1", progress=60, weight="0")
    build.deliverable(weightless, "D2", progress=10, weight="0")
    weighed = build.action(p2, "2.1", weight="0")
    build.deliverable(weighed, "D1", progress=30)

    progress = plan_progress(plan=plan, as_of=as_of_now())

    assert progress.by_action[weightless.pk].figure is None
    assert progress.by_action[weightless.pk].unweighted
    assert progress.by_pillar[p1.pk].actions_unweighted == 1
    assert progress.by_pillar[p1.pk].figure is None
    # 2.1 has a figure (30) but weighs zero in P2: P2 has no figure
    assert progress.by_action[weighed.pk].figure == Decimal("30.0")
    assert progress.by_pillar[p2.pk].figure is None
    assert progress.figure is None


def test_a_zero_weight_pillar_counts_for_nothing_beside_a_weighted_one(apis):
    plan = build.plan(apis)
    p1, p2 = build.pillar(plan, "P1", weight="0"), build.pillar(plan, "P2", weight="1")
    build.deliverable(build.action(p1, "1.1"), "D1", progress=100)
    build.deliverable(build.action(p2, "2.1"), "D1", progress=10)

    # (0 × 100 + 1 × 10) / (0 + 1) = 10
    assert plan_progress(plan=plan, as_of=as_of_now()).figure == Decimal("10.0")


def test_figures_are_rounded_half_up_only_at_the_end(apis):
    plan = build.plan(apis)
    pillar = build.pillar(plan, "P1")
    a = build.action(pillar, "1.1")
    build.deliverable(a, "D1", progress=0, weight="19")
    build.deliverable(a, "D2", progress=1, weight="1")
    b = build.action(pillar, "1.2")
    build.deliverable(b, "D1", progress=0)

    progress = plan_progress(plan=plan, as_of=as_of_now())

    # a: 1 / 20 = 0.05, shown 0.1 (half up)
    assert progress.by_action[a.pk].figure == Decimal("0.1")
    # the pillar: (0.05 + 0) / 2 = 0.025, shown 0.0 (from the rounded 0.1 it would be 0.05, shown 0.1)
    assert progress.by_pillar[pillar.pk].figure == Decimal("0.0")


def test_fractional_weights_are_exact(apis):
    plan = build.plan(apis)
    action = build.action(build.pillar(plan, "P1"), "1.1")
    build.deliverable(action, "D1", progress=10, weight="0.5")
    build.deliverable(action, "D2", progress=11, weight="1.25")

    # (0.5 × 10 + 1.25 × 11) / 1.75 = 18.75 / 1.75 = 10.714…, shown 10.7
    assert plan_progress(plan=plan, as_of=as_of_now()).by_action[action.pk].figure == Decimal("10.7")
