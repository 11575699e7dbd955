"""Background tasks of the registry (Django's task framework; run by `coalition db_worker`)."""

import datetime

from django.tasks import task
from django.utils import timezone

from coalition.reporting.reminders import report_reminders_send


@task
def send_report_reminders(today: str | None = None) -> int:
    """E-mail the progress-report reminders pending on `today` (an ISO date; default: the
    site's today) and return how many were sent. Safe to run twice: each reminder goes out once
    per period.
    """
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return len(report_reminders_send(today=day))
