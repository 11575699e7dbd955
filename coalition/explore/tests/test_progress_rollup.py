"""Progress rolled up over the whole registry, against values computed by hand.

The registry below is built through the services at fixed moments (time-machine). Six pledges of
the P2C initiative (framework: FA1 Access → FA1.1 Infrastructure; FA2 Skills), published on
1 March 2024, their reports accepted on 20 November 2024:

| pledge | lead (partner) | country | USD value | node | share | targets: actual / target → attainment |
|---|---|---|---|---|---|---|
| A | entity A | KEN | 600,000 | FA1.1 | 50 % | 250 / 500 → 0.5 |
| B | entity B | VUT | 200,000 | FA1 | 80 % | 1,500 / 1,000 → 1 (capped), 5 / 10 → 0.5: 0.75 |
| C | entity A (B) | NPL | 400,000 | FA1.1 | none | 40 / 100 → 0.4 |
| D | entity B | FRA | no value | FA2 | 20 % | 50 / 50 → 1 |
| E | entity A | BTN | 100 VND = 0.00 | FA2 | 10 % | 3 / 10 → 0.3 |
| F | entity A | KEN | 100,000 | FA1 | its report is submitted, not accepted |

A and E were announced at the campaign WTDC-22. A also has a report on 2023, accepted on
1 August 2024: share 20 %, 100 schools (0.2), the figures before 20 November 2024.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.progress import WEIGHTINGS, Rollup, progress_rollup, weighting_choices
from coalition.explore.tallies import Scope
from coalition.pledges.models import Campaign
from coalition.reference.models import Currency, ExchangeRate, FrameworkNode
from coalition.reporting.models import ProgressReport
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests.builders import publish

UTC = datetime.UTC


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=UTC), tick=False)


def report(pledge, pledger, reviewer, *, period_end, share, actuals, submitted, accepted=None):
    """A report on `pledge` with one actual per target (in the targets' order), created and
    submitted at `submitted`, accepted at `accepted` (not accepted when None)."""
    with at(*submitted):
        made = report_create(actor=pledger, pledge=pledge, data={
            "period_end": period_end, "implementation_status": "on_track", "share_delivered": share,
            "narrative": "Works under way.", "challenges": "", "evidence": [],
            "targets": [{"target": target, "actual_value": actual} for target, actual in zip(pledge.targets.all(), actuals)],
        })
        report_submit(actor=pledger, report=made)
    if accepted is not None:
        with at(*accepted):
            report_accept(actor=reviewer, report=made, verification_level="self_reported")
    return made


def share_unstated(made: ProgressReport) -> None:
    """Take the share out of a report and its versions: the services ask for one before
    submission, but records restored or imported from an earlier platform may have none."""
    ProgressReport.objects.filter(pk=made.pk).update(share_delivered=None)
    ProgressReport.history.filter(id=made.pk).update(share_delivered=None)


def usd(amount: str) -> dict:
    return {"value_amount": Decimal(amount), "value_currency": "USD", "value_year": 2022}


@pytest.fixture
def registry(pledge_data, initiative, countries, country_groups, entity_a, entity_b, pledger_a, pledger_b, reviewer):
    access, infrastructure = initiative.nodes.get(code="FA1"), initiative.nodes.get(code="FA1.1")
    skills = FrameworkNode.objects.create(initiative=initiative, code="FA2", level="focus_area", name_en="Skills")
    wtdc = Campaign.objects.create(initiative=initiative, slug="wtdc-22", name_en="WTDC-22",
                                   start_date=datetime.date(2022, 6, 6))
    dong = Currency.objects.create(code="VND", name_en="Vietnamese dong")
    ExchangeRate.objects.create(currency=dong, year=2022, usd_per_unit=Decimal("0.000043"), source="test")
    two_targets = [{"description": "People trained", "unit": "people", "target_value": "1000"},
                   {"description": "Towers built", "unit": "towers", "target_value": "10"}]

    def target(value: str) -> list[dict]:
        return [{"description": "Things done", "unit": "things", "target_value": value}]

    b_data = {**pledge_data, "lead_entity": entity_b}
    with at(2024, 3, 1, 10):
        a = publish(pledger_a, reviewer, {**pledge_data, "title": "A", **usd("600000"), "campaign": wtdc,
                                          "framework_nodes": [infrastructure]})
        b = publish(pledger_b, reviewer, {**b_data, "title": "B", **usd("200000"), "framework_nodes": [access],
                                          "beneficiary_countries": [countries["VUT"]], "targets": two_targets})
        c = publish(pledger_a, reviewer, {**pledge_data, "title": "C", **usd("400000"), "targets": target("100"),
                                          "beneficiary_countries": [countries["NPL"]],
                                          "partners": [{"entity": entity_b, "role": "co-financier"}]})
        d = publish(pledger_b, reviewer, {**b_data, "title": "D", "value_amount": None, "value_currency": None,
                                          "value_year": None, "framework_nodes": [skills], "targets": target("50"),
                                          "beneficiary_countries": [countries["FRA"]]})
        e = publish(pledger_a, reviewer, {**pledge_data, "title": "E", "value_amount": Decimal("100"),
                                          "value_currency": "VND", "value_year": 2022, "campaign": wtdc,
                                          "framework_nodes": [skills], "targets": target("10"),
                                          "beneficiary_countries": [countries["BTN"]]})
        f = publish(pledger_a, reviewer, {**pledge_data, "title": "F", **usd("100000"), "framework_nodes": [access]})
    report(a, pledger_a, reviewer, period_end=datetime.date(2023, 12, 31), share="20", actuals=["100"],
           submitted=(2024, 7, 1, 10), accepted=(2024, 8, 1, 10))
    later = dict(period_end=datetime.date(2024, 10, 31), submitted=(2024, 11, 5, 10), accepted=(2024, 11, 20, 10))
    report(a, pledger_a, reviewer, share="50", actuals=["250"], **later)
    report(b, pledger_b, reviewer, share="80", actuals=["1500", "5"], **later)
    share_unstated(report(c, pledger_a, reviewer, share="30", actuals=["40"], **later))
    report(d, pledger_b, reviewer, share="20", actuals=["50"], **later)
    report(e, pledger_a, reviewer, share="10", actuals=["3"], **later)
    report(f, pledger_a, reviewer, period_end=datetime.date(2024, 10, 31), share="90", actuals=["400"],
           submitted=(2024, 11, 5, 10))
    assert e.value_usd == Decimal("0.00") and d.value_usd is None
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "FA1": access, "FA1.1": infrastructure, "FA2": skills,
            "wtdc": wtdc}


def test_by_value_the_means_weigh_each_reported_pledge_by_its_us_dollars(registry):
    rollup = progress_rollup(as_of_now())

    assert rollup == Rollup(
        as_of=rollup.as_of, weighting="usd", pledges=6, without_report=1,
        share_delivered=Decimal("0.5750"), share_pledges=2,  # (600k × 0.5 + 200k × 0.8) / 800k
        attainment=Decimal("0.5083"), attainment_pledges=3,  # (600k × 0.5 + 200k × 0.75 + 400k × 0.4) / 1.2m
        weight_usd=Decimal("1200000.00"), unweighted=2, without_share=1, without_attainment=0,
        share_weight_usd=Decimal("800000.00"), attainment_weight_usd=Decimal("1200000.00"),
    )


def test_equally_each_reported_pledge_counts_once_whatever_its_value(registry):
    rollup = progress_rollup(as_of_now(), weighting="equal")

    assert (rollup.pledges, rollup.without_report, rollup.reported) == (6, 1, 5)
    assert (rollup.share_delivered, rollup.share_pledges) == (Decimal("0.4000"), 4)  # (.5 + .8 + .2 + .1) / 4
    assert (rollup.attainment, rollup.attainment_pledges) == (Decimal("0.5900"), 5)  # (.5 + .75 + .4 + 1 + .3) / 5
    assert (rollup.weight_usd, rollup.unweighted, rollup.share_weight_usd) == (Decimal("0"), 0, Decimal("0"))


def test_a_pledge_without_an_accepted_report_is_counted_as_such_and_left_out_of_the_means(registry):
    kenya_fa1 = progress_rollup(as_of_now(), node=registry["FA1"])  # A, B, C and F, whose report is only submitted

    assert (kenya_fa1.pledges, kenya_fa1.without_report) == (4, 1)
    assert kenya_fa1.share_delivered == Decimal("0.5750")  # F's 90 % (submitted, not accepted) never enters
    assert kenya_fa1.attainment == Decimal("0.5083")


def test_a_report_without_a_share_leaves_its_pledge_out_of_the_share_mean_only(registry):
    rollup = progress_rollup(as_of_now(), weighting="equal", node=registry["FA1.1"])  # A, and C without a share

    assert (rollup.share_delivered, rollup.share_pledges, rollup.without_share) == (Decimal("0.5000"), 1, 1)
    assert (rollup.attainment, rollup.attainment_pledges) == (Decimal("0.4500"), 2)  # (0.5 + 0.4) / 2


def test_pledges_with_no_value_or_a_value_of_zero_weigh_nothing_by_value_but_count_equally(registry):
    skills = registry["FA2"]  # D (no value) and E (100 VND, 0.00 USD)

    by_value = progress_rollup(as_of_now(), node=skills)
    equally = progress_rollup(as_of_now(), node=skills, weighting="equal")

    assert (by_value.pledges, by_value.without_report, by_value.unweighted) == (2, 0, 2)
    assert (by_value.share_delivered, by_value.attainment, by_value.share_pledges, by_value.weight_usd) == (
        None, None, 0, Decimal("0.00"))
    assert (equally.share_delivered, equally.attainment, equally.unweighted) == (
        Decimal("0.1500"), Decimal("0.6500"), 0)  # (.2 + .1) / 2 and (1 + .3) / 2


def test_an_over_achieved_target_counts_as_achieved_not_more(registry, countries):
    vanuatu = progress_rollup(as_of_now(), Scope(country=countries["VUT"]), weighting="equal")  # B alone
    access = progress_rollup(as_of_now(), weighting="equal", node=registry["FA1"])

    assert vanuatu.attainment == Decimal("0.7500")  # 1,500 of 1,000 counts as 1, then 5 of 10: (1 + 0.5) / 2
    assert access.attainment == Decimal("0.5500")  # (0.5 + 0.75 + 0.4) / 3


def test_before_the_reports_were_accepted_the_earlier_report_gives_the_figures(registry):
    rollup = progress_rollup(as_of_date(datetime.date(2024, 11, 19)))

    assert (rollup.pledges, rollup.without_report, rollup.unweighted) == (6, 5, 0)
    assert (rollup.share_delivered, rollup.attainment) == (Decimal("0.2000"), Decimal("0.2000"))  # A's 2023 report
    assert rollup.weight_usd == Decimal("600000.00")


def test_before_any_pledge_was_published_there_is_nothing_to_roll_up(registry):
    rollup = progress_rollup(as_of_date(datetime.date(2024, 2, 29)), weighting="equal")

    assert (rollup.pledges, rollup.without_report, rollup.share_delivered, rollup.attainment) == (0, 0, None, None)
    assert rollup.notes == []


def test_the_roll_up_says_what_it_leaves_out_and_how_it_weighs(registry):
    rollup = progress_rollup(as_of_now())

    assert str(rollup.weighting_label) == "Weighted by value in US dollars"
    assert "US dollars" in str(rollup.weighting_explanation)
    assert rollup.notes == [
        "1 of 6 pledges has no accepted report: it is left out of the averages, not counted as nothing delivered.",
        "2 reported pledges have no value in US dollars, so they weigh nothing when pledges are weighted by value.",
        "1 report does not state the share delivered: its pledge is left out of that average.",
    ]
    assert [code for code, _label, _explanation in weighting_choices()] == list(WEIGHTINGS) == ["usd", "equal"]


def test_an_unknown_weighting_is_refused(db):
    with pytest.raises(ValueError, match="weighting"):
        progress_rollup(as_of_now(), weighting="population")


def test_the_roll_up_is_two_queries_whatever_the_registry_holds(registry, countries, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        progress_rollup(as_of_now(), Scope(country=countries["KEN"]), node=registry["FA1"])
    with django_assert_max_num_queries(1):
        progress_rollup(as_of_now())
