"""Backups: an archive restored into a fresh database gives back every row of every table and
every uploaded file, on SQLite and on PostgreSQL; a damaged archive, a database that already
holds data and an archive of the other database vendor are refused, and nothing is changed.

The tests commit (pg_dump reads committed data from its own connection), so they run in
transactional mode; a fresh database is a new SQLite file, or on PostgreSQL a new database
(emptied before each test, dropped after the module).
"""

import datetime
import hashlib
import io
import json
import tarfile
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

import coalition.indicators
from coalition.common.actors import SYSTEM
from coalition.common.backups import BackupError, backup_create, backup_restore, backup_verify
from coalition.common.backups.databases import connection_to
from coalition.indicators.importing import indicator_import_upload
from coalition.indicators.models import DataSource
from coalition.pledges.models import Pledge
from coalition.reporting.services import report_accept, report_create, report_submit

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
TIDY = Path(coalition.indicators.__file__).parent / "tests" / "data" / "tidy.csv"
OTHER_VENDOR = {"sqlite": ("postgresql", "database/coalition.pgdump"),
                "postgresql": ("sqlite", "database/coalition.sqlite3")}


@pytest.fixture
def site(settings, tmp_path, published, pledger_a, reviewer, catalogue, countries):
    """A registry with a published pledge, an accepted report with an evidence file, and an
    indicator file imported through the administration's upload (kept under MEDIA_ROOT/imports)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": timezone.localdate(),
        "implementation_status": "on_track", "share_delivered": "40",
        "disbursed_amount": "250000.50", "disbursed_currency": "EUR", "disbursed_year": 2022,
        "narrative": "120 écoles connectées.", "challenges": "",
        "targets": [{"target": published.targets.get(), "actual_value": "120"}],
        "evidence": [{"kind": "file", "title": "Completion certificate",
                      "file": SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")}],
    })
    report_submit(actor=pledger_a, report=report)
    report_accept(actor=reviewer, report=report, verification_level="documented")
    run = indicator_import_upload(actor=SYSTEM, upload=SimpleUploadedFile("tidy.csv", TIDY.read_bytes()),
                                  format="tidy", source=DataSource.objects.get(code="itu-datahub"),
                                  edition_label="2025-12")
    assert run.status == "succeeded", run.errors
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def spare_database(django_db_setup, django_db_blocker):
    """On PostgreSQL, a database of the module's own beside the test database, dropped after
    the module (creating and dropping one per test costs a checkpoint each)."""
    if connection.vendor != "postgresql":
        yield None
        return
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    quoted = connection.ops.quote_name(name)
    with django_db_blocker.unblock():
        with connection_to(connection.settings_dict) as server, server.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quoted}")
        try:
            yield name
        finally:
            with connection_to(connection.settings_dict) as server, server.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


@pytest.fixture
def fresh_database(tmp_path, spare_database):
    """The name of an empty database of the test database's vendor: a new SQLite file, or the
    module's PostgreSQL database emptied."""
    if spare_database is None:
        return str(tmp_path / "restored.sqlite3")
    with connection_to(connection.settings_dict, name=spare_database) as spare, spare.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return spare_database


def every_row(name: str | None = None) -> dict[str, list]:
    """Every table of the test database (or of the database `name`) and its rows as the driver
    returns them, sorted."""
    with connection_to(connection.settings_dict, name=name) as database, database.cursor() as cursor:
        rows = {}
        for table in database.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {database.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def every_file(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def rewritten(archive: Path, destination: Path, change) -> Path:
    """A copy of `archive` with each member's bytes passed through change(name, data)."""
    with tarfile.open(archive) as source, tarfile.open(destination, "w") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return destination


def with_manifest(archive: Path, destination: Path, edit) -> Path:
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return rewritten(archive, destination, change)


def test_a_backup_restored_into_a_fresh_database_gives_back_every_row_and_every_file(site, tmp_path, fresh_database):
    before = every_row()
    for table in ["pledges_pledge", "pledges_historicalpledge", "pledges_progressreport", "pledges_evidence",
                  "indicators_observation", "accounts_user", "django_migrations"]:
        assert before[table], f"{table} should hold rows for the comparison to mean something"
    files = every_file(site)
    assert {path.split("/")[0] for path in files} == {"evidence", "imports"}

    backup = backup_create(path=tmp_path / "site.tar")
    restore = backup_restore(archive=backup.path, into=fresh_database, media_root=tmp_path / "restored-media")

    assert restore.problems == []
    assert every_row(fresh_database) == before
    assert every_file(tmp_path / "restored-media") == files


def test_the_manifest_describes_every_table_and_file(site, tmp_path):
    backup = backup_create(path=tmp_path / "site.tar.gz")

    with tarfile.open(backup.path) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert manifest == backup.manifest
    assert manifest["format"] == "coalition-backup" and manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor and manifest["platform_version"]
    assert datetime.datetime.fromisoformat(manifest["created_at"]).tzinfo == datetime.UTC
    assert manifest["tables"]["pledges_pledge"]["rows"] == Pledge.objects.count() == 1
    assert manifest["database"]["migrations"]["pledges"].startswith("00")
    evidence = next(path for path in manifest["media"] if path.startswith("evidence/"))
    assert manifest["media"][evidence] == {"size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}
    assert set(names) == {"manifest.json", manifest["database"]["file"], *("media/" + path for path in manifest["media"])}
    assert backup.path.stat().st_mode & 0o077 == 0


def test_verify_accepts_an_intact_archive_and_names_what_was_tampered_with(site, tmp_path):
    backup = backup_create(path=tmp_path / "site.tar")
    check = backup_verify(archive=backup.path)
    assert check.problems == [] and check.checked

    def flip_evidence(name, data):
        return data.replace(b"PDF-1.7", b"PDF-1.8") if name.startswith("media/evidence/") else data

    evidence = rewritten(backup.path, tmp_path / "evidence.tar", flip_evidence)
    [problem] = backup_verify(archive=evidence).problems
    assert problem.startswith("media/evidence/") and "SHA-256" in problem

    def cut_dump(name, data):
        return data[:-100] if name.startswith("database/") else data

    [problem] = backup_verify(archive=rewritten(backup.path, tmp_path / "dump.tar", cut_dump)).problems
    assert problem.startswith("database/coalition.") and "bytes" in problem

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(backup.path.read_bytes()[:2048])
    with pytest.raises(BackupError, match="truncated|no manifest.json"):
        backup_verify(archive=truncated)


def test_a_manifest_whose_row_counts_lie_is_caught(site, tmp_path, fresh_database):
    backup = backup_create(path=tmp_path / "site.tar")

    def lie(manifest):
        manifest["tables"]["pledges_pledge"]["rows"] = 2

    archive = with_manifest(backup.path, tmp_path / "lying.tar", lie)
    if connection.vendor == "sqlite":  # the dump itself is read back without a database
        assert backup_verify(archive=archive).problems == ["table pledges_pledge has 1 rows, the backup 2"]
    else:  # pg_restore reads only the dump's table of contents: the restore's verification catches it
        assert backup_verify(archive=archive).problems == []
    restore = backup_restore(archive=archive, into=fresh_database, media_root=tmp_path / "restored-media")
    assert restore.problems == ["table pledges_pledge has 1 rows, the backup 2"]


def test_a_damaged_archive_is_refused_and_the_target_is_left_untouched(site, tmp_path, fresh_database):
    backup = backup_create(path=tmp_path / "site.tar")
    damaged = rewritten(backup.path, tmp_path / "damaged.tar",
                        lambda name, data: data[:-1] + b"!" if name.startswith("database/") else data)

    with pytest.raises(BackupError, match="damaged; nothing was restored"):
        backup_restore(archive=damaged, into=fresh_database, media_root=tmp_path / "restored-media")

    assert every_row(fresh_database) == {}
    assert every_file(tmp_path / "restored-media") == {}


def test_a_dump_the_database_cannot_read_changes_nothing_even_when_forced(site, tmp_path):
    """The manifest agrees with the broken dump (as if the backup had gone wrong): SQLite's
    integrity check refuses it before the load; pg_restore fails at the last table's data, after
    psql has dropped and recreated the tables, and psql's transaction is abandoned."""
    backup = backup_create(path=tmp_path / "site.tar")
    with tarfile.open(backup.path) as archive:
        dump = archive.extractfile(backup.manifest["database"]["file"]).read()
    if connection.vendor == "sqlite":
        # The schema page's b-tree header, right after the file header: always read, so always
        # found damaged (the file's last bytes may be free space, which no check reads).
        broken = dump[:100] + bytes(200) + dump[300:]
    else:
        broken = dump[:-200] + bytes(200)  # the last table's data

    def agree(manifest):
        manifest["database"] |= {"size": len(broken), "sha256": hashlib.sha256(broken).hexdigest()}

    archive = with_manifest(backup.path, tmp_path / "agreed.tar", agree)
    archive = rewritten(archive, tmp_path / "broken.tar",
                        lambda name, data: broken if name.startswith("database/") else data)
    before = every_row()

    with pytest.raises(BackupError, match="nothing was restored|unchanged"):
        backup_restore(archive=archive, force=True)

    assert every_row() == before


def test_restore_refuses_a_database_that_holds_data_unless_forced(site, tmp_path, pledger_a):
    backup = backup_create(path=tmp_path / "site.tar")
    Pledge.objects.filter().update(title="Changed after the backup")
    (site / "later.txt").write_text("written after the backup")

    with pytest.raises(BackupError, match="already holds data.*--force"):
        backup_restore(archive=backup.path)
    assert Pledge.objects.get().title == "Changed after the backup"

    restore = backup_restore(archive=backup.path, force=True)

    assert restore.problems == []
    assert Pledge.objects.get().title == "Connect 500 rural schools"
    assert any("later.txt" in note and "left in place" in note for note in restore.notes)
    assert (site / "later.txt").is_file()


def test_restore_refuses_a_media_folder_that_holds_files(site, tmp_path, fresh_database):
    backup = backup_create(path=tmp_path / "site.tar")

    with pytest.raises(BackupError, match="media folder .* already holds files"):
        backup_restore(archive=backup.path, into=fresh_database, media_root=site)
    assert every_row(fresh_database) == {}


def test_an_archive_of_the_other_database_vendor_is_refused(site, tmp_path, fresh_database):
    backup = backup_create(path=tmp_path / "site.tar")
    vendor, dump = OTHER_VENDOR[connection.vendor]

    def other_vendor(manifest):
        manifest["database"] |= {"vendor": vendor, "file": dump}

    archive = with_manifest(backup.path, tmp_path / "other.tar", other_vendor)
    with pytest.raises(BackupError, match=f"holds a {vendor} database .* not supported"):
        backup_restore(archive=archive, into=fresh_database, media_root=tmp_path / "restored-media")
    assert every_row(fresh_database) == {}


def test_an_existing_file_is_never_overwritten_and_the_name_says_what_it_is(site, tmp_path):
    existing = tmp_path / "site.tar"
    existing.write_bytes(b"an older backup")
    with pytest.raises(BackupError, match="already exists"):
        backup_create(path=existing)
    assert existing.read_bytes() == b"an older backup"
    with pytest.raises(BackupError, match="must end in .tar"):
        backup_create(path=tmp_path / "site.zip")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["media", "site.tar"]


def test_the_commands_back_up_verify_and_restore(site, settings, tmp_path, fresh_database):
    settings.COALITION_BACKUP_DIR = tmp_path / "backups"
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 1, 31, 2, 15, tzinfo=datetime.UTC), tick=False):
        call_command("backup", stdout=out)
    archive = tmp_path / "backups" / "coalition-backup-20260131T021500Z.tar"
    assert f"to {archive}" in out.getvalue()

    out = io.StringIO()
    call_command("backup", verify=archive, stdout=out)
    assert "The archive is intact." in out.getvalue()

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), stdout=io.StringIO())

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    out = io.StringIO()
    call_command("restore", str(archive), into=fresh_database, stdout=out)
    assert "Verified: every table's rows and every file match the backup." in out.getvalue()
    assert every_row(fresh_database) == every_row()
