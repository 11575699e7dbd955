"""`coalition data fetch | schedule`: every publisher in turn, one failing leaves the others' files;
the monthly refresh is queued once for the worker."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.common.downloads import DownloadError, Fetched, Manifest, sha256_hex, store
from coalition.indicators import refresh
from coalition.indicators.models import Observation
from coalition.indicators.refresh import Publisher, next_monthly_run


def fake_publisher(key, *, fails=False):
    def fetch(dest, *, get, progress, manifest):
        if fails:
            raise DownloadError(f"could not download https://{key}.example/ after 3 attempts (timed out); are you offline?")
        content = b"country,indicator,year,value\nKEN,SP.POP.TOTL,2024,1\n"
        fetched = Fetched(name=f"{key}/values.csv", kind="indicator", format="tidy", source="wb-wdi", edition="2026-11-01",
                          sha256=sha256_hex(content), url=f"https://{key}.example/")
        return [store(dest, manifest, fetched, content)]
    return Publisher(f"Publisher {key}", "indicator", fetch)


def fetch(*args):
    out = StringIO()
    call_command("data", "fetch", *args, stdout=out)
    return out.getvalue()


def test_fetch_runs_every_publisher_and_a_second_run_finds_the_same_edition_unchanged(monkeypatch, tmp_path):
    monkeypatch.setattr(refresh, "PUBLISHERS", [fake_publisher("one"), fake_publisher("two")])

    first = fetch("--dest", str(tmp_path))
    second = fetch("--dest", str(tmp_path))

    assert "Publisher one: one/values.csv new edition (2026-11-01)" in first
    assert "Publisher two: two/values.csv new edition (2026-11-01)" in first
    assert "Publisher one: one/values.csv unchanged (2026-11-01)" in second
    assert [entry.name for entry in Manifest(tmp_path).of_kind("indicator")] == ["one/values.csv", "two/values.csv"]


def test_one_publisher_failing_leaves_the_others_fetched_and_the_command_fails(monkeypatch, tmp_path):
    monkeypatch.setattr(refresh, "PUBLISHERS", [fake_publisher("down", fails=True), fake_publisher("up")])
    out = StringIO()

    with pytest.raises(CommandError, match="1 of 2 publishers failed"):
        call_command("data", "fetch", "--dest", str(tmp_path), stdout=out)

    assert "Publisher down: failed: could not download https://down.example/" in out.getvalue()
    assert (tmp_path / "up" / "values.csv").exists() and not (tmp_path / "down").exists()


def test_only_picks_the_kind_of_data(monkeypatch, tmp_path):
    reference = Publisher("Reference publisher", "reference", lambda dest, **kw: [])
    monkeypatch.setattr(refresh, "PUBLISHERS", [fake_publisher("values"), reference])

    assert "Publisher values" not in fetch("--dest", str(tmp_path), "--only", "reference")


def test_the_catalogue_names_the_series_each_publisher_fetches():
    assert refresh.catalogue_series("wb-wdi") == ["IT.NET.USER.ZS", "SP.POP.TOTL", "IT.CEL.SETS.P2", "NY.GNP.PCAP.CD"]
    assert "i99H" in refresh.catalogue_series("itu-datahub")


def test_currencies_without_ecb_rates_leave_out_those_the_ecb_quotes():
    missing = refresh.currencies_without_ecb()

    assert {"KES", "NGN", "BDT"} <= missing
    assert not missing & {"EUR", "USD", "GBP", "JPY", "XOF"}


def test_the_monthly_refresh_is_queued_once_for_the_first_of_next_month(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    first, second = StringIO(), StringIO()
    call_command("data", "schedule", stdout=first)
    call_command("data", "schedule", stdout=second)

    queued = DBTaskResult.objects.get(task_path="coalition.indicators.tasks.refresh_public_data")
    assert queued.run_after.day == 1 and queued.run_after.hour == 3
    assert "then on the first day of every month" in first.getvalue()
    assert "already queued; nothing done" in second.getvalue()


def test_scheduling_needs_a_backend_that_can_wait(db):
    with pytest.raises(CommandError, match="needs the database backend"):
        call_command("data", "schedule", stdout=StringIO())


def test_the_next_run_is_the_first_of_the_next_month_even_in_december():
    assert next_monthly_run(datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC)) == datetime.datetime(2027, 1, 1, 3, tzinfo=datetime.UTC)
    assert next_monthly_run(datetime.datetime(2026, 1, 31, tzinfo=datetime.UTC)).month == 2


def test_fetch_then_load_takes_the_downloaded_source_and_the_snapshot_for_the_others(monkeypatch, settings, tmp_path, db):
    settings.COALITION_DATA_DIR, settings.COALITION_DOWNLOAD_DIR = "", tmp_path
    monkeypatch.setattr(refresh, "PUBLISHERS", [fake_publisher("world-bank")])

    out = fetch("--load")

    assert "world-bank/values.csv (wb-wdi 2026-11-01, from the download): 1 value: 1 created" in out
    assert "population.csv (wb-wdi" not in out  # the World Bank's snapshot parts give way to the download
    assert "itu_individuals_using_internet.csv (itu-datahub 2025-12, from the snapshot)" in out
    kenya = Observation.objects.get(indicator__code="population", country__iso3="KEN", year=2024)
    assert (kenya.value, kenya.edition.label) == (1, "2026-11-01")


def test_the_monthly_task_queues_its_next_run_then_fetches_and_loads(monkeypatch, settings, tmp_path, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COALITION_DATA_DIR, settings.COALITION_DOWNLOAD_DIR = "", tmp_path
    monkeypatch.setattr(refresh, "PUBLISHERS", [fake_publisher("world-bank"), fake_publisher("down", fails=True)])
    from django_tasks_db.models import DBTaskResult

    from coalition.indicators.tasks import refresh_public_data

    said = refresh_public_data.call(monthly=True)

    assert said == "1 publisher fetched; failed: Publisher down"
    assert DBTaskResult.objects.filter(task_path="coalition.indicators.tasks.refresh_public_data", status="READY").count() == 1
    assert Observation.objects.filter(indicator__code="population", edition__label="2026-11-01").count() == 1
