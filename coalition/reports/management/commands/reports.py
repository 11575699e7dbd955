"""`coalition reports build …`: build a report at the command line, write its PDF, data and HTML
to a folder, and publish it if asked. A thin wrapper over `reports.services`.

The build is recorded like one asked for on the web; it runs here at once (a worker that finds it
later leaves it alone). It acts as the system unless `--as EMAIL` names a secretariat account.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from coalition.accounts.models import User
from coalition.common.actors import SYSTEM
from coalition.common.commands import command_date
from coalition.reports import selectors, services
from coalition.reports.builders import KINDS
from coalition.reports.models import BuildStatus


def _param(value: str) -> tuple[str, str]:
    name, sep, given = value.partition("=")
    if not sep or not name.strip():
        raise CommandError(f"--param must be written NAME=VALUE, for example country=KEN, not {value!r}.")
    return name.strip(), given.strip()


class Command(BaseCommand):
    help = "Reports: build one (and publish it) from the command line."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{build}")
        build = commands.add_parser("build", help="Build a report as of a date, write its files, optionally publish it.")
        build.add_argument("--kind", required=True, choices=sorted(KINDS))
        build.add_argument("--as-of", required=True, metavar="YYYY-MM-DD")
        build.add_argument("--language", default="en")
        build.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                           help="A parameter of the report: country=KEN, body=escap-commission-82.")
        build.add_argument("--publish", action="store_true", help="Publish the finished report to the public archive.")
        build.add_argument("--as", dest="actor", metavar="EMAIL", default="",
                           help="The secretariat account recorded as asking for (and publishing) the report; "
                                "the system when left out.")
        build.add_argument("--out", type=Path, metavar="DIR", help="Write the PDF, JSON and HTML files here.")

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_build(self, *, kind, as_of, language, param, publish, actor, out, **_):
        day = command_date(as_of, "--as-of")
        params = dict(_param(value) for value in param)
        who = SYSTEM
        if actor:
            who = User.objects.filter(email__iexact=actor).first()
            if who is None:
                raise CommandError(f"No account has the e-mail address {actor}.")
        try:
            build = services.report_request(actor=who, kind=kind, language=language, as_of=day, params=params)
            if build.status == BuildStatus.QUEUED:
                build = services.report_run(build_id=build.pk)
            if build.status == BuildStatus.FAILED:
                raise CommandError(f"Build #{build.pk} failed, nothing was kept: {build.error}")
            if publish:
                build = services.report_publish(actor=who, build=build)
        except ValidationError as error:
            details = getattr(error, "message_dict", None) or {"": error.messages}
            raise CommandError("; ".join(f"{f + ': ' if f else ''}{' '.join(m)}" for f, m in details.items())) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Built #{build.pk}: {build.title} ({build.language}, as of {build.as_of})"
                                             + (", published" if build.is_published else "")))
        outputs = selectors.build_outputs(build)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            for fmt in sorted(outputs):
                path = out / f"{build.kind}-{build.as_of.isoformat()}-{build.language}-{build.pk}.{fmt}"
                path.write_bytes(bytes(selectors.build_output_content(build, fmt).content))
                self.stdout.write(f"  {path}  {outputs[fmt].size} bytes  sha256 {outputs[fmt].sha256}")
        else:
            for fmt, output in sorted(outputs.items()):
                self.stdout.write(f"  {fmt}: {output.size} bytes  sha256 {output.sha256}")
