"""`coalition actionplan …`: load a plan's structure from its file, load the plans the project
ships, and print a plan's progress as of a date. Thin wrappers over `services.plans` and
`selectors.progress`.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coalition.actionplan.models import Plan
from coalition.actionplan.selectors.plans import plan_page
from coalition.actionplan.services.plans import plan_file_load, plans_shipped_load
from coalition.common.actors import SYSTEM
from coalition.common.asof import as_of_date, as_of_now
from coalition.reference.models import ImportRun


def summary(run: ImportRun) -> str:
    verb = "would load" if run.kind.endswith("dry_run") else "loaded"
    if run.status == ImportRun.Status.SUCCEEDED:
        return (f"{verb} {run.rows_read} records: {run.created} created, {run.updated} updated, "
                f"{run.unchanged} unchanged, {run.deleted} deleted (import run #{run.pk})")
    count = len(run.errors)
    return f"refused, nothing loaded: {count} error{'s' if count != 1 else ''} (import run #{run.pk})"


def problem_line(problem: dict) -> str:
    where = f"line {problem['row']}" if problem.get("row") else "file"
    column = f", {problem['column']}" if problem.get("column") else ""
    return f"  {where}{column}: {problem['message']}"


class Command(BaseCommand):
    help = "Action plans: load a plan's structure from its YAML or CSV file, and show its progress."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{load,shipped,progress}")
        load = commands.add_parser("load", help="Load one plan from a YAML or CSV file (all or nothing; a reload "
                                                "updates it in place).")
        load.add_argument("path", type=Path, metavar="FILE")
        load.add_argument("--dry-run", action="store_true", help="Validate and count what would change; write nothing.")
        shipped = commands.add_parser("shipped", help="Load the plans the project ships (AP-IS 2022–2026 and the "
                                                      "illustrative draft of 2027–2030).")
        shipped.add_argument("--dry-run", action="store_true", help="Validate and count what would change; write nothing.")
        progress = commands.add_parser("progress", help="A plan's progress by pillar, as of a date.")
        progress.add_argument("plan", help="The plan's slug, e.g. ap-is-2022-2026.")
        progress.add_argument("--as-of", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD",
                              help="As the plan stood at the end of that day (default: now).")

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_load(self, *, path: Path, dry_run: bool, **_):
        if not path.is_file():
            raise CommandError(f"{path} not found")
        self.report_run(path.name, plan_file_load(actor=SYSTEM, path=path, dry_run=dry_run))

    def handle_shipped(self, *, dry_run: bool, **_):
        for run in plans_shipped_load(actor=SYSTEM, dry_run=dry_run):
            self.report_run(Path(run.source).name, run)

    def report_run(self, label: str, run: ImportRun) -> None:
        ok = run.status == ImportRun.Status.SUCCEEDED
        self.stdout.write(f"{label}: " + (self.style.SUCCESS if ok else self.style.ERROR)(summary(run)))
        if not ok:
            for problem in run.errors:
                self.stderr.write(problem_line(problem))
            raise CommandError(f"{label} was refused; nothing was loaded")

    def handle_progress(self, *, plan: str, as_of: datetime.date | None, **_):
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            known = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"Unknown plan {plan!r} (known: {known})")
        moment = as_of_date(as_of) if as_of else as_of_now()
        page = plan_page(plan=found, as_of=moment)
        progress = page.progress
        self.stdout.write(f"{found.short_name}, as of {progress.as_of.isoformat()}: {self.figure(progress.figure)} "
                          f"({progress.actions_covered} of {progress.actions} actions counted, "
                          f"{progress.actions_without_deliverables} without deliverables)")
        for row in page.pillars:
            p = row.progress
            self.stdout.write(f"  {row.pillar.code:<8} {self.figure(p.figure):>7}  weight {row.pillar.weight.normalize():f}  "
                              f"{p.actions_covered}/{p.actions} actions counted  {row.pillar.name}")

    @staticmethod
    def figure(value) -> str:
        return "—" if value is None else f"{value}%"
