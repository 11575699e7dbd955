"""`coalition restore ARCHIVE [--force]`: put a backup back — the database and the uploaded
files — and verify every table and file against the archive's manifest.

Safe by default: it refuses a database that holds data, or a media folder that holds files,
unless --force. Stop the site and its workers first.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from coalition.common.backups import BackupError, backup_restore


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Restore a backup archive (database and uploaded files) and verify it.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help=_("The archive `coalition backup` wrote."))
        parser.add_argument("--force", action="store_true", help=_(
            "Replace a database that holds data, and write the backup's files over the media folder's."))
        parser.add_argument("--database", default="default", help=_("Database alias. Default: default."))
        parser.add_argument("--into", default=None, metavar="NAME", help=_(
            "Restore into this database instead of the configured one, e.g. for a restore drill: the name of an "
            "existing database on the same PostgreSQL server, or an SQLite file."))
        parser.add_argument("--media-root", type=Path, default=None, metavar="FOLDER", help=_(
            "Restore the uploaded files into this folder instead of MEDIA_ROOT."))

    def handle(self, *args, archive, force, database, into, media_root, verbosity, **options):
        try:
            restore = backup_restore(archive=archive, using=database, into=into, media_root=media_root, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            self.stdout.write(
                _("Restored %(tables)s tables (%(rows)s rows) into %(database)s and %(files)s file(s) into "
                  "%(folder)s, from a backup made on %(created)s.")
                % {"tables": len(restore.manifest["tables"]), "rows": restore.rows, "database": restore.database,
                   "files": len(restore.manifest["media"]), "folder": restore.media_root,
                   "created": restore.manifest.get("created_at")}
            )
            for note in restore.notes:
                self.stdout.write(note)
        if restore.problems:
            raise CommandError(_("The restored data differ from the backup: %(problems)s.")
                               % {"problems": "; ".join(restore.problems)})
        if verbosity:
            self.stdout.write(_("Verified: every table's rows and every file match the backup."))
