"""An open-data build whose background task died does not stay "running" for ever: the worker's
reaper (`common.signals.tasks_reaped`) fails it and the files published before stay current.
Builds running in a live task or in a command, and queued builds, are left alone."""

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone

from coalition.common import signals
from coalition.common.actors import SYSTEM
from coalition.common.tests.tasks import make_task_result
from coalition.opendata.models import DumpBuild
from coalition.opendata.services import dump_builds_reap, dumps_build

pytestmark = pytest.mark.django_db


def task(status):
    return make_task_result(status, task_path="coalition.opendata.tasks.dumps_rebuild")


def build(status, task_id="") -> DumpBuild:
    return DumpBuild.objects.create(status=status, reason="changes", due_at=timezone.now(), task_id=str(task_id))


def test_a_build_whose_task_died_is_failed_and_the_others_are_left_alone():
    dead = build(DumpBuild.Status.RUNNING, task(TaskResultStatus.FAILED).pk)
    vanished = build(DumpBuild.Status.RUNNING, "6f1c2d2e-0000-4000-8000-000000000000")
    alive = build(DumpBuild.Status.RUNNING, task(TaskResultStatus.RUNNING).pk)
    by_command = build(DumpBuild.Status.RUNNING)
    queued = build(DumpBuild.Status.QUEUED, task(TaskResultStatus.SUCCESSFUL).pk)  # its task found it "not due"

    assert 2 in [count for _receiver, count in signals.tasks_reaped.send(sender=None)]
    for lost in (dead, vanished):
        lost.refresh_from_db()
        assert lost.status == DumpBuild.Status.FAILED and "stopped before it finished" in lost.error
    assert [DumpBuild.objects.get(pk=b.pk).status for b in (alive, by_command, queued)] == [
        DumpBuild.Status.RUNNING, DumpBuild.Status.RUNNING, DumpBuild.Status.QUEUED]
    assert dump_builds_reap() == 0


def test_a_build_names_the_task_running_it_and_a_command_names_none():
    from coalition.opendata.tasks import dumps_rebuild

    queued = build(DumpBuild.Status.QUEUED)
    result = dumps_rebuild.enqueue(build_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == DumpBuild.Status.SUCCEEDED and queued.task_id == str(result.id)
    assert dumps_build(actor=SYSTEM, datasets=["reference"]).task_id == ""
