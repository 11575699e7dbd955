"""`coalition serve [--bind ADDRESS] [--workers N] [--timeout SECONDS]`: the site under gunicorn.

The production web server (docs/operators.md). The defaults come from COALITION_SERVE_BIND,
COALITION_SERVE_WORKERS and COALITION_SERVE_TIMEOUT; any other gunicorn option goes in
GUNICORN_CMD_ARGS, which gunicorn reads itself. In production mode the command first runs the
deployment checks (`check --deploy`) and refuses to start on an error, or with DEBUG on. Then it
replaces itself with gunicorn, so that the signals of systemd (stop, reload) reach gunicorn.
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the site under gunicorn, the production web server."
    # Run in handle(), with the deployment checks in production mode.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.COALITION_SERVE_BIND,
                            help="host:port, or unix:/path (default: COALITION_SERVE_BIND, %(default)s).")
        parser.add_argument("--workers", type=int, default=settings.COALITION_SERVE_WORKERS,
                            help="Worker processes (default: COALITION_SERVE_WORKERS, %(default)s).")
        parser.add_argument("--timeout", type=int, default=settings.COALITION_SERVE_TIMEOUT,
                            help="Seconds before a silent worker is restarted (default: COALITION_SERVE_TIMEOUT, "
                                 "%(default)s).")

    def handle(self, *args, bind, workers, timeout, **options):
        production = settings.COALITION_PRODUCTION
        if production and settings.DEBUG:
            raise CommandError(
                "DEBUG is on in production mode (COALITION_PRODUCTION): error pages would show the code and "
                "settings to anyone. Unset DEBUG, or unset COALITION_PRODUCTION to try the server locally."
            )
        if workers < 1 or timeout < 1:
            raise CommandError(f"--workers and --timeout must be 1 or more, not {workers} and {timeout}.")
        self.check(include_deployment_checks=production)

        static_root = Path(settings.STATIC_ROOT)
        if not settings.DEBUG and not any(static_root.iterdir()):
            self.stderr.write(self.style.WARNING(
                f"No collected static files in {static_root}: run `coalition collectstatic --noinput` first, "
                "or pages show without their styles and charts."
            ))
        if not production:
            self.stderr.write(self.style.WARNING(
                "Production mode is off (COALITION_PRODUCTION): no HTTPS redirect, HSTS or secure cookies."
            ))
        where = bind if bind.startswith(("unix:", "fd://")) else f"http://{bind}"
        self.stdout.write(f"Coalition listens on {where} (gunicorn, {workers} workers, {timeout} s timeout).")
        self.stdout.flush()

        module, application = settings.WSGI_APPLICATION.rsplit(".", 1)
        os.execv(sys.executable, [
            sys.executable, "-m", "gunicorn", f"{module}:{application}",
            "--bind", bind, "--workers", str(workers), "--timeout", str(timeout), "--access-logfile", "-",
        ])
