"""The reporting status of a published pledge, derived from dates and reports and never stored: on
time, due, overdue or inactive (the UN Partnerships platform rule) while it reports; completed,
discontinued, ended, or ended without a final report once its reporting has closed.

Computed here and only here; the selectors' database annotation mirrors it and is tested against it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.pledges.models import Status as PledgeStatus


class ReportingStatus(models.TextChoices):
    """Where a published pledge stands in the yearly cycle (UN Partnerships platform rule), or
    that its reporting has closed."""

    ON_TIME = "on_time", _("On time")
    DUE = "due", _("Report due")
    OVERDUE = "overdue", _("Report overdue")
    INACTIVE = "inactive", _("Inactive")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")
    ENDED = "ended", _("Ended")
    ENDED_UNREPORTED = "ended_unreported", _("Ended without a final report")


# Still reporting: the yearly clock runs (reminders go out for the due and overdue).
ACTIVE_STATUSES = (ReportingStatus.ON_TIME, ReportingStatus.DUE, ReportingStatus.OVERDUE)
# No accepted report for the configured period: the value is at risk.
AT_RISK_STATUSES = (ReportingStatus.INACTIVE,)
# Reporting is over: no reminder, never inactive.
CLOSED_STATUSES = (ReportingStatus.COMPLETED, ReportingStatus.DISCONTINUED, ReportingStatus.ENDED,
                   ReportingStatus.ENDED_UNREPORTED)
STATUS_ORDER = ACTIVE_STATUSES + AT_RISK_STATUSES + CLOSED_STATUSES

# What an accepted report closes the pledge's reporting with: the implementation statuses that end
# it, and "ended" for a final report (one whose period reaches the pledge's end date).
CLOSING_STATUSES = ("completed", "discontinued")
ENDED = "ended"


def reporting_periods() -> tuple[int, int, int]:
    """Days after the clock starts at which a report is due, overdue, and the pledge inactive."""
    return (
        settings.COALITION_REPORT_DUE_AFTER_DAYS,
        settings.COALITION_REPORT_OVERDUE_AFTER_DAYS,
        settings.COALITION_REPORT_INACTIVE_AFTER_DAYS,
    )


def local_date(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The calendar date of a moment in the site's time zone (what the database's TruncDate gives)."""
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


@dataclass(frozen=True)
class ReportingFacts:
    """What a published pledge's reporting status depends on, besides the day asked about.

    `start` is the day its clock last started: its publication, its latest accepted report's
    submission or the day the secretariat reopened its reporting, whichever is latest. `closing`
    is "completed" or "discontinued" when its current accepted report (the latest, `LATEST_FIRST`,
    of those submitted since a reopening) says so, else "ended" when one of those reports reaches
    its end date (a final report), else empty. `end` is its end date, `reopened` the day its
    reporting was last reopened."""

    start: datetime.date
    end: datetime.date | None = None
    reopened: datetime.date | None = None
    closing: str = ""

    def final_start(self) -> datetime.date | None:
        """Past its end date a pledge owes one final report, due the day after the end date: its
        clock then runs as if started `due` days before that (or from a later reopening)."""
        if self.end is None:
            return None
        due, _overdue, _inactive = reporting_periods()
        start = self.end + datetime.timedelta(days=1 - due)
        return max(start, self.reopened) if self.reopened else start


def status_on(facts: ReportingFacts, today: datetime.date) -> ReportingStatus:
    """The reporting status on `today` of a published pledge (the one rule; the database
    annotation in `selectors` and the stored tallies follow it, and tests hold them together).

    A closing report closes it (completed, discontinued, ended). Otherwise its clock runs from
    `start`: on time, then report due, overdue, and inactive. Once past its end date it owes a
    final report at once (due, then overdue), and after the inactive period without one its
    reporting ends: "ended without a final report" — closed, so never inactive and never reminded."""
    if facts.closing:
        return ReportingStatus(facts.closing)
    if facts.end is not None and today > facts.end:
        status = status_since(min(facts.start, facts.final_start()), today=today)
        return ReportingStatus.ENDED_UNREPORTED if status == ReportingStatus.INACTIVE else status
    return status_since(facts.start, today=today)


def clock_start_on(facts: ReportingFacts, today: datetime.date) -> datetime.date:
    """The day the clock that decides the status on `today` started (a reminder's cycle)."""
    if facts.end is not None and today > facts.end:
        return min(facts.start, facts.final_start())
    return facts.start


def status_changes(facts: ReportingFacts, after: datetime.date) -> list[tuple[datetime.date, str, str]]:
    """[(day, status before, status from that day)] of every change of status after `after`, the
    facts staying as they are: what the stored tallies keep to move a day's counts forward."""
    if facts.closing:
        return []
    due, overdue, inactive = reporting_periods()
    starts = [facts.start]
    days = set()
    if facts.end is not None:
        starts.append(min(facts.start, facts.final_start()))
        days.add(facts.end + datetime.timedelta(days=1))
    for start in starts:
        days.update(start + datetime.timedelta(days=n) for n in (due, overdue, inactive))
    changes, before = [], status_on(facts, after)
    for day in sorted(d for d in days if d > after):
        status = status_on(facts, day)
        if status != before:
            changes.append((day, str(before), str(status)))
            before = status
    return changes


def reporting_status(
    pledge, *, today: datetime.date, last_accepted: datetime.datetime | datetime.date | None = None,
    closing: str = "",
) -> ReportingStatus | None:
    """The reporting status of `pledge` on `today`, or None when it has none.

    `last_accepted` is when its last accepted report was submitted (None if there is none) and
    `closing` what its reports close it with (`ReportingFacts`). Only published pledges report:
    drafts, pledges in review, rejected and withdrawn pledges have no reporting status."""
    facts = pledge_facts(pledge, last_accepted=last_accepted, closing=closing)
    return None if facts is None else status_on(facts, today)


def pledge_facts(pledge, *, last_accepted=None, closing: str = "") -> ReportingFacts | None:
    """The `ReportingFacts` of a pledge (or a version of one), None when it is not published."""
    if pledge.status != PledgeStatus.PUBLISHED or pledge.published_at is None:
        return None
    reopened = local_date(pledge.reporting_reopened_at) if pledge.reporting_reopened_at else None
    start = max(day for day in (local_date(pledge.published_at), last_accepted and local_date(last_accepted), reopened)
                if day)
    return ReportingFacts(start=start, end=pledge.end_date, reopened=reopened, closing=closing)


def status_since(start: datetime.date, *, today: datetime.date) -> ReportingStatus:
    """The yearly clock alone: the status on `today` of a pledge whose clock started on `start`."""
    age = (today - start).days
    due, overdue, inactive = reporting_periods()
    if age >= inactive:
        return ReportingStatus.INACTIVE
    if age >= overdue:
        return ReportingStatus.OVERDUE
    if age >= due:
        return ReportingStatus.DUE
    return ReportingStatus.ON_TIME


def first_period_due(pledge, *, today: datetime.date, reported_years: set[int]) -> datetime.date:
    """The last day of the first yearly period of `pledge` without a report: the one that makes
    the report due. The periods run on the reporting clock, from the day the pledge was published:
    the first ends the day before the report falls due (COALITION_REPORT_DUE_AFTER_DAYS later),
    each next one as long again. A period not over yet ends today; none ends before the pledge
    starts (its start date) — a pledge not yet started ends its period today, which
    `report_clean` refuses, naming the start. A period that runs past the pledge's end date ends
    on it, so that its report is the final one (unless that year already has a report: the next
    period then reaches beyond the end, and its report is final too). `reported_years` are the
    years that have a report."""
    due, _overdue, _inactive = reporting_periods()
    start = local_date(pledge.published_at) if pledge.published_at else today
    end = start + datetime.timedelta(days=due - 1)
    while end < today and end.year in reported_years:
        end += datetime.timedelta(days=due)
    if pledge.end_date and end > pledge.end_date and pledge.end_date.year not in reported_years:
        end = pledge.end_date
    if pledge.start_date and end < pledge.start_date:
        end = pledge.start_date
    return min(end, today)
