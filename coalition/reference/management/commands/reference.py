"""`coalition reference load` and `coalition reference import`: thin wrappers over the loaders."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coalition.common.signals import rates_wanted
from coalition.reference.importing import run_import
from coalition.reference.loaders import ALWAYS, FILE_SOURCES, configured_data_dir, load_plan
from coalition.reference.models import ImportRun
from coalition.reference.selectors import currencies_without_rates
from coalition.reference.services import rates_csv_hint

# How many currencies (and currency-years awaited) the rates summary names before "…".
NAMED = 15


def summary(run: ImportRun) -> str:
    if run.status == ImportRun.Status.SUCCEEDED:
        text = f"loaded: {run.created} created, {run.updated} updated, {run.unchanged} unchanged"
        if run.deleted:
            text += f", {run.deleted} deleted"
        if run.skipped:
            text += f", {run.skipped} skipped (see import run #{run.pk})"
        return text
    first = "; ".join(
        f"{'line ' + str(e['row']) + ' ' if e.get('row') else ''}{e.get('column') or ''}: {e['message']}".strip()
        for e in run.errors[:3]
    )
    more = f" (+{len(run.errors) - 3} more, see import run #{run.pk})" if len(run.errors) > 3 else ""
    return f"failed: {first}{more}"


class Command(BaseCommand):
    help = "Load reference data (countries, groups, frameworks, SDGs, WSIS lines, exchange rates)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{load,import}")
        load = commands.add_parser(
            "load", help="Load every source: from the data folder when it holds the file, else from what "
                         "`coalition data fetch` downloaded, else from the tables Coalition ships."
        )
        load.add_argument("--data-dir", type=Path, help="Folder with the public data files (default: COALITION_DATA_DIR).")
        load.add_argument("--strict", action="store_true", help="Exit non-zero when any source fails or is skipped.")
        one = commands.add_parser("import", help="Import one file-based source from a given file.")
        one.add_argument("source", choices=sorted(FILE_SOURCES))
        one.add_argument("path", type=Path)
        one.add_argument(
            "--valid-from", type=datetime.date.fromisoformat,
            help="Date the classification takes effect (YYYY-MM-DD), e.g. 2025-07-01 for World Bank FY2026.",
        )

    def handle(self, *args, action, **options):
        if action == "load":
            return self.load(options["data_dir"], strict=options["strict"])
        return self.import_one(options["source"], options["path"], options["valid_from"])

    def load(self, data_dir: Path | None, *, strict: bool) -> None:
        if data_dir is not None and not data_dir.is_dir():
            raise CommandError(f"--data-dir {data_dir} is not a folder")
        data_dir = data_dir or configured_data_dir()
        failed_always, problems = [], 0
        for label, make in ALWAYS:
            run = run_import(loader=make())
            self.report(label, summary(run), ok=run.status == ImportRun.Status.SUCCEEDED)
            if run.status != ImportRun.Status.SUCCEEDED:
                failed_always.append(label)
        for planned in load_plan(data_dir, Path(settings.COALITION_DOWNLOAD_DIR)):
            label = planned.source.label
            if planned.loader is None:
                # Only the optional sources (official texts, extra rates) have no packaged table.
                self.report(label, f"not loaded: {planned.origin}", ok=None)
                continue
            run = run_import(loader=planned.loader)
            ok = run.status == ImportRun.Status.SUCCEEDED
            self.report(label, f"{summary(run)} (from {planned.origin})", ok=ok)
            problems += not ok
        self.rates_summary()
        if failed_always:
            raise CommandError(f"Built-in reference data failed to load: {', '.join(failed_always)}")
        if strict and problems:
            raise CommandError(f"{problems} file-based source(s) failed")

    def import_one(self, key: str, path: Path, valid_from: datetime.date | None) -> None:
        source = FILE_SOURCES[key]
        if not path.exists():
            raise CommandError(f"{path} not found")
        if valid_from and not source.takes_valid_from:
            raise CommandError(f"{key} has no validity dates; drop --valid-from")
        options = {"valid_from": valid_from} if valid_from else {}
        run = run_import(loader=source.make(path, **options))
        ok = run.status == ImportRun.Status.SUCCEEDED
        self.report(source.label, summary(run), ok=ok)
        if not ok:
            raise CommandError(f"{source.label} import failed; nothing was written")
        if key == "rates-csv":
            self.rates_summary()

    def rates_summary(self) -> None:
        """Which values still await a rate, which currencies have none, and how to load them."""
        wanted: dict[tuple[str, int], int] = {}
        for _receiver, answer in rates_wanted.send(sender=type(self)):
            for key, count in (answer or {}).items():
                wanted[key] = wanted.get(key, 0) + count
        missing = currencies_without_rates()
        if wanted:
            named = sorted(wanted.items())
            listed = ", ".join(f"{code} {year} ({count})" for (code, year), count in named[:NAMED])
            more = f", and {len(named) - NAMED} more" if len(named) > NAMED else ""
            self.report("values awaiting an exchange rate", f"{sum(wanted.values())}: {listed}{more}", ok=None)
        if missing:
            more = ", …" if len(missing) > NAMED else ""
            self.report("currencies without any exchange rate",
                        f"{len(missing)} ({', '.join(missing[:NAMED])}{more})", ok=None)
        if wanted or missing:
            self.stdout.write(rates_csv_hint())

    def report(self, label: str, text: str, *, ok: bool | None) -> None:
        style = self.style.SUCCESS if ok else self.style.WARNING if ok is None else self.style.ERROR
        self.stdout.write(f"{label}: " + style(text))
