"""`coalition data fetch` and `coalition data schedule`: the public data from its publishers."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coalition.indicators.refresh import NotScheduled, fetch_all, load_all, schedule_monthly


class Command(BaseCommand):
    help = "Public data: download it from its publishers' APIs, or schedule a monthly refresh."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{fetch,schedule}")
        fetch = commands.add_parser(
            "fetch", help="Download indicator series, classifications, exchange rates, SDG texts and IATI "
                          "codelists from their publishers into the download folder.")
        fetch.add_argument("--dest", type=Path, help="Folder to write to (default: COALITION_DOWNLOAD_DIR).")
        fetch.add_argument("--only", choices=["indicator", "reference"], help="Only indicator values, or only reference data.")
        fetch.add_argument("--load", action="store_true",
                           help="Then load what was fetched (`reference load` and `indicators load`).")
        commands.add_parser("schedule", help="Queue a monthly fetch-and-load for the background worker (`coalition worker`).")

    def handle(self, *args, action, **options):
        if action == "schedule":
            try:
                when = schedule_monthly()
            except NotScheduled as exc:
                raise CommandError(str(exc)) from None
            if when is None:
                self.stdout.write("A monthly refresh is already queued; nothing done.")
            else:
                self.stdout.write(f"The public data will be fetched and loaded at {when:%Y-%m-%d %H:%M} UTC, "
                                  "then on the first day of every month, by `coalition worker`.")
            return
        dest = options["dest"] or Path(settings.COALITION_DOWNLOAD_DIR)
        kinds = (options["only"],) if options["only"] else ("indicator", "reference")
        outcomes = fetch_all(dest, kinds=kinds, progress=lambda line: self.stdout.write(f"  {line}"))
        for outcome in outcomes:
            label = outcome.publisher.label
            if outcome.error:
                self.stdout.write(f"{label}: " + self.style.ERROR(f"failed: {outcome.error}"))
                continue
            for fetched in outcome.fetched:
                state = "new edition" if fetched.changed else "unchanged"
                self.stdout.write(f"{label}: {fetched.name} " + self.style.SUCCESS(f"{state} ({fetched.edition})"))
        failed = [outcome for outcome in outcomes if outcome.error]
        if options["load"]:
            load_all(self.stdout)
        if failed:
            raise CommandError(f"{len(failed)} of {len(outcomes)} publishers failed; what they had fetched before "
                               f"is unchanged in {dest}")
        self.stdout.write(f"Downloads: {dest}. `coalition reference load` and `coalition indicators load` "
                          "read them (a data folder, COALITION_DATA_DIR, still comes first).")
