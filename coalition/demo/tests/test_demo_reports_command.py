"""`coalition demo generate` writes the demo reports with the data: counted in its summary, the same
for the same seed, untouched by a second run, removed by `coalition demo reset`."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from coalition.demo.rows import history_model
from coalition.reference.testing import load_reference_fixture
from coalition.reporting.models import ProgressReport, ProgressReportTarget, ProgressReportTransition, ReportStatus

HistoricalReport = history_model(ProgressReport)


def fingerprint() -> str:
    digest = hashlib.sha256()
    for queryset in (
        ProgressReport.objects.values_list("pk", "pledge_id", "year", "status", "share_delivered", "disbursed_usd",
                                           "submitted_at", "decided_at", "verification_level", "narrative"),
        ProgressReportTarget.objects.values_list("pk", "report_id", "target_id", "actual_value"),
        ProgressReportTransition.objects.values_list("pk", "report_id", "action", "at", "actor_id"),
        HistoricalReport.objects.values_list("history_id", "id", "status", "history_date"),
    ):
        for row in queryset.order_by(queryset.model._meta.pk.name):
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def reference(db):
    load_reference_fixture()


def demo_command(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_report_counts_and_a_second_run_changes_no_report(reference):
    output = demo_command("generate", "--pledges", "300", "--seed", "5")
    assert ProgressReport.objects.exists()
    assert f"Progress reports: {ProgressReport.objects.count():,} on" in output
    assert ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).exclude(decided_by=None).exists()
    before = fingerprint()
    assert "already exists" in demo_command("generate", "--pledges", "300", "--seed", "5")
    assert fingerprint() == before


def test_the_same_seed_gives_the_same_reports_and_another_seed_does_not(reference):
    demo_command("generate", "--pledges", "300", "--seed", "5")
    first = fingerprint()
    demo_command("generate", "--pledges", "300", "--seed", "5", "--reset")
    assert fingerprint() == first
    demo_command("generate", "--pledges", "300", "--seed", "6", "--reset")
    assert fingerprint() != first


def test_reset_removes_the_demo_reports_with_their_history(reference):
    demo_command("generate", "--pledges", "300")
    assert ProgressReport.objects.exists() and ProgressReportTransition.objects.exists()
    demo_command("reset")
    for model in (ProgressReport, ProgressReportTarget, ProgressReportTransition, HistoricalReport,
                  history_model(ProgressReportTarget)):
        assert not model.objects.exists(), model
