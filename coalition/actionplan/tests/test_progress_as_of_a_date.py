"""Progress as of a date reads the versions current at the end of that day: a progress changed
later shows its old value, an action added later is absent, a deliverable removed later still
counts before its removal."""

import datetime
from decimal import Decimal

import pytest

from coalition.actionplan.selectors.progress import plan_progress
from coalition.actionplan.tests import plan_builders as build
from coalition.common.asof import as_of_date, as_of_now
from coalition.common.versions import delete_with_version


def day(text: str):
    return as_of_date(datetime.date.fromisoformat(text))


@pytest.fixture
def history(db):
    """A plan loaded on 10 January 2024; progress raised on 1 June; an action added on 1 May."""
    plan = build.plan(build.make_apis())
    pillar = build.pillar(plan, "P1")
    first = build.action(pillar, "1.1")
    d1 = build.deliverable(first, "D1", progress=20)
    build.update(d1, when="2024-06-01", progress=80)
    later = build.action(pillar, "1.2", when="2024-05-01")
    build.deliverable(later, "D1", progress=0, when="2024-05-01")
    return plan, pillar, first, later, d1


def test_before_a_progress_change_the_old_value_is_read(history):
    plan, _pillar, first, _later, _d1 = history

    before = plan_progress(plan=plan, as_of=day("2024-03-01"))
    after = plan_progress(plan=plan, as_of=day("2024-07-01"))

    assert before.by_action[first.pk].figure == Decimal("20.0")
    assert after.by_action[first.pk].figure == Decimal("80.0")
    assert before.as_of == datetime.date(2024, 3, 1)


def test_the_day_of_a_change_reads_the_value_at_its_end(history):
    plan, _pillar, first, _later, _d1 = history

    assert plan_progress(plan=plan, as_of=day("2024-05-31")).by_action[first.pk].figure == Decimal("20.0")
    assert plan_progress(plan=plan, as_of=day("2024-06-01")).by_action[first.pk].figure == Decimal("80.0")


def test_before_an_action_existed_it_is_absent(history):
    plan, pillar, first, later, _d1 = history

    before = plan_progress(plan=plan, as_of=day("2024-03-01"))
    after = plan_progress(plan=plan, as_of=day("2024-07-01"))

    assert later.pk not in before.by_action
    assert before.by_pillar[pillar.pk].actions == 1
    assert before.figure == Decimal("20.0")
    # after: (80 + 0) / 2 = 40
    assert after.by_pillar[pillar.pk].actions == 2
    assert after.figure == Decimal("40.0")


def test_before_the_plan_was_loaded_there_is_nothing(history):
    plan, *_ = history

    progress = plan_progress(plan=plan, as_of=day("2023-12-31"))

    assert (progress.figure, progress.pillars, progress.actions) == (None, 0, 0)


def test_a_removed_deliverable_counts_until_its_removal(history):
    plan, _pillar, first, _later, d1 = history
    build.deliverable(first, "D2", progress=100, when="2024-02-01")
    delete_with_version(d1, actor=None, at=build.at("2024-08-01"))

    # on 1 July: (80 + 100) / 2 = 90; on 1 September D1 is gone: 100
    assert plan_progress(plan=plan, as_of=day("2024-07-01")).by_action[first.pk].figure == Decimal("90.0")
    assert plan_progress(plan=plan, as_of=day("2024-09-01")).by_action[first.pk].figure == Decimal("100.0")
    assert plan_progress(plan=plan, as_of=as_of_now()).by_action[first.pk].deliverables == 1
