"""Background tasks of the registry (Django's task framework; run by `coalition worker`)."""

import datetime
import os

from django.tasks import task
from django.utils import timezone, translation

from coalition.entities.models import Entity
from coalition.reference.models import ImportRun
from coalition.reporting.reminders import report_reminders_send


@task
def send_report_reminders(today: str | None = None) -> int:
    """E-mail the progress-report reminders pending on `today` (an ISO date; default: the
    site's today) and return how many were sent. Safe to run twice: each reminder goes out once
    per period.
    """
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return len(report_reminders_send(today=day))


@task
def import_progress_reports(*, run_id: int, entity_id: int, path: str, language: str = "") -> str:
    """Import the offline-report upload that `reporting.xlsx.report_upload` stored at `path` and
    recorded as ImportRun `run_id`, in `language` (its messages); return the run's final status.
    The stored file is deleted afterwards: the run keeps what the page shows.
    """
    from coalition.reporting.xlsx.reader import report_upload_run

    run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    try:
        with translation.override(language or None):
            entity = Entity.objects.filter(pk=entity_id).first()
            if entity is None:
                run.status, run.finished_at = ImportRun.Status.FAILED, timezone.now()
                run.errors = [{"sheet": "", "row": None, "column": "",
                               "message": translation.gettext("The entity no longer exists; nothing was imported.")}]
                run.save()
                return run.status
            return report_upload_run(run=run, entity=entity, path=path).status
    finally:
        if os.path.exists(path):
            os.remove(path)
