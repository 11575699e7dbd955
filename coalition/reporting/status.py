"""The reporting status of a published pledge, derived from dates and never stored: on time, due,
overdue or inactive (the UN Partnerships platform rule).

Computed here and only here; the selectors' database annotation mirrors it and is tested against it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.pledges.models import Status as PledgeStatus


class ReportingStatus(models.TextChoices):
    """Where a published pledge stands in the yearly cycle (UN Partnerships platform rule)."""

    ON_TIME = "on_time", _("On time")
    DUE = "due", _("Report due")
    OVERDUE = "overdue", _("Report overdue")
    INACTIVE = "inactive", _("Inactive")


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


def reporting_status(
    pledge, *, today: datetime.date, last_accepted: datetime.datetime | datetime.date | None = None
) -> ReportingStatus | None:
    """The reporting status of `pledge` on `today`, or None when it has none.

    The clock starts when the pledge is published and restarts when a report is accepted;
    `last_accepted` is when the last accepted report was submitted (None if there is none).
    Before the due period has run the pledge is on time; then its report is due, then
    overdue, then the pledge is inactive. Only published pledges report: drafts, pledges in
    review, rejected and withdrawn pledges have no reporting status. Reads nothing else.
    """
    if pledge.status != PledgeStatus.PUBLISHED or pledge.published_at is None:
        return None
    start = local_date(pledge.published_at)
    if last_accepted is not None:
        start = max(start, local_date(last_accepted))
    return status_since(start, today=today)


def status_since(start: datetime.date, *, today: datetime.date) -> ReportingStatus:
    """The reporting status on `today` of a published pledge whose clock started on `start`."""
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
    `report_clean` refuses, naming the start. `reported_years` are the years that have a report."""
    due, _overdue, _inactive = reporting_periods()
    start = local_date(pledge.published_at) if pledge.published_at else today
    end = start + datetime.timedelta(days=due - 1)
    while end < today and end.year in reported_years:
        end += datetime.timedelta(days=due)
    if pledge.start_date and end < pledge.start_date:
        end = pledge.start_date
    return min(end, today)
