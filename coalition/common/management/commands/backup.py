"""`coalition backup [--output PATH]`: the database and the uploaded files in one archive.
`coalition backup --verify ARCHIVE`: check an archive without restoring it.

Schedule it from cron or a systemd timer (docs/operators.md, "Backups").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from coalition.common.backups import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Back up the database and the uploaded files into one archive, or check an archive.")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, default=None, help=_(
            "Archive file to write (.tar, or .tar.gz to compress), or a folder to write it in. Default: "
            "COALITION_BACKUP_DIR, named with the UTC time."))
        parser.add_argument("--verify", type=Path, default=None, metavar="ARCHIVE", help=_(
            "Check this archive (manifest, sizes and SHA-256 of every member, the database dump) instead of "
            "making a backup."))
        parser.add_argument("--database", default="default", help=_("Database alias. Default: default."))

    def handle(self, *args, output, verify, database, verbosity, **options):
        self.verbosity = verbosity
        if verify and output:
            raise CommandError(_("Give either --verify or --output, not both."))
        try:
            if verify:
                self._verify(verify)
            else:
                self._backup(output, database)
        except BackupError as error:
            raise CommandError(str(error)) from None

    def _backup(self, output, database):
        backup = backup_create(path=output, using=database)
        if self.verbosity:
            self.stdout.write(
                _("Backed up %(tables)s tables (%(rows)s rows) and %(files)s file(s) to %(path)s (%(size)s).")
                % {"tables": len(backup.manifest["tables"]), "rows": backup.rows,
                   "files": len(backup.manifest["media"]), "path": backup.path,
                   "size": filesizeformat(backup.path.stat().st_size)}
            )

    def _verify(self, archive):
        check = backup_verify(archive=archive)
        manifest = check.manifest
        if self.verbosity:
            self.stdout.write(
                _("%(path)s: a %(vendor)s backup made on %(created)s by Coalition %(version)s.")
                % {"path": archive, "vendor": manifest["database"]["vendor"], "created": manifest.get("created_at"),
                   "version": manifest.get("platform_version")}
            )
            for checked in check.checked:
                self.stdout.write(_("Checked: %(what)s.") % {"what": checked})
        if check.problems:
            raise CommandError(_("The archive is damaged: %(problems)s.") % {"problems": "; ".join(check.problems)})
        if self.verbosity:
            self.stdout.write(_("The archive is intact."))
