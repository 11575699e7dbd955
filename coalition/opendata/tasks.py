"""Background tasks of the open-data files (Django's task framework; run by `coalition worker`)."""

from django.tasks import task
from django.utils import timezone

from coalition.common.actors import SYSTEM
from coalition.opendata.models import DumpBuild


@task(takes_context=True)
def dumps_rebuild(context, build_id: int) -> str:
    """Run the queued build `build_id` once it is due; returns what happened. A build already
    taken by `coalition opendata build` (or by an earlier run) is left alone; a build not due yet
    was enqueued on a backend that cannot defer, and waits for the command. The build names this
    task while it runs, so that the worker's reaper fails it if the task dies
    (`services.dump_builds_reap`)."""
    from coalition.opendata.services import dumps_build

    build = DumpBuild.objects.filter(pk=build_id, status=DumpBuild.Status.QUEUED).first()
    if build is None:
        return "taken"
    if build.due_at > timezone.now():
        return "not due"
    built = dumps_build(actor=SYSTEM, reason=build.reason, task_id=str(context.task_result.id))
    return f"built {built.pk}"
