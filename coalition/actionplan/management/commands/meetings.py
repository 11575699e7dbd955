"""`coalition meetings load [FILE]`: load the secretariat's meetings file (the shipped one by default)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coalition.actionplan.services.meetings import MeetingsLoader, meetings_load
from coalition.common.actors import SYSTEM
from coalition.reference.models import ImportRun


class Command(BaseCommand):
    help = "Meetings of the action plan: load the meetings file."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{load}")
        load = commands.add_parser(
            "load", help="Load a meetings file (YAML), all-or-nothing; reloading updates the meetings in place.",
        )
        load.add_argument("path", nargs="?", type=Path, default=MeetingsLoader.default_path,
                          help=f"The file to load (default: the shipped {MeetingsLoader.default_path.name}).")

    def handle(self, *args, action, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path} not found")
        run = meetings_load(path=path, actor=SYSTEM)
        if run.status != ImportRun.Status.SUCCEEDED:
            for problem in run.errors:
                where = f"line {problem['row']}" if problem.get("row") else "file"
                field = f", {problem['column']}" if problem.get("column") else ""
                self.stderr.write(f"  {where}{field}: {problem['message']}")
            raise CommandError(f"{path.name}: refused, nothing loaded ({len(run.errors)} error(s), import run #{run.pk})")
        self.stdout.write(self.style.SUCCESS(
            f"{path.name}: {run.created} created, {run.updated} updated, {run.unchanged} unchanged"
        ))
