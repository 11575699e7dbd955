"""Backups of a whole site — the database and the uploaded files — as one archive, and the
restore that puts them back and proves it: every table's rows and every file are checked
against the archive's manifest. `coalition backup` and `coalition restore` call these.

    archive.py       the archive's members and manifest, written and read in one pass
    fingerprints.py  a row count and content hash per table, taken the same way on both vendors
    databases.py     SQLite's backup API; pg_dump, pg_restore and psql
    operations.py    backup_create, backup_verify, backup_restore
"""

from .archive import BackupError
from .operations import Backup, Check, Restore, backup_archive_path, backup_create, backup_restore, backup_verify

__all__ = [
    "Backup", "BackupError", "Check", "Restore", "backup_archive_path", "backup_create", "backup_restore",
    "backup_verify",
]
