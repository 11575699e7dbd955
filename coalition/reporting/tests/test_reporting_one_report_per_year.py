"""One progress report per pledge and year, held by the database: two people (or two browser
tabs) creating the same report at once get one report and, for the other, the usual form error."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from coalition.reporting import services
from coalition.reporting.models import ProgressReport, ProgressReportTransition
from coalition.reporting.validation import report_clean
from coalition.tests import builders

YEAR = timezone.localdate().year


def _fields(pledge, year=YEAR):
    return {
        "period_end": min(datetime.date(year, 12, 31), timezone.localdate()), "implementation_status": "on_track", "share_delivered": "40",
        "narrative": "120 schools connected.", "challenges": "",
        "targets": [{"target": pledge.targets.get(), "actual_value": "120"}], "evidence": [],
    }


def test_the_database_refuses_a_second_report_for_the_same_pledge_and_year(pledger_a, published):
    report = services.report_create(actor=pledger_a, pledge=published, data=_fields(published))

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(pledge=published, period_end=report.period_end, year=report.year)


def test_a_write_that_loses_the_race_gets_the_form_error_not_a_server_error(pledger_a, published, monkeypatch):
    first = services.report_create(actor=pledger_a, pledge=published, data=_fields(published))
    # The second request checked before the first one's report existed: its check passes.
    monkeypatch.setattr(services, "report_clean", lambda **kw: report_clean(**kw, report=first))

    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=pledger_a, pledge=published, data=_fields(published))

    assert refused.value.message_dict == {"period_end": [f"This pledge already has a report for {YEAR}."]}
    assert ProgressReport.objects.filter(pledge=published).count() == 1


def _at_once(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_reports_for_one_year_make_one_report_and_one_form_error(pledger_a, reviewer, pledge_data):
    for attempt in range(5):
        pledge = builders.publish(pledger_a, reviewer, {**pledge_data, "title": f"Connect schools, round {attempt}"})

        results = _at_once(*[lambda: services.report_create(actor=pledger_a, pledge=pledge, data=_fields(pledge))] * 2)

        made = [r for r in results if isinstance(r, ProgressReport)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert (len(made), len(refused)) == (1, 1), results
        assert refused[0].message_dict == {"period_end": [f"This pledge already has a report for {YEAR}."]}
        assert ProgressReport.objects.filter(pledge=pledge).count() == 1
        services.report_update(actor=pledger_a, report=made[0], data={**_fields(pledge), "narrative": "Still editable."})


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_report_submit_it_once(pledger_a, reviewer, pledge_data):
    for attempt in range(5):
        pledge = builders.publish(pledger_a, reviewer, {**pledge_data, "title": f"Connect clinics, round {attempt}"})
        draft = services.report_create(actor=pledger_a, pledge=pledge, data=_fields(pledge))

        results = _at_once(*[lambda: services.report_submit(actor=pledger_a, report=draft)] * 2)

        assert sorted(type(r).__name__ for r in results) == ["ProgressReport", "ValidationError"], results
        assert ProgressReport.objects.get(pk=draft.pk).status == "submitted"
        assert ProgressReportTransition.objects.filter(report=draft).count() == 1
