"""Generate the demo registry: entities, campaigns and pledges with their full history."""

import gc
import random
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction

from coalition.accounts.models import User
from coalition.common.bulk import BatchWriter, tables_analyze
from coalition.common.signals import registry_changed
from coalition.demo import lifecycle
from coalition.demo.accounts import REVIEWER_EMAIL
from coalition.demo.context import load_context
from coalition.demo.entities import EntityPool, entity_count_for, entity_rows, focal_point_row, make_entities
from coalition.demo.pledges import PledgeMaker
from coalition.demo.reports import ReportMaker
from coalition.demo.rows import RowWriter
from coalition.entities.models import Entity
from coalition.pledges.models import Campaign, Pledge, PledgeSearchDocument, Status
from coalition.pledges.search import search_rebuild
from coalition.reference.models import Country, Initiative

CHUNK_PLEDGES = 10_000


class DemoDataExists(Exception):
    """Demo data is already there; generating again would mix two runs."""


def demo_exists() -> bool:
    return Pledge.objects.filter(is_demo=True).exists() or Entity.objects.filter(is_demo=True).exists()


def demo_generate(
    *,
    pledges: int = 1000,
    entities: int | None = None,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write `pledges` demo pledges and their entities; return the number of rows per table.

    Preconditions: reference data is loaded (else `ReferenceDataMissing`) and no demo data
    exists (else `DemoDataExists`). Side effects: creates the events as `Campaign` rows when
    missing (they are real events, shared with real pledges, so they carry no demo flag);
    writes entities, focal points, pledges, targets, partners, transitions, progress reports
    (with their actuals and decisions) and all their history rows, flagged `is_demo` where
    the model has the flag. Report decisions name the demo reviewer account when it exists
    (the command creates it first), else nobody. Writes in chunks of `CHUNK_PLEDGES` pledges, so memory stays flat: live rows in one transaction, pledge
    versions in another (on PostgreSQL the two are written side by side). An interrupted run
    leaves whole transactions behind, which `demo_reset` removes. The same seed on the same
    reference data gives the same rows (keys aside, which start after the current highest).
    """
    if pledges < 1:
        raise ValueError("pledges: generate at least one pledge")
    if demo_exists():
        raise DemoDataExists("Demo data already exists; reset it first.")
    say = progress or (lambda message: None)
    ctx = load_context()
    for name in ctx.absent:
        say(f"Note: no {name} loaded (their data file was not found); demo pledges will cite none.")
    campaign_ids = _ensure_campaigns(pledges)
    rng = random.Random(seed)
    rows = RowWriter()
    # Large runs are written by other processes while the next chunk is generated; inside a
    # transaction (tests) those could not see the caller's rows, so small runs write inline.
    background = pledges > CHUNK_PLEDGES and not connection.in_atomic_block

    # The rows are plain tuples without cycles; the collector's passes over the hundreds of
    # thousands alive in a chunk cost a third of the generation time and free nothing, so it
    # runs once per chunk instead.
    collecting = gc.isenabled()
    gc.disable()
    try:
        written = _generate(rows, ctx, rng, seed, pledges, entities, campaign_ids, background, say)
    finally:
        if collecting:
            gc.enable()
    rows.reset_sequences()
    # The rows were written directly, past the services that keep the search index.
    say("Rebuilding the search index…")
    search_rebuild()
    registry_changed.send(sender=None, since=None)  # the stored daily tallies no longer hold
    say("Analysing the tables written…")
    tables_analyze([table.model._meta.db_table for table in rows.tables()] + [PledgeSearchDocument._meta.db_table])
    return written


def _generate(rows, ctx, rng, seed, pledges, entities, campaign_ids, background, say) -> dict[str, int]:
    with BatchWriter(background=background, lanes=2) as writer:
        people = make_entities(rng, ctx, count=entities or entity_count_for(pledges), first_id=rows.entity.next_id)
        rows.entity.next_id += len(people)
        for entity, values in zip(people, entity_rows(people)):
            rows.add_entity(values, focal_point_row(rng, entity, rows.focal_point.take_id()))
        writer.submit(rows.take_batch(rows.tables()))

        maker = PledgeMaker(rng, ctx, EntityPool(people), campaign_ids)
        reviewer_id = User.objects.filter(email=REVIEWER_EMAIL).values_list("pk", flat=True).first()
        # A stream of its own, so the pledges a seed gives do not depend on the reports.
        reporter = ReportMaker(random.Random(f"reports-{seed}"), ctx, reviewer_id)
        first_id = rows.pledge.next_id
        started = time.monotonic()
        for offset in range(0, pledges, CHUNK_PLEDGES):
            for number in range(offset, min(pledges, offset + CHUNK_PLEDGES)):
                plan = maker.make(first_id + number)
                target_ids = rows.add_pledge(plan)
                published = plan.steps[-1].at if plan.steps and plan.steps[-1].to_status == Status.PUBLISHED else None
                reports = reporter.make(plan.values, published, plan.targets)
                if reports:
                    rows.add_reports(reports, target_ids, reviewer_id)
            writer.submit(rows.take_batch(rows.record_tables()), lane=0)
            writer.submit(rows.take_batch(rows.version_tables()), lane=1)
            gc.collect(1)  # what cyclic garbage the ORM left, while few rows are alive
            done = min(pledges, offset + CHUNK_PLEDGES)
            if pledges > CHUNK_PLEDGES:
                say(f"  {done:>9,} / {pledges:,} pledges ({done / pledges:.0%}), {time.monotonic() - started:,.0f} s")
    return dict(writer.counts)


# The demo campaigns' hosts and goals (pledges, US dollars) for a demo of 300 pledges, scaled to the
# demo's size: some are met, some missed, some campaigns set no goal.
GOALS = {
    "p2c-roundtable-2021": ("ITU", None, None),
    "wtdc-22": ("ITU", 30, 2_500_000_000),
    "pp-22": ("ITU", 25, None),
    "wsis-forum-2023": ("ITU, UNESCO, UNDP and UNCTAD", None, 1_000_000_000),
    "wsis-forum-2024": ("ITU, UNESCO, UNDP and UNCTAD", None, 1_000_000_000),
    "escap-ministerial-2024": ("UN ESCAP", 10, 250_000_000),
    "wsis-forum-2025": ("ITU, UNESCO, UNDP and UNCTAD", None, 1_000_000_000),
    "wtdc-25": ("ITU", 30, 500_000_000),
    "wsis-forum-2026": ("ITU, UNESCO, UNDP and UNCTAD", None, 1_000_000_000),
    "pp-26": ("ITU", 20, None),
}


def _goals(slug: str, pledges: int) -> dict:
    host, goal_pledges, goal_usd = GOALS.get(slug, ("", None, None))
    scale = max(pledges, 1) / 300
    return {
        "host": host,
        "goal_pledges": max(1, round(goal_pledges * scale)) if goal_pledges else None,
        "goal_usd": Decimal(max(1_000_000, round(goal_usd * scale, -6))) if goal_usd else None,
    }


def _ensure_campaigns(pledges: int) -> dict[str, int]:
    """The events pledges are announced at, created once and reused (slug is the key), with their
    hosts and goals for a demo of `pledges` pledges."""
    initiatives = dict(Initiative.objects.values_list("slug", "pk"))
    countries = dict(Country.objects.values_list("iso3", "pk"))
    ids = {}
    with transaction.atomic():
        for event in lifecycle.EVENTS:
            if event.initiative not in initiatives:
                continue
            campaign, _created = Campaign.objects.get_or_create(
                slug=event.slug,
                defaults={
                    "initiative_id": initiatives[event.initiative],
                    "name_en": event.name,
                    "start_date": event.start,
                    "end_date": event.end,
                    "location": event.location,
                    "country_id": countries.get(event.iso3),
                    **_goals(event.slug, pledges),
                },
            )
            ids[event.slug] = campaign.pk
    return ids
