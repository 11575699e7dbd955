"""A pledge's reporting ends: a completed or discontinued report closes it, past its end date it
owes one final report and then stops (with it or without it), and the secretariat may reopen it."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coalition.pledges.models import Pledge
from coalition.pledges.services import pledge_create, pledge_submit, pledge_transition
from coalition.reporting.reminders import report_reminders_pending, report_reminders_send
from coalition.reporting.selectors import (
    pledge_count_by_reporting_status,
    pledge_list_with_reporting_status,
    pledge_reporting_status,
)
from coalition.reporting.services import pledge_reporting_reopen, report_accept, report_create, report_submit
from coalition.reporting.status import ReportingFacts, ReportingStatus, status_changes, status_on

PUBLISHED = datetime.datetime(2024, 3, 1, 10, 0, tzinfo=datetime.UTC)
DAY0 = datetime.date(2024, 3, 1)


def days(n: int) -> datetime.date:
    return DAY0 + datetime.timedelta(days=n)


def _publish(pledger, reviewer, data, *, end=None, title="A pledge"):
    pledge = pledge_create(actor=pledger, data={**data, "title": title, "end_date": end})
    pledge_submit(actor=pledger, pledge=pledge)
    return pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=PUBLISHED)


def _report(pledge, pledger, reviewer, *, status="on_track", period_end=datetime.date(2024, 12, 31),
            submitted_at=PUBLISHED + datetime.timedelta(days=320), share="40"):
    report = report_create(actor=pledger, pledge=pledge, data={
        "period_end": period_end, "implementation_status": status, "share_delivered": Decimal(share),
        "narrative": "Schools connected.", "targets": [{"target": pledge.targets.get(), "actual_value": Decimal("120")}],
    })
    report_submit(actor=pledger, report=report, at=submitted_at)
    return report_accept(actor=reviewer, report=report, verification_level="documented",
                         at=submitted_at + datetime.timedelta(days=10))


def _annotated(pledge, today):
    return pledge_list_with_reporting_status(today=today, queryset=Pledge.objects.all()).get(pk=pledge.pk).reporting_status


def _everywhere(pledge, today):
    """The status from the one rule, the list's annotation and the counts, which must agree."""
    status = pledge_reporting_status(pledge, today=today)
    assert _annotated(pledge, today) == status, today
    counts = pledge_count_by_reporting_status(Pledge.objects.filter(pk=pledge.pk), today=today)
    assert counts == {status: 1}, today
    return status


@pytest.mark.parametrize(("status", "expected"), [
    ("completed", ReportingStatus.COMPLETED), ("discontinued", ReportingStatus.DISCONTINUED),
])
def test_a_report_saying_completed_or_discontinued_closes_the_reporting_for_good(
    pledger_a, reviewer, pledge_data, status, expected
):
    pledge = _publish(pledger_a, reviewer, pledge_data)
    _report(pledge, pledger_a, reviewer, status=status, share="100" if status == "completed" else "30")

    for offset in (300, 400, 1500, 4000):
        assert _everywhere(pledge, days(offset)) == expected


def test_a_closing_report_counts_only_once_accepted(pledger_a, reviewer, pledge_data):
    pledge = _publish(pledger_a, reviewer, pledge_data)
    report = report_create(actor=pledger_a, pledge=pledge, data={
        "period_end": datetime.date(2024, 12, 31), "implementation_status": "completed", "share_delivered": "100",
        "narrative": "Done.", "targets": [{"target": pledge.targets.get(), "actual_value": "120"}]})
    report_submit(actor=pledger_a, report=report, at=PUBLISHED + datetime.timedelta(days=300))

    assert _everywhere(pledge, days(400)) == ReportingStatus.DUE


def test_a_report_reaching_the_end_date_is_the_final_one(pledger_a, reviewer, pledge_data):
    pledge = _publish(pledger_a, reviewer, pledge_data, end=datetime.date(2024, 12, 31))
    _report(pledge, pledger_a, reviewer, status="delayed", period_end=datetime.date(2024, 12, 31))

    assert _everywhere(pledge, days(400)) == ReportingStatus.ENDED
    assert _everywhere(pledge, days(3000)) == ReportingStatus.ENDED


def test_past_its_end_date_a_pledge_owes_a_final_report_then_ends_without_it(pledger_a, reviewer, pledge_data):
    end = datetime.date(2024, 10, 31)
    pledge = _publish(pledger_a, reviewer, pledge_data, end=end)
    after_end = (end - DAY0).days + 1  # the final report is due the day after the end date

    assert _everywhere(pledge, days(after_end - 1)) == ReportingStatus.ON_TIME
    assert _everywhere(pledge, days(after_end)) == ReportingStatus.DUE
    # Its clock then runs as if started a year before that day: overdue a year later, and after
    # the inactive period it ends without a final report instead of turning inactive.
    assert _everywhere(pledge, days(after_end + 364)) == ReportingStatus.DUE
    assert _everywhere(pledge, days(after_end + 365)) == ReportingStatus.OVERDUE
    assert _everywhere(pledge, days(after_end + 729)) == ReportingStatus.OVERDUE
    assert _everywhere(pledge, days(after_end + 730)) == ReportingStatus.ENDED_UNREPORTED
    assert _everywhere(pledge, days(after_end + 4000)) == ReportingStatus.ENDED_UNREPORTED


def test_an_inactive_pledge_ends_without_a_final_report_the_day_after_its_end(pledger_a, reviewer, pledge_data):
    end = days(1200)
    pledge = _publish(pledger_a, reviewer, pledge_data, end=end)

    assert _everywhere(pledge, days(1100)) == ReportingStatus.INACTIVE
    assert _everywhere(pledge, days(1201)) == ReportingStatus.ENDED_UNREPORTED


def test_a_late_final_report_is_still_taken_and_ends_the_pledge(pledger_a, reviewer, pledge_data):
    pledge = _publish(pledger_a, reviewer, pledge_data, end=datetime.date(2024, 6, 30))
    assert pledge_reporting_status(pledge, today=days(1200)) == ReportingStatus.ENDED_UNREPORTED

    _report(pledge, pledger_a, reviewer, status="delayed", period_end=datetime.date(2024, 12, 31),
            submitted_at=PUBLISHED + datetime.timedelta(days=1150))

    assert _everywhere(pledge, days(1200)) == ReportingStatus.ENDED


def test_no_new_report_is_written_on_a_closed_pledge(pledger_a, reviewer, pledge_data):
    pledge = _publish(pledger_a, reviewer, pledge_data)
    _report(pledge, pledger_a, reviewer, status="completed", share="100")

    with pytest.raises(ValidationError) as refused:
        report_create(actor=pledger_a, pledge=pledge, data={
            "period_end": datetime.date(2025, 12, 31), "implementation_status": "on_track", "share_delivered": "100",
            "narrative": "More.", "targets": []})
    assert "closed (completed)" in refused.value.message_dict["pledge"][0]


def test_the_secretariat_reopens_a_closed_reporting_and_its_clock_restarts(pledger_a, reviewer, pledge_data):
    pledge = _publish(pledger_a, reviewer, pledge_data)
    _report(pledge, pledger_a, reviewer, status="completed", share="100")
    reopened_at = PUBLISHED + datetime.timedelta(days=500)

    pledge = pledge_reporting_reopen(actor=reviewer, pledge=pledge, reason="Phase two was announced.", at=reopened_at)

    assert _everywhere(pledge, days(500)) == ReportingStatus.ON_TIME
    assert _everywhere(pledge, days(500 + 365)) == ReportingStatus.DUE
    assert pledge.history.filter(history_change_reason__startswith="reporting reopened").get().history_change_reason \
        == "reporting reopened: Phase two was announced."
    # The pledger reports again, and a new closing report closes it again.
    _report(pledge, pledger_a, reviewer, status="completed", share="100", period_end=datetime.date(2025, 12, 31),
            submitted_at=PUBLISHED + datetime.timedelta(days=700))
    assert _everywhere(pledge, days(800)) == ReportingStatus.COMPLETED


def test_only_the_secretariat_reopens_and_only_a_closed_reporting_with_a_reason(
    pledger_a, reviewer, pledge_data
):
    pledge = _publish(pledger_a, reviewer, pledge_data)
    with pytest.raises(ValidationError) as not_closed:
        pledge_reporting_reopen(actor=reviewer, pledge=pledge, reason="Why not.")
    assert "pledge" in not_closed.value.message_dict

    _report(pledge, pledger_a, reviewer, status="discontinued")
    with pytest.raises(PermissionDenied):
        pledge_reporting_reopen(actor=pledger_a, pledge=pledge, reason="We would like to go on.")
    with pytest.raises(ValidationError) as no_reason:
        pledge_reporting_reopen(actor=reviewer, pledge=pledge, reason="  ")
    assert "reason" in no_reason.value.message_dict


def test_a_closed_pledge_gets_no_reminder_and_a_pledge_past_its_end_a_final_report_reminder(
    pledger_a, reviewer, pledge_data
):
    completed = _publish(pledger_a, reviewer, pledge_data, title="Completed")
    _report(completed, pledger_a, reviewer, status="completed", share="100")
    ended = _publish(pledger_a, reviewer, pledge_data, end=datetime.date(2025, 3, 31), title="Ended in March")

    for today in (datetime.date(2026, 1, 15), datetime.date(2027, 6, 1), datetime.date(2028, 1, 1)):
        assert completed.pk not in {r.pledge.pk for r in report_reminders_pending(today=today)}

    sent = report_reminders_send(today=datetime.date(2025, 4, 2))
    assert {r.pledge.pk for r in sent} == {ended.pk}
    assert all(r.final for r in sent)
    assert mail.outbox[0].subject == "Final report due: Ended in March"
    assert "ended on 31 March 2025" in mail.outbox[0].body


def test_the_final_report_is_reminded_even_when_the_yearly_one_was(pledger_a, reviewer, pledge_data):
    pledge = _publish(pledger_a, reviewer, pledge_data, end=days(400))
    assert [(r.pledge.pk, r.final) for r in report_reminders_send(today=days(366))] == [(pledge.pk, False)]

    assert [(r.pledge.pk, r.final) for r in report_reminders_send(today=days(401))] == [(pledge.pk, True)]


def test_the_status_changes_kept_for_later_days_replay_the_rule(settings):
    """`status_changes` lists every change `status_on` makes day by day, for any facts."""
    rng = random.Random(20)
    base = datetime.date(2020, 1, 1)
    for _ in range(200):
        start = base + datetime.timedelta(days=rng.randrange(0, 2000))
        end = rng.choice([None, start + datetime.timedelta(days=rng.randrange(-400, 1500))])
        reopened = rng.choice([None, None, start - datetime.timedelta(days=rng.randrange(0, 300))])
        facts = ReportingFacts(start=start, end=end, reopened=reopened)
        after = start + datetime.timedelta(days=rng.randrange(0, 900))
        changes = dict((day, (before, status)) for day, before, status in status_changes(facts, after))
        current = status_on(facts, after)
        for offset in range(1, 2500, 7 if rng.random() < 0.5 else 1):
            day = after + datetime.timedelta(days=offset)
            for change_day in sorted(d for d in changes if day - datetime.timedelta(days=7) < d <= day):
                before, current = changes[change_day]
            assert status_on(facts, day) == current, (facts, after, day)


def test_the_rule_and_the_database_agree_on_every_kind_of_pledge(pledger_a, reviewer, pledge_data):
    plain = _publish(pledger_a, reviewer, pledge_data, title="No end date")
    ending = _publish(pledger_a, reviewer, pledge_data, end=days(600), title="Ends")
    final = _publish(pledger_a, reviewer, pledge_data, end=datetime.date(2024, 12, 31), title="Final in")
    _report(final, pledger_a, reviewer, period_end=datetime.date(2024, 12, 31))
    reported = _publish(pledger_a, reviewer, pledge_data, end=days(900), title="Reported once")
    _report(reported, pledger_a, reviewer)
    reopened = _publish(pledger_a, reviewer, pledge_data, end=days(700), title="Reopened")
    _report(reopened, pledger_a, reviewer, status="completed", share="100")
    pledge_reporting_reopen(actor=reviewer, pledge=reopened, reason="More to do.",
                            at=PUBLISHED + datetime.timedelta(days=800))

    for offset in range(0, 3000, 37):
        today = days(offset)
        statuses = [pledge_reporting_status(p, today=today) for p in Pledge.objects.all()]
        assert [_annotated(p, today) for p in Pledge.objects.all()] == statuses, today
        expected = {s: statuses.count(s) for s in set(statuses)}
        assert pledge_count_by_reporting_status(Pledge.objects.all(), today=today) == expected, today
    assert {plain.pk, ending.pk}  # both took part above


def test_the_reopen_page_is_the_secretariats(client, pledger_a, reviewer, pledge_data):
    pledge = _publish(pledger_a, reviewer, pledge_data)
    _report(pledge, pledger_a, reviewer, status="completed", share="100")
    url = reverse("reporting:reporting_reopen", args=[pledge.pk])

    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(pledger_a)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Please."}).status_code == 403

    client.force_login(reviewer)
    page = client.get(url)
    assert page.status_code == 200 and "Completed" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    answer = client.post(url, {"reason": "A second phase was funded."})
    assert answer.status_code == 302 and answer.url == reverse("explore:pledge", args=[pledge.pk])
    assert Pledge.objects.get(pk=pledge.pk).reporting_reopened_at is not None
