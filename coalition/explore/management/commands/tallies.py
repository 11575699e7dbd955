"""`coalition tallies`: count and store the registry's daily tallies ahead of readers.

Pages count a day's tallies the first time someone asks for it and keep them (`explore.daily`);
this command fills the days in advance — after an installation, a restore or a bulk import — so
that nobody waits. By default it counts the days not stored yet, from the registry's first
version to today; `--since` and `--until` bound the period, `--again` recounts stored days too,
`--forget` only deletes what is stored.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coalition.common.commands import command_date
from coalition.explore import daily


class Command(BaseCommand):
    help = "Count and store the registry's tallies of every day of a period (the days not stored yet)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="First day, YYYY-MM-DD (default: the day of the registry's first version).")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (default: today).")
        parser.add_argument("--again", action="store_true", help="Recount the days already stored too.")
        parser.add_argument("--forget", action="store_true", help="Delete the stored days from --since on, and stop.")

    def handle(self, *args, since=None, until=None, again=False, forget=False, verbosity=1, **options):
        since = command_date(since, "--since") if since else None
        until = command_date(until, "--until") if until else None
        if forget:
            forgotten = daily.days_forget(since)
            self.stdout.write(f"Forgot the stored tallies of {forgotten} day(s).")
            return
        first = since or daily.first_day()
        if first is None:
            self.stdout.write("The registry is empty: nothing to count.")
            return
        last = min(until or timezone.localdate(), timezone.localdate())
        if last < first:
            raise CommandError(f"--until ({last.isoformat()}) is before the first day ({first.isoformat()}).")

        def progress(day):
            if verbosity > 1:
                self.stdout.write(f"  {day.isoformat()}")

        counted, seconds = daily.days_count(first, last, again=again, progress=progress)
        each = f", {seconds / counted * 1000:.0f} ms a day" if counted else ""
        self.stdout.write(self.style.SUCCESS(
            f"Counted {counted} day(s) from {first.isoformat()} to {last.isoformat()} in {seconds:.1f} s{each}."
        ))
