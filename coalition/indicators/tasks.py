"""Background tasks of the indicators app (Django's task framework; run by `coalition worker`)."""

from django.tasks import task

from coalition.common.actors import SYSTEM
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import DataSource, Indicator
from coalition.indicators.readers import reader_for
from coalition.reference.models import ImportRun


@task
def import_indicator_file(*, run_id: int, path: str, format: str, source: str, edition: str,
                          indicator: str = "", name: str = "") -> str:
    """Run the import the admin prepared as ImportRun `run_id` and return its final status.

    `source` and `indicator` are codes; `name` is the file name the user uploaded.
    """
    run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    data_source = DataSource.objects.get(code=source)
    chosen = Indicator.objects.get(code=indicator) if indicator else None
    reader = reader_for(format, path, source=data_source, indicator=chosen, name=name or path)
    # The run was created by `indicator_import_upload`, which checked its starter; a starter
    # deleted since does not stop the import they were allowed to start.
    actor = run.started_by or SYSTEM
    return indicator_import(actor=actor, reader=reader, source=data_source, edition_label=edition, run=run).status


@task
def refresh_public_data(*, monthly: bool = False) -> str:
    """Fetch the public data from its publishers and load it (`refresh.refresh`); with `monthly`,
    queue the next run for 03:00 UTC on the first day of next month (`refresh.schedule_monthly`)."""
    from coalition.indicators.refresh import refresh, schedule_monthly

    if monthly:  # first, so a run that fails does not end the cycle
        schedule_monthly()
    outcomes = refresh()
    failed = [outcome.publisher.label for outcome in outcomes if outcome.error]
    fetched = len(outcomes) - len(failed)
    return f"{fetched} publisher{'s' if fetched != 1 else ''} fetched" + (f"; failed: {', '.join(failed)}" if failed else "")
