"""An offline upload is stored and queued: the request never parses the workbook, the task does."""

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from coalition.entities.models import FocalPoint
from coalition.reference.models import ImportRun
from coalition.reporting.models import ProgressReport
from coalition.reporting.tasks import import_progress_reports
from coalition.reporting.tests.reporting_xlsx_fixtures import (
    filled,
    stored_uploads,
    upload,
    uploads_kept_in_tmp,  # noqa: F401 (fixture)
)
from coalition.reporting.xlsx import report_upload


@pytest.fixture
def queued(settings):
    """Tasks stored in the database for a worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_an_upload_is_stored_and_queued_and_nothing_is_read_in_the_request(
        queued, pledger_a, entity_a, published, uploads_kept_in_tmp):
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a)))
    assert run.status == ImportRun.Status.RUNNING and run.rows_read == 0
    task = DBTaskResult.objects.get(pk=run.task_id)
    assert task.status == "READY" and task.task_path == "coalition.reporting.tasks.import_progress_reports"
    kwargs = task.args_kwargs["kwargs"]
    assert (kwargs["run_id"], kwargs["entity_id"]) == (run.pk, entity_a.pk)
    assert stored_uploads(uploads_kept_in_tmp) and not ProgressReport.objects.exists()

    assert import_progress_reports.call(**kwargs) == "succeeded"
    run.refresh_from_db()
    assert (run.status, run.created) == ("succeeded", 1)
    assert run.written == [{"report": ProgressReport.objects.get().pk, "created": True}]
    assert stored_uploads(uploads_kept_in_tmp) == []


def test_the_task_speaks_the_language_the_file_was_uploaded_in(queued, pledger_a, entity_a, published):
    with translation.override("fr"):
        run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a)))
    assert DBTaskResult.objects.get(pk=run.task_id).args_kwargs["kwargs"]["language"] == "fr"


def test_someone_who_stopped_acting_for_the_entity_before_the_task_ran_imports_nothing(
        queued, pledger_a, entity_a, published):
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a)))
    FocalPoint.objects.filter(user=pledger_a).delete()
    assert import_progress_reports.call(**DBTaskResult.objects.get(pk=run.task_id).args_kwargs["kwargs"]) == "failed"
    run.refresh_from_db()
    assert "no longer acts for" in run.errors[0]["message"] and not ProgressReport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_without_a_task(queued, settings, pledger_a, entity_a, published):
    settings.COALITION_EVIDENCE_MAX_BYTES = 1000
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a)))
    assert run.status == "failed" and "at most" in run.errors[0]["message"]
    assert not run.task_id and not DBTaskResult.objects.exists()
