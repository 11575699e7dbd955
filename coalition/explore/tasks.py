"""Background tasks of the public figures (Django's task framework; run by `coalition worker`)."""

from django.conf import settings
from django.tasks import task, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import translation

from coalition.common.asof import as_of_now
from coalition.explore.daily import tallies_for


@task
def tallies_refresh() -> int:
    """Count and store today's tallies if they are not stored (a write deleted them) and draw
    the dashboard's charts of today in every language, so that the next visitor finds both
    ready; returns the number of pledges published now. Queued after every transaction that
    wrote a version.

    Where tasks run at once in the web process (`make demo`: no worker), the charts are left
    for the dashboard's next visitor rather than drawn while the person who wrote waits."""
    from coalition.explore.dashboard import dashboard_charts, dashboard_for

    as_of = as_of_now()
    published = tallies_for(as_of).get("all").pledges
    if isinstance(task_backends["default"], ImmediateBackend):
        return published
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            dashboard_charts(dashboard_for(as_of))
    return published
