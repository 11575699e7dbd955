"""What asks for a rebuild of the open-data files: every change the files could show. Each
receiver only registers one request per transaction, run when it commits
(`services.dumps_rebuild_soon`); a transaction rolled back asks for nothing."""

from coalition.common.intervals import VersionInterval
from coalition.reference.models import ImportRun


def version_written(sender, history_instance, **kwargs) -> None:
    # The versions the public registry is read from: pledges, partners, entities, reports.
    if isinstance(history_instance, VersionInterval):
        _soon()


def changed(sender, **kwargs) -> None:
    _soon()


def import_finished(sender, instance, **kwargs) -> None:
    if instance.status == ImportRun.Status.SUCCEEDED:
        _soon()


def _soon() -> None:
    from coalition.opendata.services import dumps_rebuild_soon

    dumps_rebuild_soon()


def tasks_reaped(sender, **kwargs) -> int:
    from coalition.opendata.services import dump_builds_reap

    return dump_builds_reap()
