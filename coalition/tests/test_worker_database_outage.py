"""A short PostgreSQL outage: the worker's connections are cut and the test database refuses new
ones for a few seconds. django-tasks-db's own `db_worker` exits; `coalition worker` waits, comes
back, fails the import the outage cut off (nothing written) and runs the task queued before it."""

import time

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from coalition.indicators.models import Observation, StagedObservation
from coalition.reference.models import ImportRun
from coalition.tests.worker_tasks import interrupted_import_queued
from coalition.tests.workers import wait_until, workers

pytestmark = pytest.mark.django_db(transaction=True)
APPLICATION = "coalition-outage-test"


@pytest.fixture
def outage():
    """(start, end) of an outage of the test database, ended in any case."""
    if connection.vendor != "postgresql":
        pytest.skip("cutting and refusing connections is PostgreSQL's")
    import psycopg
    from psycopg import sql

    settings = connection.settings_dict
    name = settings["NAME"]
    assert name.startswith("test_"), "only ever the test database"
    admin = psycopg.connect(dbname="postgres", host=settings.get("HOST") or "127.0.0.1",
                            port=settings.get("PORT") or 5432, user=settings.get("USER") or None,
                            password=settings.get("PASSWORD") or None, autocommit=True)
    allow = sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}")

    def start():
        admin.execute(allow.format(sql.Identifier(name), sql.SQL("false")))
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND application_name = %s", [name, APPLICATION])

    def end():
        admin.execute(allow.format(sql.Identifier(name), sql.SQL("true")))

    try:
        yield start, end
    finally:
        end()
        admin.close()


def test_the_worker_survives_a_database_outage_and_loses_no_queued_task(
        outage, catalogue, countries, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    begin, end = outage
    # Fast enough that the COPY sends data (and meets the cut connection) every second or so.
    run, slow, queued, writing, mark = interrupted_import_queued(
        tmp_path, rows=1_000_000, delay=0.001, mark_text="ran after the outage")

    with workers(tmp_path, PGAPPNAME=APPLICATION, COALITION_WORKER_RETRY_MAX_SECONDS="1",
                 COALITION_WORKER_REAP_EVERY_SECONDS="1") as start:
        ours = start("worker", "--worker-id", "outage-1")
        wait_until(writing.exists, timeout=120, what="the import to be writing in its transaction")
        plain = start("db_worker", "--queue-name", "elsewhere", command="db_worker")
        plain.wait_for_output("Starting worker", timeout=60)

        begin()
        ours.wait_for_output("Database unavailable", timeout=30)
        wait_until(lambda: not plain.alive(), timeout=30, what="django-tasks-db's db_worker to give up")
        time.sleep(3)  # several attempts to reconnect, all refused
        assert ours.alive() and "Database still unavailable" in ours.output()
        end()

        ours.wait_for_output("Database reachable again", timeout=30)
        wait_until(lambda: ImportRun.objects.get(pk=run.pk).status == "failed", timeout=60,
                   what="the interrupted run to be failed")
        wait_until(lambda: DBTaskResult.objects.get(pk=queued.id).status == "SUCCESSFUL", timeout=60,
                   what="the task queued before the outage")
        assert ours.alive()

    assert plain.process.returncode not in (None, 0)
    failed = ImportRun.objects.get(pk=run.pk)
    assert "Nothing was written" in failed.errors[0]["message"]
    assert DBTaskResult.objects.get(pk=slow.id).status == "FAILED"
    assert Observation.objects.count() == 0 and StagedObservation.objects.count() == 0
    assert mark.read_text() == "ran after the outage"
