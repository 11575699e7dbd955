"""Back up, check and restore a whole site: the database and the uploaded files, as one archive."""

import datetime
import importlib.metadata
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from coalition.common.bulk import tables_analyze

from . import databases
from .archive import (
    DUMPS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SUFFIXES,
    ArchiveWriter,
    BackupError,
    archive_read,
    file_facts,
    manifest_read,
)
from .fingerprints import METHOD, sqlite_fingerprints, tables_compare

# Folders a restore stages its files in, inside MEDIA_ROOT; a backup leaves them out.
STAGING_PREFIX = ".coalition-restore-"


@dataclass(frozen=True)
class Backup:
    """An archive written: where, and its manifest."""

    path: Path
    manifest: dict

    @property
    def rows(self) -> int:
        return sum(table["rows"] for table in self.manifest["tables"].values())


@dataclass
class Check:
    """An archive checked without restoring it: what was checked and what is wrong."""

    archive: Path
    manifest: dict
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Restore:
    """A restore done: what the verification against the manifest found, and notes for the operator."""

    manifest: dict
    database: str
    media_root: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(table["rows"] for table in self.manifest["tables"].values())


def platform_version() -> str:
    try:
        return importlib.metadata.version("coalition")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def backup_archive_path(*, path: Path | None = None, now: datetime.datetime | None = None) -> Path:
    """Where a backup goes: `path` if it names a new archive file, a file named with the UTC time
    in `path` if it is a folder, or in COALITION_BACKUP_DIR when no path is given."""
    name = f"coalition-backup-{(now or datetime.datetime.now(datetime.UTC)):%Y%m%dT%H%M%SZ}.tar"
    if path is None:
        return Path(settings.COALITION_BACKUP_DIR) / name
    path = Path(path)
    if path.is_dir():
        return path / name
    if not path.name.endswith(SUFFIXES):
        raise BackupError(_("The archive's name must end in %(suffixes)s, not %(name)s.")
                          % {"suffixes": ", ".join(SUFFIXES), "name": path.name})
    return path


def backup_create(*, path: Path | None = None, using: str = "default", media_root: Path | None = None) -> Backup:
    """Write one archive with a consistent dump of the database `using`, every file under
    `media_root` (default MEDIA_ROOT) and the manifest describing both.

    The site may keep running: the dump is one consistent moment, and files are read after
    it, so every file a row of the dump refers to is there. Refuses to overwrite an existing
    file; the archive appears only once complete (mode 600).
    """
    connection = connections[using]
    if connection.vendor not in DUMPS:
        raise BackupError(_("Backups cover SQLite and PostgreSQL databases, not %(vendor)s.")
                          % {"vendor": connection.vendor})
    target = backup_archive_path(path=path)
    if target.exists():
        raise BackupError(_("%(path)s already exists; choose another name.") % {"path": target})
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    created_at = datetime.datetime.now(datetime.UTC)
    with tempfile.TemporaryDirectory(prefix=".coalition-backup-", dir=target.parent) as work:
        dump = Path(work) / "dump"
        dump_with = databases.sqlite_dump if connection.vendor == "sqlite" else databases.postgresql_dump
        try:
            database, tables = dump_with(connection, dump=dump)
        except DatabaseError as error:
            raise BackupError(_("Cannot read the database %(database)s: %(error)s")
                              % {"database": connection.settings_dict["NAME"], "error": error}) from None
        with ArchiveWriter(target) as archive:
            dump_name = DUMPS[connection.vendor]
            database |= {"file": dump_name, **archive.add_file(dump_name, dump)}
            media = {relative: archive.add_file("media/" + relative, file) for relative, file in _media_files(media_root)}
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "platform_version": platform_version(),
                "created_at": created_at.isoformat().replace("+00:00", "Z"),
                "database": database,
                "table_hash_method": METHOD,
                "tables": {name: fingerprint.as_manifest() for name, fingerprint in tables.items()},
                "media": media,
            }
            archive.add_bytes(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
    return Backup(path=target, manifest=manifest)


def _media_files(media_root: Path):
    """(relative posix path, path) of every file under `media_root`, in a stable order."""
    if not media_root.is_dir():
        return
    for folder, subfolders, files in os.walk(media_root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith(STAGING_PREFIX))
        for name in sorted(files):
            file = Path(folder) / name
            if file.is_file():
                yield file.relative_to(media_root).as_posix(), file


def backup_verify(*, archive: Path) -> Check:
    """Check an archive without restoring it: the manifest, every member's size and SHA-256,
    and the dump itself (SQLite: its integrity check and every table's fingerprint;
    PostgreSQL: pg_restore reads its contents and finds every table's data)."""
    archive = Path(archive)
    manifest = manifest_read(archive)
    check = Check(archive=archive, manifest=manifest)
    with tempfile.TemporaryDirectory(prefix="coalition-verify-") as work:
        dump = Path(work) / "dump"
        contents = archive_read(archive, manifest=manifest, dump_to=dump)
        check.problems += contents.problems
        check.checked.append(_("the manifest, the database dump and %(files)s file(s): sizes and SHA-256")
                             % {"files": len(manifest["media"])})
        if not dump.is_file() or contents.problems:
            return check
        if manifest["database"]["vendor"] == "sqlite":
            damaged = databases.sqlite_check(dump)
            check.problems += damaged
            if not damaged:
                check.problems += tables_compare(expected=manifest["tables"], found=sqlite_fingerprints(dump))
            check.checked.append(_("the SQLite database's integrity and the rows of its %(tables)s table(s)")
                                 % {"tables": len(manifest["tables"])})
        else:
            check.problems += databases.postgresql_check(dump, tables=manifest["tables"])
            check.checked.append(_("the PostgreSQL dump's contents (pg_restore --list) for its %(tables)s table(s)")
                                 % {"tables": len(manifest["tables"])})
    return check


def _data_tables() -> set[str]:
    """The tables of the platform's own models, less those `coalition migrate` fills."""
    return {
        model._meta.db_table for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    } - databases.MIGRATE_FILLED


def backup_restore(*, archive: Path, using: str = "default", into: str | None = None,
                   media_root: Path | None = None, force: bool = False) -> Restore:
    """Restore an archive into the database `using` — or, with `into`, into another database
    on the same server (PostgreSQL: an existing database's name; SQLite: a file) — and
    `media_root` (default MEDIA_ROOT), then verify every table and file against the manifest.

    Refuses an archive of another database vendor, a damaged archive, and — unless `force` —
    a database holding data (rows beyond what `coalition migrate` writes) or a media folder
    holding files. Everything is checked before anything is changed; the database is replaced
    in one step (SQLite's backup API, one PostgreSQL transaction); files come from a staging
    folder. Files in `media_root` that the backup does not have are left in place and named in
    the notes. PostgreSQL's tables are analysed afterwards. Stop the site and its workers first.
    """
    archive = Path(archive)
    manifest = manifest_read(archive)
    configured = connections[using]
    vendor = manifest["database"]["vendor"]
    if vendor != configured.vendor:
        raise BackupError(
            _("This archive holds a %(archive)s database and the target database is %(target)s. Restoring across "
              "database vendors is not supported: restore into a %(archive)s database.")
            % {"archive": vendor, "target": configured.vendor}
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with _target(configured, into=into) as connection:
        _reachable(connection)
        if not force:
            _refuse_if_occupied(connection, media_root)
        _load(connection, archive=archive, manifest=manifest, media_root=media_root)
        if vendor == "postgresql":
            tables_analyze(sorted(manifest["tables"]), connection=connection)
        restore = Restore(manifest=manifest, database=str(connection.settings_dict["NAME"]), media_root=media_root)
        restore.problems += tables_compare(expected=manifest["tables"], found=databases.fingerprints_of(connection))
        restore.problems += _media_compare(media_root, manifest["media"])
        extra = sorted(set(dict(_media_files(media_root))) - set(manifest["media"]))
        if extra:
            restore.notes.append(_("%(count)s file(s) in %(folder)s are not in the backup and were left in place "
                                   "(first: %(first)s).") % {"count": len(extra), "folder": media_root, "first": extra[0]})
        restore.notes += databases.migration_notes(connection)
    return restore


@contextmanager
def _target(configured, *, into: str | None):
    if into is None:
        yield configured
    else:
        with databases.connection_to(configured.settings_dict, name=into) as connection:
            yield connection


def _load(connection, *, archive: Path, manifest: dict, media_root: Path) -> None:
    """Read the whole archive (dump to a temporary folder, files to a staging folder inside
    `media_root`), and only if nothing is wrong, replace the database and move the files in."""
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    try:
        with tempfile.TemporaryDirectory(prefix="coalition-restore-") as work:
            dump = Path(work) / "dump"
            problems = archive_read(archive, manifest=manifest, dump_to=dump, media_to=staging).problems
            sqlite = manifest["database"]["vendor"] == "sqlite"
            if sqlite and not problems:
                problems = databases.sqlite_check(dump)
            if problems:
                raise BackupError(_("The archive is damaged; nothing was restored: %(problems)s.")
                                  % {"problems": "; ".join(problems)})
            if sqlite:
                databases.sqlite_load(connection, dump=dump)
            else:
                databases.postgresql_load(connection, dump=dump)
        for relative in manifest["media"]:
            destination = media_root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _reachable(connection) -> None:
    """Refuse a target database that cannot be opened (a new SQLite file is fine)."""
    if connection.vendor == "sqlite" and not databases.sqlite_path(connection).exists():
        return
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(_("Cannot open the database %(database)s: %(error)s")
                          % {"database": connection.settings_dict["NAME"], "error": error}) from None


def _refuse_if_occupied(connection, media_root: Path) -> None:
    occupied = databases.tables_with_rows(connection, candidates=_data_tables())
    files = next(iter(_media_files(media_root)), None)
    if occupied:
        raise BackupError(
            _("The database %(database)s already holds data (in %(count)s table(s), e.g. %(tables)s); nothing was "
              "restored. Restore into an empty database, or add --force to replace everything in it.")
            % {"database": connection.settings_dict["NAME"], "count": len(occupied), "tables": ", ".join(occupied[:3])}
        )
    if files:
        raise BackupError(
            _("The media folder %(folder)s already holds files (e.g. %(file)s); nothing was restored. Restore into an "
              "empty folder, or add --force to write the backup's files over it.")
            % {"folder": media_root, "file": files[0]}
        )


def _media_compare(media_root: Path, expected: dict[str, dict]) -> list[str]:
    problems = []
    for relative, facts in sorted(expected.items()):
        path = media_root / relative
        if not path.is_file():
            problems.append(_("file %(file)s is missing") % {"file": relative})
        elif file_facts(path) != {"size": facts["size"], "sha256": facts["sha256"]}:
            problems.append(_("file %(file)s differs from the backup") % {"file": relative})
    return problems
