"""Building the full open-data dumps, and asking for a rebuild after changes.

Every transaction that writes a public version (a pledge, partner, entity or report), a bulk
registry write, a membership change or a finished import asks, once it commits, for a rebuild
(`dumps_rebuild_soon`). Asking while a build is already queued joins that build, and a queued
build waits COALITION_OPENDATA_REBUILD_DELAY_SECONDS before it runs, so a burst of writes builds
once. Where the task backend cannot defer (the immediate backend of `make demo` and the tests),
a queued build with a delay is left for `coalition opendata build`.
"""

import datetime
import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.tasks import task_backends
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.roles import user_is_reviewer
from coalition.common.actors import SYSTEM, person
from coalition.common.asof import as_of_now
from coalition.common.tasks import rows_whose_task_ended
from coalition.explore.registry import LiveRegistry
from coalition.opendata.datapackage import DESCRIPTOR_NAME, ZIP_NAME, PackagedFile, datapackage_write
from coalition.opendata.datasets import DATASETS
from coalition.opendata.models import DumpBuild, DumpFile
from coalition.opendata.tables import TABLES, Scope
from coalition.opendata.writers import write_all

logger = logging.getLogger(__name__)


def dumps_dir() -> Path:
    return Path(settings.COALITION_OPENDATA_DIR)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class _Written:
    language: str
    name: str
    dataset: str
    format: str
    table: str
    media_type: str
    path: Path
    rows: int | None


def _datasets_check(datasets: list[str] | None) -> list[str]:
    if not datasets:
        return list(DATASETS)
    unknown = [slug for slug in datasets if slug not in DATASETS]
    if unknown:
        raise ValidationError({"dataset": _("No dataset is called %(names)s; the datasets are %(known)s.") % {
            "names": ", ".join(unknown), "known": ", ".join(DATASETS)}})
    return list(dict.fromkeys(datasets))


def _claim(*, actor, datasets: list[str], reason: str, task_id: str) -> DumpBuild:
    """The queued build, now running (it covers every dataset), or a new running build; either
    names the task running it (`task_id`, blank for a command)."""
    now = timezone.now()
    queued = DumpBuild.objects.filter(status=DumpBuild.Status.QUEUED).first()
    if queued is not None and DumpBuild.objects.filter(pk=queued.pk, status=DumpBuild.Status.QUEUED).update(
        status=DumpBuild.Status.RUNNING, started_at=now, datasets=[], task_id=task_id,
    ):
        queued.refresh_from_db()
        return queued
    return DumpBuild.objects.create(status=DumpBuild.Status.RUNNING, reason=reason, datasets=datasets,
                                    requested_by=person(actor), due_at=now, started_at=now, task_id=task_id)


def _write_dataset(dataset, *, scope: Scope, directory: Path, as_of) -> list[_Written]:
    written = []
    for fmt in dataset.available_formats():
        parts = [(table, [table]) for table in dataset.tables] if fmt.per_table else [(None, dataset.tables)]
        for table, tables in parts:
            name = fmt.file_for(dataset, table)
            path = directory / name
            with path.open("wb") as stream:
                rows = write_all(fmt.write(dataset=dataset, tables=tables, scope=scope, stream=stream,
                                           as_of=as_of.moment))
            written.append(_Written(scope.language, name, dataset.slug, fmt.slug, table.name if table else "",
                                    fmt.media_type, path, rows))
    return written


def _carry(current: DumpFile, directory: Path) -> _Written:
    """A current file this build does not rewrite, linked into the build's directory."""
    source, target = dumps_dir() / current.path, directory / current.name
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return _Written(current.language, current.name, current.dataset, current.format, current.table,
                    current.media_type, target, current.rows)


def dumps_build(*, actor, datasets: list[str] | None = None, reason: str = "command", task_id: str = "") -> DumpBuild:
    """Write the dumps of `datasets` (all when empty) in every format and language, and the data
    package, into a new directory; on success record each file with its size and SHA-256 as the
    current one and delete the files of earlier builds.

    Runs the queued build if there is one (it then covers every dataset). Files of datasets not
    rebuilt are carried into the new directory unchanged. A failed build is recorded with its
    error, its directory removed, and the error raised; the current files stay as they were.
    `actor`: SYSTEM (the task, the command) or a secretariat member; `task_id`: the background
    task running it (blank otherwise).
    """
    if actor is not SYSTEM and not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat rebuilds the open-data files."))
    datasets = _datasets_check(datasets)
    build = _claim(actor=actor, datasets=[] if datasets == list(DATASETS) else datasets, reason=reason, task_id=task_id)
    datasets = build.datasets or list(DATASETS)
    root = dumps_dir() / f"build-{build.pk}"
    as_of = as_of_now()
    try:
        written = _build_files(datasets=datasets, root=root, as_of=as_of)
        with transaction.atomic():
            DumpFile.objects.all().delete()
            DumpFile.objects.bulk_create(
                DumpFile(build=build, language=item.language, name=item.name, dataset=item.dataset,
                         format=item.format, table=item.table, media_type=item.media_type,
                         path=str(item.path.relative_to(dumps_dir())), size=item.path.stat().st_size,
                         sha256=file_sha256(item.path), rows=item.rows)
                for item in written
            )
            build.status, build.finished_at, build.as_of = DumpBuild.Status.SUCCEEDED, timezone.now(), as_of.moment
            build.save(update_fields=["status", "finished_at", "as_of"])
    except Exception as error:
        shutil.rmtree(root, ignore_errors=True)
        DumpBuild.objects.filter(pk=build.pk).update(status=DumpBuild.Status.FAILED, finished_at=timezone.now(),
                                                     error=f"{type(error).__name__}: {error}"[:5000])
        raise
    _forget_older(build)
    return build


def _forget_older(build: DumpBuild) -> None:
    """Delete the folders of earlier builds, but not of one still running (a command and the
    worker building at once): its own end deletes this one's."""
    running = set(DumpBuild.objects.filter(status=DumpBuild.Status.RUNNING).values_list("pk", flat=True))
    for old in dumps_dir().glob("build-*"):
        number = old.name.removeprefix("build-")
        if number != str(build.pk) and not (number.isdigit() and int(number) in running):
            shutil.rmtree(old, ignore_errors=True)


def _build_files(*, datasets: list[str], root: Path, as_of) -> list[_Written]:
    """Every language's files of `datasets`, then each language's data package. Dataset by
    dataset in DATASETS' order, each in every language: the indicators come last, so the SDMX
    structure's library (42 MiB once imported, and never unloaded) is not yet in memory while
    the pledges stream."""
    current = list(DumpFile.objects.all())
    pledges = LiveRegistry(as_of).pledges()
    languages = [language for language, _name in settings.LANGUAGES]
    for language in languages:
        (root / language).mkdir(parents=True, exist_ok=True)
    fresh: dict[str, list[_Written]] = {language: [] for language in languages}
    for slug in sorted(datasets, key=list(DATASETS).index):
        for language in languages:
            scope = Scope(pledges=pledges, language=language, today=as_of.date)
            fresh[language] += _write_dataset(DATASETS[slug], scope=scope, directory=root / language, as_of=as_of)
    written: list[_Written] = []
    for language in languages:
        directory, made = root / language, fresh[language]
        names = {item.name for item in made} | {DESCRIPTOR_NAME, ZIP_NAME}
        made += [_carry(item, directory) for item in current
                 if item.language == language and item.name not in names and item.dataset in DATASETS]
        tables = [item for item in made if item.format == "csv" and item.table in TABLES]
        if {item.table for item in tables} == set(TABLES):
            packaged = [PackagedFile(table=TABLES[item.table], path=item.path, size=item.path.stat().st_size,
                                     sha256=file_sha256(item.path)) for item in tables]
            descriptor, archive = datapackage_write(files=packaged, directory=directory, language=language,
                                                    as_of=as_of.moment)
            made += [
                _Written(language, DESCRIPTOR_NAME, "", "datapackage", "", "application/json", descriptor, None),
                _Written(language, ZIP_NAME, "", "datapackage-zip", "", "application/zip", archive, None),
            ]
        written += made
    return written


def dumps_rebuild_request(*, actor, reason: str = "button") -> DumpBuild | None:
    """Queue a rebuild of every dataset (the secretariat's button): joins a queued build, or
    queues one due now. Returns the queued build (None when one was already running and
    another was queued meanwhile by someone else)."""
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat rebuilds the open-data files."))
    return _queue(reason=reason, delay=0, actor=actor)


def dumps_rebuild_soon() -> None:
    """Ask for a rebuild once the current transaction commits (once per transaction)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _queue_after_changes for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_queue_after_changes)


def _queue_after_changes() -> None:
    _queue(reason="changes", delay=settings.COALITION_OPENDATA_REBUILD_DELAY_SECONDS, actor=SYSTEM)


def _queue(*, reason: str, delay: int, actor) -> DumpBuild | None:
    from coalition.opendata.tasks import dumps_rebuild

    queued = DumpBuild.objects.filter(status=DumpBuild.Status.QUEUED).first()
    if queued is not None:
        if delay == 0 and queued.due_at > timezone.now():
            DumpBuild.objects.filter(pk=queued.pk).update(due_at=timezone.now())
            queued.refresh_from_db()
            _enqueue(dumps_rebuild, queued)
        return queued
    try:
        with transaction.atomic():
            queued = DumpBuild.objects.create(
                status=DumpBuild.Status.QUEUED, reason=reason, requested_by=person(actor),
                due_at=timezone.now() + datetime.timedelta(seconds=delay),
            )
    except IntegrityError:  # queued meanwhile by another process
        return DumpBuild.objects.filter(status=DumpBuild.Status.QUEUED).first()
    _enqueue(dumps_rebuild, queued)
    return queued


def _enqueue(task, build: DumpBuild) -> None:
    backend = task_backends[task.backend]
    if backend.supports_defer and build.due_at > timezone.now():
        task.using(run_after=build.due_at).enqueue(build_id=build.pk)
    else:
        task.enqueue(build_id=build.pk)


def dump_builds_reap() -> int:
    """Fail the builds running in a background task that ended, or vanished, without finishing
    them (the worker was killed, crashed or lost the database: its reaper failed the task);
    returns how many. The current files stay as they were, and the next build removes the lost
    one's folder. Called by `coalition worker` each time it reaps (`common.signals.tasks_reaped`).
    Queued builds are left for the next task or command to take, and a build a command runs has
    no task."""
    lost = rows_whose_task_ended(DumpBuild.objects.filter(status=DumpBuild.Status.RUNNING))
    if not lost:
        return 0
    failed = DumpBuild.objects.filter(pk__in=lost, status=DumpBuild.Status.RUNNING).update(
        status=DumpBuild.Status.FAILED, finished_at=timezone.now(),
        error=_("The background worker writing these files stopped before it finished (it was stopped, crashed or "
                "lost the database). The files published before stay as they were."))
    logger.warning("Open-data builds %s lost their task; marked failed", ", ".join(map(str, lost)))
    return failed
