"""Each database's own tools, scripted: SQLite's online backup API and PostgreSQL's pg_dump,
pg_restore and psql.

A dump is consistent and its fingerprints describe exactly what it holds: SQLite's backup copies
the database as one reader sees it (WAL lets the site write meanwhile) and the fingerprints are
taken from the copy; pg_dump reads the snapshot of a REPEATABLE READ transaction that then
fingerprints the tables itself. A load is all-or-nothing: SQLite's backup API replaces the target
file's pages in one step, and on PostgreSQL the dropping of the old tables and the whole restore
run in one psql transaction, which is abandoned if pg_restore fails.

PostgreSQL programs get the connection from settings.DATABASES through PGHOST, PGPORT, PGUSER,
PGPASSWORD, PGDATABASE (and the SSL options), never on their command line, where every user of
the machine could read the password.
"""

import copy
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend
from django.utils.translation import gettext as _

from .archive import BackupError
from .fingerprints import TableFingerprint, postgresql_fingerprints, sqlite_fingerprints

# Tables `coalition migrate` fills by itself: a database holding rows only in these is empty.
MIGRATE_FILLED = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "auth_group", "auth_group_permissions"}
)
_PG_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
               "sslkey": "PGSSLKEY", "passfile": "PGPASSFILE", "service": "PGSERVICE"}


def sqlite_path(connection: BaseDatabaseWrapper) -> Path:
    if connection.is_in_memory_db():
        raise BackupError(_("The database %(alias)s is in memory: there is no file to back up or restore into.")
                          % {"alias": connection.alias})
    return Path(connection.settings_dict["NAME"])


def sqlite_dump(connection: BaseDatabaseWrapper, *, dump: Path) -> tuple[dict, dict[str, TableFingerprint]]:
    """Copy the live SQLite database to `dump` with the online backup API; return its facts
    and the fingerprints of the copy."""
    source_path = sqlite_path(connection)
    if not source_path.is_file():
        raise BackupError(_("There is no database at %(path)s.") % {"path": source_path})
    with closing(sqlite3.connect(source_path, timeout=20)) as source, closing(sqlite3.connect(dump)) as copied:
        source.backup(copied)
    with closing(sqlite3.connect(dump)) as copied:
        # One self-contained file: no -wal beside it when it is extracted elsewhere.
        copied.execute("PRAGMA journal_mode=DELETE")
        migrations = _migrations(copied.execute(_MIGRATIONS_SQL).fetchall() if _has_migrations(copied) else [])
    facts = {"vendor": "sqlite", "server_version": sqlite3.sqlite_version, "migrations": migrations}
    return facts, sqlite_fingerprints(dump)


def sqlite_check(dump: Path) -> list[str]:
    """SQLite's own integrity check of a dump file."""
    try:
        with closing(sqlite3.connect(dump)) as database:
            result = [row[0] for row in database.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [_("the database file is damaged: %(error)s") % {"error": error}]
    return [] if result == ["ok"] else [_("the database file is damaged: %(error)s") % {"error": "; ".join(result)}]


def sqlite_load(connection: BaseDatabaseWrapper, *, dump: Path) -> None:
    """Replace the target SQLite database with the dump, in one step."""
    target = sqlite_path(connection)
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(dump)) as source, closing(sqlite3.connect(target, timeout=20)) as destination:
            source.backup(destination)
    except sqlite3.Error as error:
        raise BackupError(_("The restore into %(database)s failed; the database is unchanged: %(error)s")
                          % {"database": target, "error": error}) from None


_MIGRATIONS_SQL = "SELECT app, name FROM django_migrations ORDER BY id"


def _has_migrations(database: sqlite3.Connection) -> bool:
    return database.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone() is not None


def _migrations(rows) -> dict[str, str]:
    """The last migration applied of each app."""
    return {app: name for app, name in rows}


@contextmanager
def connection_to(settings_dict: dict, *, name: str | None = None) -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own to the database `settings_dict` describes, or to the database
    `name` (an SQLite file, a database on the same PostgreSQL server); closed afterwards. It is
    not registered among django.db.connections, so it shares no state with them."""
    settings_dict = {**copy.deepcopy(settings_dict), "NAME": name or settings_dict["NAME"]}
    own = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=f"backup-{uuid.uuid4().hex[:8]}")
    try:
        yield own
    finally:
        own.close()


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """The environment for PostgreSQL's programs: the connection of `settings_dict`."""
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST"), "PGPORT": settings_dict.get("PORT"), "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"), "PGDATABASE": settings_dict.get("NAME"),
        **{variable: options.get(option) for option, variable in _PG_OPTIONS.items()},
    }
    environment = {**os.environ, "PGAPPNAME": "coalition-backup"}
    environment.update({variable: str(value) for variable, value in values.items() if value})
    return environment


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(_("%(program)s was not found on the PATH. Install the PostgreSQL client programs, of the "
                            "server's major version or newer (Debian: postgresql-client).") % {"program": name})
    return path


def _run(arguments: list[str], *, settings_dict: dict) -> str:
    result = subprocess.run([_program(arguments[0]), *arguments[1:]], env=pg_environment(settings_dict),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(_("%(program)s failed: %(error)s")
                          % {"program": arguments[0], "error": result.stderr.strip() or result.returncode})
    return result.stdout


def postgresql_dump(connection: BaseDatabaseWrapper, *, dump: Path) -> tuple[dict, dict[str, TableFingerprint]]:
    """pg_dump (custom format) of one snapshot into `dump`; return its facts and the
    fingerprints of the tables in that same snapshot."""
    with connection_to(connection.settings_dict) as own:
        own.set_autocommit(False)  # closed without a commit: the read-only transaction ends there
        with own.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                 settings_dict=own.settings_dict)
            tables = postgresql_fingerprints(own)
            migrations = {}
            if "django_migrations" in tables:
                cursor.execute(_MIGRATIONS_SQL)
                migrations = _migrations(cursor.fetchall())
    return {"vendor": "postgresql", "server_version": server_version, "migrations": migrations}, tables


def postgresql_check(dump: Path, *, tables: dict) -> list[str]:
    """pg_restore reads the dump's table of contents, and it holds the data of every table the
    manifest lists (no database is touched)."""
    try:
        listing = _run(["pg_restore", "--list", str(dump)], settings_dict={})
    except BackupError as error:
        return [str(error)]
    # Entries read "3512; 0 16386 TABLE DATA public accounts_user postgres"; comments start with ";".
    with_data = {
        line.split(" TABLE DATA ", 1)[1].split()[1]
        for line in listing.splitlines() if " TABLE DATA " in line and not line.startswith(";")
    }
    return [_("the database dump holds no data for table %(table)s") % {"table": table}
            for table in sorted(tables.keys() - with_data)]


def postgresql_load(connection: BaseDatabaseWrapper, *, dump: Path) -> None:
    """Drop every table of the target and restore the dump, in one transaction: if pg_restore
    or psql fails, the target is left as it was."""
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
        # The dump recreates the schema's own text search configurations (migration
        # pledges 0010) with plain CREATEs, so they go too.
        cursor.execute("SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = current_schema()::regnamespace")
        configurations = [row[0] for row in cursor.fetchall()]
    quote = connection.ops.quote_name
    connection.close()
    drop = [f"--command=DROP TABLE IF EXISTS {', '.join(quote(table) for table in existing)} CASCADE"] if existing else []
    drop += [f"--command=DROP TEXT SEARCH CONFIGURATION IF EXISTS {quote(name)} CASCADE" for name in configurations]
    environment = pg_environment(connection.settings_dict)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        restore = subprocess.Popen(
            [_program("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
            stdout=subprocess.PIPE, stderr=restore_errors, env=environment,
        )
        psql = subprocess.Popen(
            [_program("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1", *drop,
             "--file=-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=environment,
        )
        try:
            shutil.copyfileobj(restore.stdout, psql.stdin, 1 << 20)
        except BrokenPipeError:
            restore.kill()  # psql stopped at an error: its transaction is already abandoned
        restore.stdout.close()
        if restore.wait() != 0:
            # End psql before it reads the end of its input, or it would commit a partial restore.
            psql.kill()
        else:
            try:
                psql.stdin.close()
            except BrokenPipeError:
                pass
        psql.wait()
        if psql.returncode != 0 or restore.returncode != 0:
            psql_errors.seek(0)
            restore_errors.seek(0)
            error = (psql_errors.read() or restore_errors.read()).decode(errors="replace").strip()
            raise BackupError(_("The restore into %(database)s failed and was rolled back; the database is unchanged: "
                                "%(error)s") % {"database": connection.settings_dict["NAME"], "error": error})


def tables_with_rows(connection: BaseDatabaseWrapper, *, candidates: set[str]) -> list[str]:
    """Which of `candidates` exist in the database and hold at least one row."""
    if connection.vendor == "sqlite" and not sqlite_path(connection).is_file():
        return []
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor)) & candidates
        occupied = []
        for table in sorted(present):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                occupied.append(table)
    return occupied


def fingerprints_of(connection: BaseDatabaseWrapper) -> dict[str, TableFingerprint]:
    """The fingerprints of the database behind `connection`, read as a backup reads them."""
    if connection.vendor == "sqlite":
        return sqlite_fingerprints(sqlite_path(connection))
    return postgresql_fingerprints(connection)


def migration_notes(connection: BaseDatabaseWrapper) -> list[str]:
    """What `coalition migrate` would still do to the database, or what it cannot know."""
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return [_("The restored database has no django_migrations table: it was not made by Coalition.")]
        cursor.execute(_MIGRATIONS_SQL)
        applied = {(app, name) for app, name in cursor.fetchall()}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes) | {
        replaced for migration in loader.disk_migrations.values() for replaced in migration.replaces
    }
    notes = []
    unknown = sorted(applied - known)
    if unknown:
        notes.append(_("The restored database has %(count)s migration(s) this version of Coalition does not know "
                       "(first: %(first)s): the backup was made by a newer version.")
                     % {"count": len(unknown), "first": ".".join(unknown[0])})
    behind = sorted(app for app, name in loader.graph.leaf_nodes() if (app, name) not in applied)
    if behind:
        notes.append(_("The restored database is behind this version of Coalition (apps: %(apps)s): run "
                       "`coalition migrate`.") % {"apps": ", ".join(behind)})
    return notes
