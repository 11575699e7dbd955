"""Progress as of a date reads the pledge and its targets as they stood then, and the report that
was current then. The registry and its hand-computed table are in `test_progress_rollup`."""

import datetime
from decimal import Decimal

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.progress import progress_rollup
from coalition.explore.tallies import Scope
from coalition.explore.tests.test_progress_rollup import at, registry, report  # noqa: F401 (fixture)
from coalition.pledges.content import revision_data_load
from coalition.pledges.services import revision_publish, revision_start, revision_submit, revision_update
from coalition.reporting.models import ReportStatus
from coalition.reporting.workflow import REPORT_EDITABLE_STATES, REPORT_WORKFLOW


def test_a_target_raised_later_leaves_the_earlier_attainment_as_it_was(registry, countries, pledger_a, reviewer):
    with at(2025, 3, 1, 10):  # A's 500 schools become 1,000, and a target without an actual yet is added
        revision = revision_start(actor=pledger_a, pledge=registry["A"], reason="A second phase was funded.")
        data = revision_data_load(revision.data)
        data["targets"] = [{**data["targets"][0], "target_value": Decimal("1000")},
                           {"description": "Teachers trained", "unit": "people", "target_value": Decimal("200"),
                            "baseline_value": None, "target_date": None}]
        revision_update(actor=pledger_a, revision=revision, data=data)
        revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_a, revision=revision))
    kenya = Scope(country=countries["KEN"])  # A, and F without an accepted report

    now = progress_rollup(as_of_now(), kenya)
    before = progress_rollup(as_of_date(datetime.date(2025, 2, 28)), kenya)

    assert (now.attainment, now.attainment_pledges, now.share_delivered) == (Decimal("0.2500"), 1, Decimal("0.5000"))
    assert (before.attainment, before.attainment_pledges, before.share_delivered) == (
        Decimal("0.5000"), 1, Decimal("0.5000"))


def test_a_report_on_an_earlier_period_accepted_later_does_not_replace_the_current_one(registry, countries,
                                                                                      pledger_b, reviewer):
    report(registry["B"], pledger_b, reviewer, period_end=datetime.date(2023, 12, 31), share="5", actuals=["10", "1"],
           submitted=(2025, 1, 10, 10), accepted=(2025, 1, 15, 10))

    vanuatu = progress_rollup(as_of_now(), Scope(country=countries["VUT"]))

    assert (vanuatu.share_delivered, vanuatu.attainment) == (Decimal("0.8000"), Decimal("0.7500"))


def test_on_each_date_the_report_accepted_by_then_gives_the_figures(registry, countries):
    kenya = Scope(country=countries["KEN"])

    figures = {day: progress_rollup(as_of_date(day), kenya, weighting="equal")
               for day in (datetime.date(2024, 7, 31), datetime.date(2024, 8, 1), datetime.date(2024, 11, 20))}

    assert {day: (r.pledges, r.without_report, r.share_delivered, r.attainment) for day, r in figures.items()} == {
        datetime.date(2024, 7, 31): (2, 2, None, None),
        datetime.date(2024, 8, 1): (2, 1, Decimal("0.2000"), Decimal("0.2000")),  # A's 2023 report
        datetime.date(2024, 11, 20): (2, 1, Decimal("0.5000"), Decimal("0.5000")),  # A's 2024 report
    }


def test_an_accepted_report_never_changes_so_its_actuals_are_read_as_they_are_now():
    """`progress` reads an accepted report's actuals from the live table: true only while no
    transition leaves the accepted state and an accepted report cannot be edited. A change to
    the workflow that breaks this must also read the actuals' versions there."""
    leaving = [t.action for t in REPORT_WORKFLOW.transitions.values() if ReportStatus.ACCEPTED in t.sources]

    assert leaving == []
    assert ReportStatus.ACCEPTED not in REPORT_EDITABLE_STATES
    assert all(ReportStatus.ACCEPTED not in states for states in REPORT_WORKFLOW.editable.values())
