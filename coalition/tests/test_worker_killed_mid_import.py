"""A worker killed in the middle of an import: the run ends failed, nothing is written, and the
task queued behind it still runs. A real `coalition worker` process on the test database."""

import pytest
from django_tasks_db.models import DBTaskResult

from coalition.indicators.models import Edition, Observation, StagedObservation
from coalition.reference.models import ImportRun
from coalition.reference.runs import WORKER_LOST
from coalition.tests.worker_tasks import interrupted_import_queued
from coalition.tests.workers import wait_until, workers

pytestmark = pytest.mark.django_db(transaction=True)


def status(model, pk) -> str:
    return model.objects.get(pk=pk).status


@pytest.mark.parametrize(("next_worker", "stale_after"), [
    ("worker-1", "3600"),  # restarted under its own id: fails what it left at once, however recent
    ("worker-2", "3"),     # another worker: fails the run once it has been silent for 3 s
], ids=["restarted-worker", "other-worker"])
def test_a_worker_killed_mid_import_leaves_no_stuck_run_and_loses_no_queued_task(
        catalogue, countries, tmp_path, settings, next_worker, stale_after):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run, slow, queued, writing, mark = interrupted_import_queued(
        tmp_path, rows=100_000, delay=0.01, mark_text="ran after the kill")

    with workers(tmp_path, COALITION_IMPORT_STALE_AFTER_SECONDS=stale_after, COALITION_IMPORT_HEARTBEAT_SECONDS="1",
                 COALITION_WORKER_REAP_EVERY_SECONDS="1") as start:
        first = start("first", "--worker-id", "worker-1")
        wait_until(writing.exists, timeout=120, what="the import to be writing in its transaction")
        first.kill()
        # What the issue saw: nothing would ever finish these.
        assert status(ImportRun, run.pk) == "running" and status(DBTaskResult, slow.id) == "RUNNING"
        assert status(DBTaskResult, queued.id) == "READY"

        second = start("second", "--worker-id", next_worker)
        wait_until(lambda: status(ImportRun, run.pk) == "failed", timeout=120, what="the lost run to be failed")
        wait_until(lambda: status(DBTaskResult, queued.id) == "SUCCESSFUL", timeout=60, what="the queued task")
        assert second.alive()

    failed = ImportRun.objects.get(pk=run.pk)
    assert "stopped before it finished" in failed.errors[0]["message"]
    assert "Nothing was written" in failed.errors[0]["message"] and failed.finished_at is not None
    lost = DBTaskResult.objects.get(pk=slow.id)
    assert lost.status == "FAILED" and lost.exception_class_path == WORKER_LOST
    assert Observation.objects.count() == 0 and StagedObservation.objects.count() == 0
    assert not Edition.objects.filter(label="interrupted").exists()
    assert mark.read_text() == "ran after the kill"
    assert "failed 1 import run(s)" in second.output()
