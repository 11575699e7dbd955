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
