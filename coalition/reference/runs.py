"""Import runs that lost their worker: the heartbeat a run keeps, and the reaper that fails the rest.

Every import writes all or nothing in one transaction, so a worker killed in the middle (kill -9,
out of memory, a machine restart, a database outage) has written nothing; but its ImportRun
stays `running` and its task RUNNING, and nothing else would ever finish them. So:

- a running import keeps a heartbeat (`Heartbeat`, stamped on `ImportRun.heartbeat_at` at most
  every COALITION_IMPORT_HEARTBEAT_SECONDS while it reads, and at the start and end of its write
  transaction). Inside that transaction the stamp is not visible to others until it commits, but
  the transaction itself holds the run's row (PostgreSQL) or the database's write lock (SQLite),
  and the reaper never touches a run held that way: a live import is never reaped.
- `import_runs_reap` fails every running run with no sign of life for
  COALITION_IMPORT_STALE_AFTER_SECONDS (and at once the runs and tasks of the worker that calls
  it, which knows it is running none of them), with a reason saying that nothing was written.
  Queued runs (their task not started yet) are left alone. `coalition worker` calls it when it
  starts, after a database outage, and every COALITION_WORKER_REAP_EVERY_SECONDS.
"""

import datetime
import logging
import time
import uuid

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from coalition.reference.models import ImportRun

logger = logging.getLogger(__name__)

# What a reaped task records as its exception, so the admin's task list says why it failed.
WORKER_LOST = "coalition.reference.runs.WorkerLost"


class Heartbeat:
    """Call it as often as you like while an import works; it stamps the run's heartbeat at most
    every COALITION_IMPORT_HEARTBEAT_SECONDS (`beat()` stamps now)."""

    def __init__(self, run: ImportRun):
        self.run_id = run.pk
        self.every = settings.COALITION_IMPORT_HEARTBEAT_SECONDS
        self.last: float | None = None

    def __call__(self, *_progress) -> None:
        if self.last is None or time.monotonic() - self.last >= self.every:
            self.beat()

    def beat(self) -> None:
        self.last = time.monotonic()
        if connection.in_atomic_block:
            # Inside the import's transaction: it holds the lock, so this cannot wait on anyone.
            ImportRun.objects.filter(pk=self.run_id).update(heartbeat_at=timezone.now())
            return
        try:
            ImportRun.objects.filter(pk=self.run_id).update(heartbeat_at=timezone.now())
        except DatabaseError as exc:  # SQLite busy with another import's write: the next beat will do
            logger.warning("Import run %s: heartbeat not written (%s)", self.run_id, exc)


def worker_lost_reason() -> str:
    return _("The import was interrupted: the background worker running it stopped before it finished (it was "
             "stopped, crashed or lost the database). Nothing was written. Upload the file or run the import again.")


def import_runs_reap(*, worker_id: str = "", now: datetime.datetime | None = None) -> dict[str, int]:
    """Fail the running imports that lost their worker, and the tasks that ran them.

    A run is lost when its task ended without finishing it or no longer exists, or when neither
    the run nor its task has shown a sign of life (heartbeat, task start) for
    COALITION_IMPORT_STALE_AFTER_SECONDS; runs whose task is still queued are left alone, and so
    are runs whose row a live import transaction holds. `worker_id` is the caller's own worker id:
    RUNNING tasks it claimed last are failed at once (a worker calls this only when it runs no
    task), with or without an import run. Returns {"runs": n, "tasks": n} failed. Runs in one
    short transaction; on SQLite it raises OperationalError ("database is locked") while another
    process holds a long write, and the caller tries again later.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.COALITION_IMPORT_STALE_AFTER_SECONDS)
    reason = worker_lost_reason()
    failed_runs, failed_tasks = 0, set()
    with transaction.atomic():
        runs = list(ImportRun.objects.select_for_update(skip_locked=True).filter(status=ImportRun.Status.RUNNING))
        tasks = {str(task.pk): task for task in DBTaskResult.objects.filter(
            pk__in=[_uuid(run.task_id) for run in runs if _uuid(run.task_id)])}
        for run in runs:
            task = tasks.get(str(_uuid(run.task_id))) if run.task_id else None
            if not _lost(run, task, worker_id=worker_id, cutoff=cutoff):
                continue
            run.status, run.finished_at = ImportRun.Status.FAILED, now
            run.errors = [{"sheet": "", "row": None, "column": "", "message": reason}, *run.errors][:200]
            run.save(update_fields=["status", "finished_at", "errors"])
            failed_runs += 1
            logger.warning("Import run %s (%s) lost its worker; marked failed", run.pk, run.kind)
            if task is not None and task.status == TaskResultStatus.RUNNING:
                failed_tasks.add(task.pk)
        if worker_id:
            failed_tasks.update(task.pk for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
                                .only("pk", "worker_ids") if task.worker_ids and task.worker_ids[-1] == worker_id)
        if failed_tasks:
            DBTaskResult.objects.filter(pk__in=failed_tasks, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
                exception_class_path=WORKER_LOST, traceback=reason)
            logger.warning("Tasks %s lost their worker; marked failed", ", ".join(str(pk) for pk in failed_tasks))
    return {"runs": failed_runs, "tasks": len(failed_tasks)}


def _lost(run: ImportRun, task: DBTaskResult | None, *, worker_id: str, cutoff: datetime.datetime) -> bool:
    if run.task_id and task is None:
        return True  # its task was deleted: nothing will ever run or finish it
    if task is not None:
        if task.status == TaskResultStatus.READY:
            return False  # queued: a worker will run it
        if task.status != TaskResultStatus.RUNNING:
            return True  # the task ended (a crash the run could not record) and left the run open
        if worker_id and task.worker_ids and task.worker_ids[-1] == worker_id:
            return True  # the calling worker claimed it, and runs nothing now
    signs = [moment for moment in (run.heartbeat_at, run.started_at, task.started_at if task else None) if moment]
    return max(signs) < cutoff


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except (TypeError, ValueError):
        return None
