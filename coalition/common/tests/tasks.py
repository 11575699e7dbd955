"""Rows of background tasks for tests of the code that watches them (reapers)."""

from django_tasks_db.models import DBTaskResult, get_date_max


def make_task_result(status, *, task_path: str, worker: str | None = "worker-a", started=None) -> DBTaskResult:
    """A background task's row as django-tasks-db keeps it, in `status`, claimed by `worker`."""
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path=task_path, backend_name="default",
        run_after=get_date_max(), status=status, worker_ids=[worker] if worker else [], started_at=started)
