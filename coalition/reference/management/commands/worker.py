"""`coalition worker`: the background worker to run in production.

It is django-tasks-db's `db_worker` (same options, same claim of one task at a time) with what
that command lacks:

- it fails the imports that lost their worker, when it starts, after a database outage and every
  COALITION_WORKER_REAP_EVERY_SECONDS (`reference.runs.import_runs_reap`), then asks the apps
  to fail the builds (reports, open-data dumps) whose task ended without finishing them
  (`common.signals.tasks_reaped`); the tasks it had claimed itself when it was killed are failed
  at once, so give each worker a stable `--worker-id` (e.g. `$(hostname)-1`) for a restart to
  clean up after its predecessor;
- it survives a database outage: instead of exiting on OperationalError / InterfaceError it
  closes its connections, logs, waits (1 s, doubling, at most COALITION_WORKER_RETRY_MAX_SECONDS)
  and reconnects; a task interrupted by the outage is failed with its run once the database is
  back (imports write all or nothing, so it wrote nothing).
"""

import logging
import os
import random
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import close_old_connections, connection, connections
from django.db.utils import InterfaceError, OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from coalition.common import signals
from coalition.reference.runs import import_runs_reap

logger = logging.getLogger("coalition.worker")

DATABASE_ERRORS = (OperationalError, InterfaceError)


class ResilientWorker(Worker):
    def __init__(self, *, reap_every: float, retry_max: float, **options):
        super().__init__(**options)
        self.reap_every = reap_every
        self.retry_max = retry_max
        self.next_reap = 0.0  # at once

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s; lost imports reaped every %ss",
                    self.worker_id, ",".join(self.queue_names), self.reap_every)
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spreads workers started together
        while self.running:
            outcome = self.guarded(self.step)
            if outcome is None:
                continue  # the database was away; it is back
            ran, retrieved = outcome
            if self.batch and retrieved and not ran:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran the maximum of %d tasks on worker_id=%s - exiting.", self._run_tasks, self.worker_id)
                return
            if self.running and not ran:
                time.sleep(self.interval)

    def step(self) -> tuple[bool, bool]:
        """Reap when it is time, then claim and run one task: (ran a task, could look for one)."""
        close_old_connections()
        if time.monotonic() >= self.next_reap:
            self.reap()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        task_result, retrieved = None, True
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)  # so no other worker runs it
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            task_result, retrieved = None, False  # SQLite busy with another writer: try again
        if task_result is not None:
            self.run_task(task_result)
        close_old_connections()
        return task_result is not None, retrieved

    def reap(self) -> None:
        self.next_reap = time.monotonic() + self.reap_every
        try:
            reaped = import_runs_reap(worker_id=self.worker_id)
            # Then each app's builds whose task the reaper, or a crash, ended without them finishing.
            builds = sum(count or 0 for _receiver, count in signals.tasks_reaped.send(sender=type(self)))
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            logger.info("Reaper: the database is busy with another write; trying again in %ss", self.reap_every)
            return
        if reaped["runs"] or reaped["tasks"] or builds:
            logger.warning("Reaper: failed %d import run(s), %d task(s) and %d build(s) that had lost their worker",
                           reaped["runs"], reaped["tasks"], builds)

    def guarded(self, step):
        """`step()`, or None after waiting out a database outage it ran into."""
        try:
            return step()
        except DATABASE_ERRORS as exc:
            self.wait_for_database(exc)
            return None

    def wait_for_database(self, error: Exception) -> None:
        logger.error("Database unavailable (%s: %s). The worker keeps running and reconnects.",
                     type(error).__name__, str(error).strip())
        delay = 1.0
        while self.running:
            _close_connections()
            logger.warning("Reconnecting to the database in %.0fs", delay)
            time.sleep(delay)
            try:
                connection.ensure_connection()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            except DATABASE_ERRORS as exc:
                logger.warning("Database still unavailable (%s: %s)", type(exc).__name__, str(exc).strip())
                delay = min(delay * 2, self.retry_max)
                continue
            logger.warning("Database reachable again; failing what the outage interrupted, then back to work")
            self.next_reap = 0.0  # the task cut off by the outage (if any) is this worker's: fail it now
            return


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DATABASE_ERRORS:
            conn.connection = None  # already gone; the next query opens a fresh one


class Command(DbWorkerCommand):
    help = ("Run the background worker: django-tasks-db's db_worker that also fails imports which lost their "
            "worker and survives database outages.")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))
        logger.setLevel(logging.INFO if verbosity <= 1 else logging.DEBUG)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        if reload and batch:
            logger.warning("--reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        worker = ResilientWorker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=excluded,
            reap_every=settings.COALITION_WORKER_REAP_EVERY_SECONDS, retry_max=settings.COALITION_WORKER_RETRY_MAX_SECONDS,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process that runs tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
