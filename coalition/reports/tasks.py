"""Background tasks of the reports app (Django's task framework; run by `coalition worker`)."""

from django.tasks import task


@task(takes_context=True)
def report_build_task(context, *, build_id: int) -> str:
    """Run the report build `build_id` queued by `services.report_request`; returns its final
    status. The build row says how far it got while it runs, and which task runs it (so that
    the worker's reaper can fail it if this task dies: `services.report_builds_reap`)."""
    from coalition.reports.services import report_run

    return report_run(build_id=build_id, task_id=str(context.task_result.id)).status
