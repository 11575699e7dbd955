"""Background tasks of the reports app (Django's task framework; run by `coalition worker`)."""

from django.tasks import task


@task
def report_build_task(*, build_id: int) -> str:
    """Run the report build `build_id` queued by `services.report_request`; returns its final
    status. The build row says how far it got while it runs."""
    from coalition.reports.services import report_run

    return report_run(build_id=build_id).status
