"""`coalition data fetch`: download the public data files the importers read."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coalition.reference.fetching import PUBLIC_FILES, FetchError, fetch_file


class Command(BaseCommand):
    help = "Public data files: download them from their public origin."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{fetch}")
        fetch = commands.add_parser("fetch", help="Download the public data files, pinned and checksummed.")
        fetch.add_argument("--dest", type=Path, help="Folder to write to (default: COALITION_DOWNLOAD_DIR).")

    def handle(self, *args, action, dest, **options):
        dest = dest or Path(settings.COALITION_DOWNLOAD_DIR)
        dest.mkdir(parents=True, exist_ok=True)
        failures = 0
        for public in PUBLIC_FILES:
            if not public.url:
                self.stdout.write(f"{public.name}: " + self.style.WARNING(f"not downloadable: {public.note}"))
                continue
            try:
                outcome = fetch_file(public, dest)
            except FetchError as exc:
                failures += 1
                self.stdout.write(f"{public.name}: " + self.style.ERROR(f"failed: {exc}"))
            else:
                self.stdout.write(f"{public.name}: " + self.style.SUCCESS(outcome))
        if failures:
            raise CommandError(f"{failures} of {sum(1 for p in PUBLIC_FILES if p.url)} downloads failed; files already in {dest} were left as they were")
        self.stdout.write(f"Data folder: {dest} (use it with `coalition reference load --data-dir {dest}`)")
