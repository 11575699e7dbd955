"""Tasks the worker tests queue for a real `coalition worker` process: a slow import and a mark.

`slow_indicator_import` runs the real indicator runner on a reader that yields one value every
`delay` seconds and touches `started` once it has yielded a few (so the test knows the import's
transaction is open and writing); `leave_mark` writes a file, proof that a task queued before
trouble still ran after it.
"""

import time
from pathlib import Path

from django.tasks import task

from coalition.common.actors import SYSTEM
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import DataSource
from coalition.indicators.readers.base import Reader, Value
from coalition.reference.models import ImportRun


class SlowReader(Reader):
    format = "slow"
    title = "A reader that takes its time (tests)"

    def __init__(self, *args, rows: int, delay: float, started: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count, self.delay, self.started = rows, delay, Path(started)

    def rows(self):
        country = self.lookups.countries["KEN"]
        indicator = self.lookups.indicators["internet-use"]
        for number in range(self.count):
            yield Value(number + 2, indicator, country, 1900 + number % 200, float(number))
            if number == 20:
                self.started.write_text("writing")
            time.sleep(self.delay)


@task
def slow_indicator_import(*, run_id: int, rows: int, delay: float, started: str) -> str:
    run = ImportRun.objects.get(pk=run_id)
    source = DataSource.objects.get(code="itu-datahub")
    reader = SlowReader("slow.csv", source=source, rows=rows, delay=delay, started=started)
    return indicator_import(actor=SYSTEM, reader=reader, source=source, edition_label="interrupted", run=run).status


@task
def leave_mark(*, path: str, text: str) -> str:
    Path(path).write_text(text)
    return text


def interrupted_import_queued(folder: Path, *, rows: int, delay: float, mark_text: str):
    """A slow import queued with its run (the run knows its task), and a quick task queued behind
    it; returns (run, slow task, queued task, file that appears once the import writes, mark file)."""
    writing, mark = folder / "writing", folder / "mark"
    run = ImportRun.objects.create(kind="indicators:itu-datahub", source="slow.csv", edition="interrupted")
    slow = slow_indicator_import.enqueue(run_id=run.pk, rows=rows, delay=delay, started=str(writing))
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(slow.id))
    queued = leave_mark.enqueue(path=str(mark), text=mark_text)
    return run, slow, queued, writing, mark
