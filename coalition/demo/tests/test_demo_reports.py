"""The demo's pledges carry yearly progress reports shaped like the ones the reporting services write.

One 1,500-pledge run is shared by the module (generated once, rolled back at the end); the
demo reviewer account exists first, as when the command runs.
"""

import datetime
from collections import Counter, defaultdict

import pytest
from django.db import transaction

from coalition.demo import lifecycle
from coalition.demo.accounts import REVIEWER_EMAIL, demo_accounts_ensure
from coalition.demo.generate import demo_generate
from coalition.demo.rows import history_model
from coalition.demo.summary import demo_summary
from coalition.pledges.models import Pledge, Status
from coalition.reference.selectors import rate_table
from coalition.reference.services import usd_value
from coalition.reference.testing import load_reference_fixture
from coalition.reporting.models import (
    ProgressReport,
    ProgressReportTarget,
    ProgressReportTransition,
    ReportStatus,
    VerificationLevel,
)
from coalition.reporting.selectors import pledge_annotate_reporting_status
from coalition.reporting.status import CLOSED_STATUSES, ReportingStatus
from coalition.reporting.workflow import REPORT_WORKFLOW

PLEDGES = 1500
HistoricalReport = history_model(ProgressReport)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_fixture()
        demo_accounts_ensure()
        counts = demo_generate(pledges=PLEDGES, seed=7)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def reports(demo, db):
    return ProgressReport.objects.filter(pledge__is_demo=True)


def test_reports_exist_in_every_state_with_a_few_dozen_waiting_for_review(reports):
    by_status = Counter(reports.values_list("status", flat=True))
    assert set(by_status) == set(ReportStatus.values)
    assert by_status[ReportStatus.ACCEPTED] > 10 * by_status[ReportStatus.SUBMITTED]
    assert 20 <= by_status[ReportStatus.SUBMITTED] <= 100
    assert by_status[ReportStatus.RETURNED] < by_status[ReportStatus.SUBMITTED]
    assert by_status[ReportStatus.DRAFT] < by_status[ReportStatus.SUBMITTED]
    assert not reports.filter(status=ReportStatus.RETURNED, reviewer_comment="").exists()


def test_only_pledges_published_over_a_year_ago_report_and_many_of_those_do_not(reports):
    year_ago = lifecycle.LAST_MOMENT - datetime.timedelta(days=365)
    reporting = set(reports.values_list("pledge_id", flat=True))
    eligible = set(Pledge.objects.filter(is_demo=True, status=Status.PUBLISHED, published_at__lte=year_ago)
                   .values_list("pk", flat=True))
    assert reporting <= eligible
    assert 0.2 < 1 - len(reporting) / len(eligible) < 0.45


def test_the_follow_up_page_sees_pledges_due_overdue_and_inactive_and_some_have_closed(demo, db):
    published = Pledge.objects.filter(is_demo=True, status=Status.PUBLISHED)
    statuses = Counter(pledge_annotate_reporting_status(published, today=lifecycle.LAST_MOMENT.date())
                       .values_list("reporting_status", flat=True))
    for status in (ReportingStatus.ON_TIME, ReportingStatus.DUE, ReportingStatus.OVERDUE, ReportingStatus.INACTIVE):
        assert statuses[status] > 0.03 * published.count(), status
    for status in CLOSED_STATUSES:  # completed, discontinued, ended with and without a final report
        assert statuses[status] > 0.01 * published.count(), status


def test_accepted_reports_cover_each_year_once_after_its_end_and_are_complete(reports):
    reviewer = ProgressReport._meta.get_field("decided_by").related_model.objects.get(email=REVIEWER_EMAIL)
    accepted = reports.filter(status=ReportStatus.ACCEPTED)
    years = Counter(accepted.values_list("pledge_id", "year"))
    assert max(years.values()) == 1
    targets = defaultdict(set)
    for pledge_id, target_id in Pledge.objects.filter(is_demo=True).values_list("pk", "targets"):
        if target_id:
            targets[pledge_id].add(target_id)
    actuals = defaultdict(set)
    for report_id, target_id in ProgressReportTarget.objects.values_list("report_id", "target_id"):
        actuals[report_id].add(target_id)
    for report in accepted:
        assert report.period_end == datetime.date(report.year, 12, 31)
        assert report.submitted_at.date() > report.period_end
        assert report.submitted_at <= report.decided_at <= lifecycle.LAST_MOMENT
        assert report.decided_by_id == reviewer.pk
        assert report.verification_level in VerificationLevel.values
        assert report.implementation_status and report.narrative and report.share_delivered is not None
        assert actuals[report.pk] == targets[report.pledge_id]
    levels = Counter(accepted.values_list("verification_level", flat=True))
    assert levels[VerificationLevel.VERIFIED] < 0.15 * accepted.count()
    assert levels[VerificationLevel.SELF_REPORTED] > levels[VerificationLevel.DOCUMENTED] > levels[VerificationLevel.VERIFIED]


def test_money_disbursed_is_in_the_pledge_currency_with_its_usd_derived_like_the_services_do(reports):
    rates = rate_table()
    with_money = reports.exclude(disbursed_amount=None).select_related("disbursed_currency", "pledge")
    assert with_money.count() > 100
    for report in with_money:
        assert report.disbursed_currency_id == report.pledge.value_currency_id
        assert report.disbursed_usd == usd_value(
            amount=report.disbursed_amount, currency=report.disbursed_currency.code, year=report.disbursed_year,
            rates=rates,
        )
        assert report.disbursed_amount <= report.pledge.value_amount * report.share_delivered / 100


def test_share_delivered_and_actuals_grow_year_on_year_and_stay_plausible(reports):
    shares = defaultdict(list)
    for pledge_id, share in reports.order_by("pledge_id", "year").values_list("pledge_id", "share_delivered"):
        shares[pledge_id].append(share)
    assert any(len(values) >= 3 for values in shares.values())
    for values in shares.values():
        assert values == sorted(values) and 0 <= values[0] and values[-1] <= 100
    series = defaultdict(list)
    rows = ProgressReportTarget.objects.filter(report__in=reports).select_related("target", "report")
    for row in rows.order_by("target_id", "report__year"):
        assert row.actual_value <= row.target.target_value * 110 / 100
        series[row.target_id].append(row.actual_value)
    assert any(len(values) >= 3 for values in series.values())
    assert all(values == sorted(values) for values in series.values())


def test_each_decision_has_its_transition_and_version_as_the_services_write_them(reports):
    transitions = defaultdict(list)
    for row in ProgressReportTransition.objects.filter(report__in=reports).order_by("report_id", "at", "id"):
        transitions[row.report_id].append(row)
    versions = defaultdict(list)
    for row in HistoricalReport.objects.filter(pledge__is_demo=True).order_by("id", "history_date", "history_id"):
        versions[row.id].append(row)
    assert reports.count() > 100 and len(transitions) > 100
    for report in reports:
        steps = transitions[report.pk]
        status = ReportStatus.DRAFT
        for step in steps:
            transition = REPORT_WORKFLOW.transition(step.action)
            assert step.from_status == status and status in transition.sources
            assert step.to_status == transition.target
            assert bool(step.comment) == transition.comment_required
            status = transition.target
        assert status == report.status
        history = versions[report.pk]
        assert [v.history_type for v in history] == ["+"] + ["~"] * len(steps)
        assert [v.status for v in history] == [ReportStatus.DRAFT] + [step.to_status for step in steps]
        assert history[-1].verification_level == report.verification_level
        assert history[0].history_change_reason == "demo: created"
        if report.status == ReportStatus.ACCEPTED:
            assert steps[-1].verification_level == report.verification_level and steps[-1].actor_id == report.decided_by_id


def test_the_summary_counts_reports_by_status(reports):
    summary = demo_summary()
    assert summary["reports"] == reports.count() > 0
    assert summary["reports_by_status"] == dict(Counter(reports.values_list("status", flat=True)))
    assert summary["pledges_reporting"] == reports.values("pledge_id").distinct().count()
