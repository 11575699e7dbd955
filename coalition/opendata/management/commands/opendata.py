"""`coalition opendata build [--dataset SLUG …]`: write the open-data dumps now.

The worker rebuilds them after changes (`tasks.dumps_rebuild`); this command builds them after
an installation, a restore or a bulk load, or where no worker runs. It takes the queued build if
there is one. Thin: the service does the work."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coalition.common.actors import SYSTEM
from coalition.opendata.datasets import DATASETS
from coalition.opendata.services import dumps_build


class Command(BaseCommand):
    help = "Build the open-data dumps (CSV, XLSX, JSON, the data package) of every dataset or of the ones named."
    # No system checks: they import every URL and the API's schemas (31 MiB) before the first row,
    # for a command that streams millions of rows in as little memory as it can (bench/opendata.py).
    requires_system_checks = []

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        build = subcommands.add_parser("build", help="Write the dumps now.")
        build.add_argument("--dataset", action="append", dest="datasets", metavar="SLUG",
                           help=f"A dataset to build (repeatable; default: all): {', '.join(DATASETS)}.")

    def handle(self, *args, subcommand=None, datasets=None, **options):
        try:
            build = dumps_build(actor=SYSTEM, datasets=datasets or None, reason="command")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        files = build.files.all()
        size = sum(item.size for item in files)
        seconds = (build.finished_at - build.started_at).total_seconds()
        self.stdout.write(self.style.SUCCESS(
            f"Built {len(files)} file(s), {size / 1e6:.1f} MB, data as of {build.as_of:%Y-%m-%d %H:%M %Z}, "
            f"in {seconds:.1f} s (build {build.pk})."
        ))
