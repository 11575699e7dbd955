"""`coalition demo generate|reset`: a realistic, clearly flagged demo registry."""

import time

from django.core.management.base import BaseCommand, CommandError

from coalition.accounts.models import User
from coalition.demo.accounts import REVIEWER_EMAIL, demo_accounts_ensure, demo_focal_point_link
from coalition.demo.context import ReferenceDataMissing, load_context
from coalition.demo.entities import entity_count_for
from coalition.demo.generate import DemoDataExists, demo_exists, demo_generate
from coalition.demo.plan import demo_plan_generate
from coalition.demo.publications import demo_publications_ensure
from coalition.demo.reset import DemoDataInUse, demo_reset
from coalition.demo.summary import demo_summary


class Command(BaseCommand):
    help = "Generate (or remove) demo entities and pledges, flagged is_demo, with their full history."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        generate = actions.add_parser("generate", help="Generate demo data and the demo accounts.")
        generate.add_argument("--pledges", type=int, default=1000, help="Number of pledges (default 1000).")
        generate.add_argument(
            "--entities", type=int, default=None,
            help="Number of entities (default: 400 at 1000 pledges, growing with the square root).",
        )
        generate.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        generate.add_argument("--reset", action="store_true", help="Delete existing demo data first (demo data only).")
        actions.add_parser("reset", help="Delete demo data only (rows flagged is_demo and their history).")
        actions.add_parser("publish", help="Publish the demo's reports and build the open-data files (once).")

    def handle(self, *args, action, **options):
        try:
            if action == "reset":
                self._reset()
            elif action == "publish":
                self._publish()
            else:
                self._generate(**options)
        except (ReferenceDataMissing, DemoDataInUse, ValueError) as error:
            raise CommandError(str(error)) from None

    def _reset(self) -> None:
        started = time.monotonic()
        deleted = demo_reset()
        total = sum(deleted.values())
        self.stdout.write(f"Removed demo data: {total:,} rows in {time.monotonic() - started:.1f} s.")

    def _generate(self, *, pledges, entities, seed, reset, **_options) -> None:
        if pledges < 1 or (entities is not None and entities < 1):
            raise CommandError("--pledges and --entities must be at least 1.")
        if demo_exists():
            if not reset:
                summary = demo_summary()
                self.stdout.write(
                    f"Demo data already exists ({summary['pledges']:,} pledges, {summary['entities']:,} entities); "
                    "nothing done. Use --reset to replace it."
                )
                return
            self._reset()
        count = entities or entity_count_for(pledges)
        self.stdout.write(f"Generating {pledges:,} demo pledges from {count:,} entities (seed {seed})…")
        load_context()  # refuse before creating accounts when reference data is missing
        # The demo reviewer decides the demo's progress reports, so it exists before them.
        accounts = demo_accounts_ensure()
        started = time.monotonic()
        try:
            written = demo_generate(pledges=pledges, entities=count, seed=seed, progress=self._progress)
        except DemoDataExists as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Wrote {sum(written.values()):,} rows in {time.monotonic() - started:,.1f} s.")
        self._print_summary()
        demo_focal_point_link(accounts)
        users = {account.role: User.objects.get(email=account.email) for account in accounts}
        demo_plan_generate(seed=seed, reviewer=users["reviewer"], administrator=users["administrator"],
                           country_focal_point=users["country focal point"], say=self._progress)
        self._print_accounts(accounts)

    def _publish(self) -> None:
        reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
        if reviewer is None or not demo_exists():
            raise CommandError("No demo registry to publish from: run `coalition demo generate` first.")
        started = time.monotonic()
        done = demo_publications_ensure(reviewer=reviewer, say=self._progress)
        if not any(done.values()):
            self.stdout.write("The demo's reports and open-data files are there already; nothing done.")
        else:
            self.stdout.write(f"Published {done['reports']} reports and built {done['files']} open-data files "
                              f"in {time.monotonic() - started:,.1f} s.")

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()  # shown as it happens even when the output goes to a file

    def _print_summary(self) -> None:
        summary = demo_summary()
        statuses = ", ".join(f"{status} {n:,}" for status, n in sorted(summary["pledges_by_status"].items(), key=lambda x: -x[1]))
        value = summary["published_value_usd"] or 0
        self.stdout.write(
            f"Demo registry: {summary['entities']:,} entities from {summary['home_countries']:,} countries; "
            f"{summary['pledges']:,} pledges ({statuses}); published value USD {value:,.0f}."
        )
        reports = ", ".join(f"{status} {n:,}" for status, n in sorted(summary["reports_by_status"].items(), key=lambda x: -x[1]))
        self.stdout.write(
            f"Progress reports: {summary['reports']:,} on {summary['pledges_reporting']:,} pledges ({reports or 'none'})."
        )

    def _print_accounts(self, accounts) -> None:
        self.stdout.write("Demo accounts:")
        for account in accounts:
            password = f"  password: {account.password}" if account.password else ""
            self.stdout.write(f"  {account.role:<19} {account.email}{password}  ({account.note})")
