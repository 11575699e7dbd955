"""A report build whose background task died does not stay "building" for ever: the worker's
reaper (`common.signals.tasks_reaped`) fails it with a reason. Builds whose task is queued or
running, and builds a command runs, are left alone; a build run by its task names that task."""

import datetime

import pytest
from django.tasks import TaskResultStatus

from coalition.common import signals
from coalition.common.tests.tasks import make_task_result
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)
from coalition.reports import services
from coalition.reports.models import BuildStatus, ReportBuild

pytestmark = pytest.mark.django_db


def task(status):
    return make_task_result(status, task_path="coalition.reports.tasks.report_build_task")


def build(status, task_id="") -> ReportBuild:
    return ReportBuild.objects.create(kind="annual", language="en", as_of=datetime.date(2026, 6, 30),
                                      status=status, task_id=str(task_id))


def test_builds_whose_task_failed_or_vanished_are_failed_when_the_worker_reaps():
    running_failed = build(BuildStatus.RUNNING, task(TaskResultStatus.FAILED).pk)
    queued_failed = build(BuildStatus.QUEUED, task(TaskResultStatus.FAILED).pk)
    ended_unfinished = build(BuildStatus.RUNNING, task(TaskResultStatus.SUCCESSFUL).pk)
    vanished = build(BuildStatus.RUNNING, "6f1c2d2e-0000-4000-8000-000000000000")
    alive = build(BuildStatus.RUNNING, task(TaskResultStatus.RUNNING).pk)
    waiting = build(BuildStatus.QUEUED, task(TaskResultStatus.READY).pk)
    by_command = build(BuildStatus.RUNNING)
    done = build(BuildStatus.DONE, task(TaskResultStatus.SUCCESSFUL).pk)

    answers = signals.tasks_reaped.send(sender=None)

    assert 4 in [count for _receiver, count in answers]
    for lost in (running_failed, queued_failed, ended_unfinished, vanished):
        lost.refresh_from_db()
        assert lost.status == BuildStatus.FAILED and lost.finished_at is not None
        assert "stopped before it finished" in lost.error and "build the report again" in lost.error
    assert [ReportBuild.objects.get(pk=b.pk).status for b in (alive, waiting, by_command, done)] == [
        BuildStatus.RUNNING, BuildStatus.QUEUED, BuildStatus.RUNNING, BuildStatus.DONE]
    assert services.report_builds_reap() == 0  # nothing left to reap


def test_a_build_run_by_its_task_names_that_task_and_one_run_by_a_command_names_none(reviewer, registry):
    queued = services.report_request(actor=reviewer, kind="country-profile", language="en",
                                     as_of=datetime.date(2025, 7, 1), params={"country": "NPL"})
    assert queued.status == BuildStatus.DONE and queued.task_id  # the task ran it at once (tests)
    again = build(BuildStatus.QUEUED, "left-by-the-queue")
    ReportBuild.objects.filter(pk=again.pk).update(kind="country-profile", params={"country": "NPL"})
    ran = services.report_run(build_id=again.pk)
    assert ran.status == BuildStatus.DONE and ran.task_id == ""


def test_a_restarted_worker_fails_the_task_it_was_running_and_then_the_build_that_task_held():
    from coalition.reference.management.commands.worker import ResilientWorker

    held = build(BuildStatus.RUNNING, task(TaskResultStatus.RUNNING).pk)  # claimed by "worker-a", then killed
    worker = ResilientWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                             startup_delay=False, max_tasks=None, worker_id="worker-a", excluded_queue_names=[],
                             reap_every=60, retry_max=1)
    worker.reap()
    held.refresh_from_db()
    assert held.status == BuildStatus.FAILED and "stopped before it finished" in held.error
