"""`coalition indicators …`: load the catalogue and public values, import one file, fetch series,
and print group aggregates, the group codes and countries' progress toward 2030 for scripting.

Subcommands are listed once in `Command.subcommands`; each has an optional
`arguments_<name>(parser)` and a `handle_<name>(**options)` method. To add one, add its name
and help text to the dict and write those two methods.
"""

import datetime
import json
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from coalition.common.actors import SYSTEM
from coalition.common.asof import as_of_date
from coalition.indicators import aggregates, progress
from coalition.indicators.catalogue import CatalogueLoader
from coalition.indicators.importing import indicator_import
from coalition.indicators.models import DataSource, Indicator, Series
from coalition.indicators.public_files import load_plan
from coalition.indicators.readers import READERS, reader_for
from coalition.indicators.selectors import UnknownIndicator, indicator_resolve
from coalition.indicators.snapshot import SNAPSHOT_DIR, SnapshotError, snapshot_write
from coalition.reference.importing import run_import
from coalition.reference.loaders import configured_data_dir
from coalition.reference.models import Country, ImportRun


def summary(run: ImportRun) -> str:
    if run.status == ImportRun.Status.SUCCEEDED:
        text = f"{run.rows_read:,} value{'s' if run.rows_read != 1 else ''}: {run.created:,} created, {run.updated:,} updated, {run.unchanged:,} unchanged"
        if run.skipped:
            text += f", {run.skipped:,} skipped ({len(run.warnings)} warning{'s' if len(run.warnings) != 1 else ''}, see import run #{run.pk})"
        return text
    return f"refused, nothing imported: {len(run.errors)} error{'s' if len(run.errors) != 1 else ''} (import run #{run.pk})"


def problem_line(problem: dict) -> str:
    where = f"line {problem['row']}" if problem.get("row") else "file"
    column = f", {problem['column']}" if problem.get("column") else ""
    return f"  {where}{column}: {problem['message']}"


class Command(BaseCommand):
    help = "Connectivity indicators: the catalogue, the public files, and imports of indicator files."

    subcommands = {
        "load": "Load the indicator catalogue, then the values: from the data folder, else the downloads, else the snapshot.",
        "import": "Import one file of indicator values (all-or-nothing; re-running it changes nothing).",
        "fetch": "Download the catalogue's series from their publishers' APIs (World Bank, ITU DataHub).",
        "snapshot": "Derive the indicator snapshot Coalition ships from the public files in a data folder.",
        "aggregate": "Population-weighted aggregates of an indicator for country groups and years.",
        "groups": "The group codes `aggregate --group` accepts, with their names.",
        "progress": "A country's progress toward the 2030 targets, indicator by indicator.",
    }

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{" + ",".join(self.subcommands) + "}")
        for name, text in self.subcommands.items():
            sub = commands.add_parser(name, help=text, description=text)
            if add := getattr(self, f"arguments_{name}", None):
                add(sub)

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    # --- load ---------------------------------------------------------------------------------

    def arguments_load(self, parser):
        parser.add_argument("--data-dir", type=Path,
                            help="Folder with the publishers' files (default: COALITION_DATA_DIR); without one, what "
                                 "`coalition data fetch` downloaded, else the snapshot Coalition ships.")
        parser.add_argument("--strict", action="store_true", help="Exit non-zero when a file is missing or refused.")

    def handle_load(self, *, data_dir: Path | None, strict: bool, **_):
        if data_dir is not None and not data_dir.is_dir():
            raise CommandError(f"--data-dir {data_dir} is not a folder")
        data_dir = data_dir or configured_data_dir()
        run = run_import(loader=CatalogueLoader())
        if run.status != ImportRun.Status.SUCCEEDED:
            for problem in run.errors:
                self.stderr.write(problem_line(problem))
            raise CommandError(f"The indicator catalogue failed to load (import run #{run.pk})")
        self.report("catalogue", f"{run.created} created, {run.unchanged} unchanged", ok=True)
        problems = 0
        plan = load_plan(data_dir, Path(settings.COALITION_DOWNLOAD_DIR))
        if not plan:
            self.report("values", "nothing to load: no data folder, nothing downloaded and no snapshot", ok=None)
            problems += 1
        for planned in plan:
            if planned.path is None:
                self.report(planned.label, f"skipped: not found in {data_dir}", ok=None)
                problems += 1
                continue
            source = DataSource.objects.get(code=planned.source)
            indicator = Indicator.objects.get(code=planned.indicator) if planned.indicator else None
            reader = reader_for(planned.format, planned.path, source=source, indicator=indicator)
            run = indicator_import(actor=SYSTEM, reader=reader, source=source, edition_label=planned.edition,
                                   progress=self.progress)
            ok = run.status == ImportRun.Status.SUCCEEDED
            origin = "" if planned.origin == "data folder" else f", from the {planned.origin}"
            self.report(f"{planned.label} ({planned.source} {planned.edition}{origin})", summary(run), ok=ok)
            if not ok:
                problems += 1
                for problem in run.errors[:5]:
                    self.stdout.write(problem_line(problem))
        if strict and problems:
            raise CommandError(f"{problems} indicator file(s) missing or refused")

    # --- import -------------------------------------------------------------------------------

    def arguments_import(self, parser):
        parser.add_argument("format", choices=sorted(READERS), help="; ".join(f"{k}: {r.title}" for k, r in READERS.items()))
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", required=True, help="Data source code, e.g. wb-wdi or itu-datahub.")
        parser.add_argument("--edition", required=True, help="The source's edition (vintage) label, e.g. 2024-11.")
        parser.add_argument("--indicator", help="Indicator of every row, for tidy or XLSX files without an indicator column.")

    def handle_import(self, *, format: str, path: Path, source: str, edition: str, indicator: str | None, **_):
        if not path.is_file():
            raise CommandError(f"{path} not found")
        data_source = DataSource.objects.filter(code=source).first()
        if data_source is None:
            known = ", ".join(DataSource.objects.values_list("code", flat=True)) or "none: run `coalition indicators load`"
            raise CommandError(f"Unknown source {source!r} (known: {known})")
        chosen = None
        if indicator:
            if not READERS[format].takes_indicator:
                raise CommandError(f"--indicator applies to tidy and xlsx files; {format} files name their series")
            chosen = self.find_indicator(indicator, data_source)
        reader = reader_for(format, path, source=data_source, indicator=chosen)
        run = indicator_import(actor=SYSTEM, reader=reader, source=data_source, edition_label=edition,
                               progress=self.progress)
        ok = run.status == ImportRun.Status.SUCCEEDED
        self.report(path.name, summary(run), ok=ok)
        for warning in run.warnings:
            self.stdout.write(problem_line(warning))
        if not ok:
            for problem in run.errors:
                self.stderr.write(problem_line(problem))
            raise CommandError(f"{path.name} was refused; nothing was imported")

    @staticmethod
    def find_indicator(code: str, source: DataSource) -> Indicator:
        found = Indicator.objects.filter(code=code).first()
        if found is None:
            series = Series.objects.select_related("indicator").filter(source=source, code=code).first()
            found = series.indicator if series else None
        if found is None:
            raise CommandError(f"Unknown indicator {code!r} (known: {', '.join(Indicator.objects.values_list('code', flat=True))})")
        return found

    # --- fetch --------------------------------------------------------------------------------

    def arguments_fetch(self, parser):
        parser.add_argument("--dest", type=Path, help="Folder to write to (default: COALITION_DOWNLOAD_DIR).")

    def handle_fetch(self, *, dest: Path | None, **_):
        call_command("data", "fetch", "--only", "indicator", *(["--dest", str(dest)] if dest else []), stdout=self.stdout)

    # --- snapshot -----------------------------------------------------------------------------

    def arguments_snapshot(self, parser):
        parser.add_argument("--data-dir", type=Path, required=True, help="Folder with the publishers' files.")
        parser.add_argument("--out", type=Path, default=SNAPSHOT_DIR,
                            help=f"Folder to write the parts and index.csv to (default: the package's, {SNAPSHOT_DIR}).")

    def handle_snapshot(self, *, data_dir: Path, out: Path, **_):
        if not data_dir.is_dir():
            raise CommandError(f"--data-dir {data_dir} is not a folder")
        if not Indicator.objects.exists():
            raise CommandError("Load the catalogue and the countries first: `coalition reference load` and `coalition indicators load`")
        try:
            parts = snapshot_write(data_dir, out)
        except SnapshotError as exc:
            raise CommandError(f"{exc}; nothing was written") from None
        for part in parts:
            size = (out / part.part).stat().st_size
            self.report(part.part, f"{part.values:,} values {part.first_year}–{part.last_year} from {part.derived_from} "
                                   f"({part.source} {part.edition}), {size:,} bytes", ok=True)
        total = sum(path.stat().st_size for path in out.iterdir())
        self.stdout.write(f"Snapshot: {out} ({total:,} bytes in all)")

    # --- aggregate, groups, progress ----------------------------------------------------------

    def arguments_aggregate(self, parser):
        parser.add_argument("--indicator", required=True,
                            help="The platform's code (internet-use: its preferred source) or a source's series code "
                                 "(IT.NET.USER.ZS, i99H: that source's values).")
        parser.add_argument("--group", action="append", required=True,
                            help="Group code; repeat for several (list them with `coalition indicators groups`).")
        parser.add_argument("--year", action="append", type=int,
                            help="Year; repeat for several (default: every year the source has values for).")
        parser.add_argument("--membership", choices=[aggregates.CURRENT, aggregates.YEARLY], default=aggregates.CURRENT,
                            help="current: every year over today's members (default); yearly: the members of each year.")
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD",
                            help="From the values (and members) the platform held at the end of that day, to rebuild "
                                 "a figure quoted then.")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle_aggregate(
        self, *, indicator: str, group: list[str], year: list[int] | None, membership: str,
        as_of: datetime.date | None, format: str, **_,
    ):
        found, source = self.resolve(indicator)
        moment = as_of_date(as_of).moment if as_of else None
        years = year or aggregates.years_with_data(indicator=found, source=source)
        try:
            rows = aggregates.aggregates(indicator=found, source=source, groups=group, years=years,
                                         membership=membership, as_of=moment)
        except aggregates.UnknownGroup as exc:
            raise CommandError(f"--group: {exc}") from None
        if format == "json":
            self.stdout.write(json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{found.name_en} — {source.name if source else 'no values imported'}")
        self.stdout.write(f"{'group':<16} {'year':>4} {'value':>12} {'population':>15} {'coverage':>9} {'offline':>15}")
        for row in rows:
            value = "—" if row.value is None else f"{row.value:,.{found.decimals}f}"
            offline = "" if row.offline is None else f"{row.offline:,.0f}"
            self.stdout.write(
                f"{row.group:<16} {row.year:>4} {value:>12} {row.population:>15,.0f} {row.coverage:>9.0%} {offline:>15}"
            )

    def arguments_groups(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle_groups(self, *, format: str, **_):
        groups = aggregates.group_choices()
        if format == "json":
            rows = [{"code": g.code, "name": g.name, "kind": g.kind} for g in groups]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for group in groups:
            self.stdout.write(f"{group.code:<16} {group.kind:<18} {group.name}")

    def arguments_progress(self, parser):
        parser.add_argument("country", help="ISO 3166 alpha-3 code, e.g. KEN.")
        parser.add_argument("--base-year", type=int, default=2015)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle_progress(self, *, country: str, base_year: int, format: str, **_):
        found = Country.objects.filter(iso3=country.upper()).first()
        if found is None:
            raise CommandError(f"country: unknown ISO3 code {country!r}")
        rows = progress.country_progress(country=found, base_year=base_year)
        if format == "json":
            self.stdout.write(json.dumps([
                {"indicator": row.indicator.code, "source": row.source, "target": row.target.value,
                 "target_year": row.target.year, **{k: v for k, v in asdict(row.progress).items() if k not in ("target", "target_year")}}
                for row in rows
            ], indent=2))
            return
        for row in rows:
            p = row.progress
            latest = "—" if p.latest_value is None else f"{p.latest_value:,.{row.indicator.decimals}f} ({p.latest_year})"
            ratio = "" if p.ratio is None else f"ratio {p.ratio:.2f}"
            self.stdout.write(f"{row.indicator.code:<28} {latest:>16}  target {p.target:g}  {p.label_text:<20} {ratio}")

    def resolve(self, code: str):
        try:
            return indicator_resolve(code)
        except UnknownIndicator as exc:
            raise CommandError(f"--indicator: {exc}") from None

    # --- output -------------------------------------------------------------------------------

    def progress(self, values: int) -> None:
        self.stdout.write(f"  … {values:,} values read")

    def report(self, label: str, text: str, *, ok: bool | None) -> None:
        style = self.style.SUCCESS if ok else self.style.WARNING if ok is None else self.style.ERROR
        self.stdout.write(f"{label}: " + style(text))
