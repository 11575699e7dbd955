"""What became of background tasks, for the apps that record a task's work in rows of their own
(a report build, an open-data dump build) and must not leave such a row "running" for ever when
the worker running it died (`signals.tasks_reaped`)."""

from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

ENDED = (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)


def tasks_ended(task_ids) -> set[str]:
    """The ids among `task_ids` whose task will never run again: it ended (failed, or finished
    without its row being finished, which only a crash between the two does), or it no longer
    exists. Queued and running tasks are not among them."""
    task_ids = {str(task_id) for task_id in task_ids if task_id}
    alive = {str(pk) for pk in DBTaskResult.objects.filter(pk__in=task_ids).exclude(status__in=ENDED)
             .values_list("pk", flat=True)}
    return task_ids - alive
