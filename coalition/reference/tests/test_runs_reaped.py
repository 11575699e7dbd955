"""Imports that lost their worker are failed with a reason; live and queued ones are left alone."""

import datetime

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coalition.common.tests.tasks import make_task_result
from coalition.reference.models import ImportRun
from coalition.reference.runs import WORKER_LOST, Heartbeat, import_runs_reap

pytestmark = pytest.mark.django_db
NOW = timezone.now()
LONG_AGO = NOW - datetime.timedelta(hours=1)
JUST_NOW = NOW - datetime.timedelta(seconds=5)


def task(status=TaskResultStatus.RUNNING, *, worker="worker-a", started=LONG_AGO) -> DBTaskResult:
    return make_task_result(status, task_path="coalition.indicators.tasks.import_indicator_file", worker=worker,
                                     started=started if status != TaskResultStatus.READY else None)


def run(*, task_result=None, heartbeat=None, started=LONG_AGO, status=ImportRun.Status.RUNNING) -> ImportRun:
    made = ImportRun.objects.create(kind="indicators:itu-datahub", source="values.xlsx", status=status,
                                    task_id=str(task_result.pk) if task_result else "", heartbeat_at=heartbeat)
    ImportRun.objects.filter(pk=made.pk).update(started_at=started)  # auto_now_add ignores a given value
    return made


def reaped(*made: ImportRun) -> list[str]:
    return [ImportRun.objects.get(pk=item.pk).status for item in made]


def test_a_run_whose_worker_went_silent_is_failed_with_the_reason_and_so_is_its_task():
    silent_task = task()
    silent = run(task_result=silent_task, heartbeat=LONG_AGO)
    assert import_runs_reap(now=NOW) == {"runs": 1, "tasks": 1}
    silent.refresh_from_db()
    assert silent.status == "failed" and silent.finished_at == NOW
    assert "stopped before it finished" in silent.errors[0]["message"]
    assert "Nothing was written" in silent.errors[0]["message"]
    silent_task.refresh_from_db()
    assert silent_task.status == TaskResultStatus.FAILED and silent_task.exception_class_path == WORKER_LOST
    assert "Nothing was written" in silent_task.traceback


def test_a_run_with_a_recent_heartbeat_is_left_alone():
    alive = run(task_result=task(), heartbeat=JUST_NOW)
    assert import_runs_reap(now=NOW) == {"runs": 0, "tasks": 0}
    assert reaped(alive) == ["running"]


def test_a_task_that_has_just_started_counts_as_a_sign_of_life():
    starting = run(task_result=task(started=JUST_NOW))
    import_runs_reap(now=NOW)
    assert reaped(starting) == ["running"]


def test_a_queued_run_is_left_alone_however_long_it_waits():
    queued = run(task_result=task(TaskResultStatus.READY, worker=None))
    import_runs_reap(now=NOW)
    assert reaped(queued) == ["running"]


def test_the_calling_workers_own_runs_and_tasks_are_failed_at_once():
    mine, theirs = task(worker="worker-a", started=JUST_NOW), task(worker="worker-b", started=JUST_NOW)
    orphan = task(worker="worker-a", started=JUST_NOW)  # a task with no import run (reminders)
    runs = run(task_result=mine, heartbeat=JUST_NOW), run(task_result=theirs, heartbeat=JUST_NOW)
    assert import_runs_reap(worker_id="worker-a", now=NOW) == {"runs": 1, "tasks": 2}
    assert reaped(*runs) == ["failed", "running"]
    assert {t.pk: t.status for t in DBTaskResult.objects.all()} == {
        mine.pk: "FAILED", theirs.pk: "RUNNING", orphan.pk: "FAILED"}


def test_a_run_left_open_by_a_task_that_ended_is_failed():
    ended = run(task_result=task(TaskResultStatus.FAILED), heartbeat=JUST_NOW)
    assert import_runs_reap(now=NOW)["runs"] == 1
    assert reaped(ended) == ["failed"]


def test_a_run_whose_task_no_longer_exists_is_failed():
    gone_task = task()
    gone = run(task_result=gone_task, heartbeat=JUST_NOW)
    gone_task.delete()
    import_runs_reap(now=NOW)
    assert reaped(gone) == ["failed"]


def test_a_run_without_a_task_is_failed_only_once_silent(settings):
    settings.COALITION_IMPORT_STALE_AFTER_SECONDS = 60
    command_line = run(heartbeat=NOW - datetime.timedelta(seconds=30))
    legacy = run()  # from before heartbeats: only its start to go by
    import_runs_reap(now=NOW)
    assert reaped(command_line, legacy) == ["running", "failed"]


def test_finished_runs_are_never_touched():
    done = run(task_result=task(TaskResultStatus.SUCCESSFUL), status=ImportRun.Status.SUCCEEDED)
    assert import_runs_reap(worker_id="worker-a", now=NOW) == {"runs": 0, "tasks": 0}
    assert reaped(done) == ["succeeded"] and ImportRun.objects.get(pk=done.pk).errors == []


def test_the_heartbeat_is_written_at_most_once_per_interval(settings):
    settings.COALITION_IMPORT_HEARTBEAT_SECONDS = 3600
    beating = run(started=NOW)
    heartbeat = Heartbeat(beating)
    heartbeat()
    first = ImportRun.objects.get(pk=beating.pk).heartbeat_at
    assert first is not None
    heartbeat()
    assert ImportRun.objects.get(pk=beating.pk).heartbeat_at == first
    heartbeat.beat()
    assert ImportRun.objects.get(pk=beating.pk).heartbeat_at > first
