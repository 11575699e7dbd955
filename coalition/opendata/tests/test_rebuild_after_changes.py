"""A publication, once committed, queues a rebuild of the open-data files; writes close together
join the queued build; a rolled-back transaction asks for nothing."""

import pytest
from django.db import transaction
from django.utils import timezone

from coalition.common.actors import SYSTEM
from coalition.opendata.models import DumpBuild, DumpFile
from coalition.opendata.services import dumps_build
from coalition.opendata.tasks import dumps_rebuild
from coalition.tests import builders


@pytest.fixture
def fixtures_committed(pledger_a, reviewer, pledge_data):
    """The fixtures' own writes (entities, accounts) asked for a rebuild in the test's one
    transaction; forget that request, as if they had committed before the test began."""
    transaction.get_connection().run_on_commit.clear()


@pytest.mark.django_db(transaction=True)
def test_a_publication_rebuilds_the_files_when_no_delay_is_set(settings, pledger_a, reviewer, pledge_data):
    settings.COALITION_OPENDATA_REBUILD_DELAY_SECONDS = 0
    DumpBuild.objects.all().delete()  # the fixtures' commits queued and built already

    pledge = builders.publish(pledger_a, reviewer, pledge_data)

    # Each of the three steps (create, submit, publish) commits and, with no delay, builds.
    build = DumpBuild.objects.latest("pk")
    assert build.status == DumpBuild.Status.SUCCEEDED and build.reason == "changes"
    assert not DumpBuild.objects.filter(status=DumpBuild.Status.QUEUED).exists()
    item = DumpFile.objects.get(language="en", name="pledges.csv")
    assert item.build_id == build.pk
    assert item.rows == 1
    assert (settings.COALITION_OPENDATA_DIR / item.path).read_text().splitlines()[1].startswith(f"{pledge.pk},")


@pytest.mark.usefixtures("fixtures_committed")
def test_changes_within_the_delay_join_one_queued_build(settings, pledger_a, reviewer, pledge_data,
                                                        django_capture_on_commit_callbacks):
    settings.COALITION_OPENDATA_REBUILD_DELAY_SECONDS = 300

    for index in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            builders.publish(pledger_a, reviewer, {**pledge_data, "title": f"Pledge {index}"})

    queued = DumpBuild.objects.get()
    assert queued.status == DumpBuild.Status.QUEUED and queued.due_at > timezone.now()
    assert dumps_rebuild.enqueue(build_id=queued.pk).return_value == "not due"  # the immediate backend cannot wait


@pytest.mark.usefixtures("fixtures_committed")
def test_the_command_takes_the_queued_build_and_the_late_task_leaves_it(settings, pledger_a, reviewer, pledge_data,
                                                                        django_capture_on_commit_callbacks):
    settings.COALITION_OPENDATA_REBUILD_DELAY_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        builders.publish(pledger_a, reviewer, pledge_data)
    queued = DumpBuild.objects.get()

    built = dumps_build(actor=SYSTEM)

    assert built.pk == queued.pk and built.status == DumpBuild.Status.SUCCEEDED
    assert dumps_rebuild.enqueue(build_id=queued.pk).return_value == "taken"


@pytest.mark.usefixtures("fixtures_committed")
def test_a_transaction_rolled_back_asks_for_nothing(settings, pledger_a, reviewer, pledge_data,
                                                    django_capture_on_commit_callbacks):
    settings.COALITION_OPENDATA_REBUILD_DELAY_SECONDS = 0

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            builders.publish(pledger_a, reviewer, pledge_data)
            raise RuntimeError("rolled back")

    assert not DumpBuild.objects.exists()


@pytest.mark.usefixtures("fixtures_committed")
def test_one_transaction_with_many_versions_asks_once(pledger_a, reviewer, pledge_data,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        builders.publish(pledger_a, reviewer, pledge_data)

    from coalition.opendata.services import _queue_after_changes

    assert [callback for callback in callbacks if callback is _queue_after_changes] == [_queue_after_changes]
