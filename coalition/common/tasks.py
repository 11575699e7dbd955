"""What became of background tasks, for the apps that record a task's work in rows of their own
(a report build, an open-data dump build) and must not leave such a row "running" for ever when
the worker running it died (`signals.tasks_reaped`)."""

from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

ENDED = (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)


def rows_whose_task_ended(rows) -> list:
    """The primary keys of `rows` (a queryset of a model with a `task_id` column) whose task
    will never run again: it ended (failed, or finished without its row being finished, which
    only a crash between the two does), or it no longer exists. Rows with no task (run by a
    command) and rows whose task is queued or running are not among them."""
    waiting = dict(rows.exclude(task_id="").values_list("pk", "task_id"))
    alive = {str(pk) for pk in DBTaskResult.objects.filter(pk__in=set(waiting.values())).exclude(status__in=ENDED)
             .values_list("pk", flat=True)}
    return [pk for pk, task_id in waiting.items() if task_id not in alive]


def queued(task) -> bool:
    """Whether `task` (a django.tasks Task) is already waiting to run (now or later)."""
    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).exists()
