"""Each day's tallies, counted once and kept: what the dashboard, the place lists and the reports read.

`tallies_for(as_of)` reads the stored tallies of the day asked for; a day not stored yet is
counted (`tallies.tallies_count`) and stored on the way. A past day is counted at its end, today
at the moment of counting. A stored day is never stale: every version written through the ORM
(a publication, a decision, an edit in the admin…) deletes the stored days from its own date on
in the same transaction and queues a recount of today for the worker (`tasks.tallies_refresh`);
bulk writers send `common.signals.registry_changed`, which deletes the days it names; a change
to group memberships deletes them all. Whoever reads a day therefore reads exactly what counting
it again would give — the tests hold the two equal for random days on both databases.

`coalition tallies` counts the missing days of a period (or recounts them all) ahead of readers.
"""

import datetime
import time

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from coalition.common.asof import AsOf, as_of_date
from coalition.common.intervals import VersionInterval, interval_models
from coalition.entities.models import Entity
from coalition.explore.models import DailyTally, TalliedDay
from coalition.explore.registry import HistoricalRegistry, partner_versions
from coalition.explore.tallies import (
    NEXT_KINDS,
    Scope,
    Tallies,
    Tally,
    countries_reached,
    for_pages,
    standing_advance,
    tallies_count,
    tallies_from_rows,
    tally_rows,
)
from coalition.pledges.models import Pledge, PledgePartner
from coalition.reference.models import CountryGroupMembership
from coalition.reporting.models import ProgressReport


def tallies_for(as_of: AsOf, scope: Scope | None = None) -> Tallies:
    """The registry's tallies at `as_of` (of a place: `scope`): one query when the day is
    stored, else counted and stored."""
    rows = DailyTally.objects.filter(day__day=as_of.date, day__place=place_key(scope)).values_list(
        "kind", "code", "pledges", "value_usd"
    )
    if rows:
        return tallies_from_rows(as_of, rows)
    return day_count(as_of, scope)


def place_key(scope: Scope | None) -> str:
    if scope is None:
        return ""
    if scope.country is not None:
        return f"country:{scope.country.iso3}"
    if scope.group is not None:
        return f"group:{scope.group.code}"
    if scope.entity is not None:
        return f"entity:{scope.entity.pk}"
    if scope.campaign is not None:
        return f"campaign:{scope.campaign.slug}"
    raise ValueError("only a country, a group, an entity or a campaign is a place whose tallies are stored")


def day_count(as_of: AsOf, scope: Scope | None = None) -> Tallies:
    """Count the tallies at `as_of` and store them as its day's, unless something was written
    while counting (then the count is returned, and the day is left for the next reader)."""
    stamp = registry_stamp()
    started = time.monotonic()
    tallies = _count(as_of, scope)
    seconds = time.monotonic() - started
    place = place_key(scope)
    try:
        with transaction.atomic():
            if registry_stamp() != stamp:
                return for_pages(tallies)
            TalliedDay.objects.filter(day=as_of.date, place=place).delete()
            rows = tally_rows(tallies)
            day = TalliedDay.objects.create(
                day=as_of.date, place=place, moment=as_of.moment, counted_at=timezone.now(), seconds=seconds,
                # The changes of status the days alone will bring: one value, whatever their number.
                changes=[[kind, code, pledges, str(value)] for kind, code, pledges, value in rows
                         if kind in NEXT_KINDS.values()],
            )
            DailyTally.objects.bulk_create(
                [DailyTally(day=day, kind=kind, code=code, pledges=pledges, value_usd=value)
                 for kind, code, pledges, value in rows if kind not in NEXT_KINDS.values()],
                batch_size=1000,
            )
    except IntegrityError:  # another process stored the same day at the same time
        pass
    return for_pages(tallies)


# Above this share of the registry changed since the previous stored day, counting everything
# again is cheaper than counting the changed pledges twice.
INCREMENTAL_SHARE = 0.2

# Always present in a full count, even at zero.
_ALWAYS = {("all", ""), ("with-value", ""), ("entities", ""), ("countries", ""), ("reported", ""),
           ("implementation-region", "*")}


def _count(as_of: AsOf, scope: Scope | None) -> Tallies:
    """The tallies at `as_of`: for the whole registry, from the latest stored day before it plus
    what the pledges changed since then add and take away, when that holds; else counted whole."""
    if scope is None:
        previous = TalliedDay.objects.filter(place="", day__lt=as_of.date).order_by("-day").first()
        if previous is not None and not _memberships_move(previous.day, as_of.date):
            counted = _count_since(previous, as_of)
            if counted is not None:
                return counted
    return tallies_count(as_of, scope=scope)


def _memberships_move(after: datetime.date, until: datetime.date) -> bool:
    """Whether a group membership starts or ends on a day in (after, until]: memberships are
    dated, so the groups a pledge targets can change without any version being written."""
    return CountryGroupMembership.objects.filter(
        Q(valid_from__gt=after, valid_from__lte=until) | Q(valid_to__gt=after, valid_to__lte=until)
    ).exists()


def _count_since(previous: TalliedDay, as_of: AsOf) -> Tallies | None:
    """The tallies at `as_of` = the stored tallies of `previous` + the changed pledges' tallies
    at `as_of` − theirs at `previous`'s moment. A pledge changed when a version of it, of one of
    its partners or reports, or of its lead entity was written in between; every other pledge
    counts the same at both moments. Distinct counts are not sums: countries reached are read
    off the per-country tallies, organisations are adjusted by those of the changed pledges
    that joined or left. None when too much changed (count everything instead)."""
    since, until = previous.moment, as_of.moment
    base = tallies_from_rows(as_of, [*previous.tallies.values_list("kind", "code", "pledges", "value_usd"),
                                     *previous.changes])
    changed = _changed_pledges(since, until)
    if len(changed) > max(1000, INCREMENTAL_SHARE * base.get("all").pledges):
        return None
    counts = dict(base.counts)
    if changed:
        then = AsOf(date=previous.day, moment=since, is_today=False)
        scope = Scope(condition=Q(id__in=sorted(changed)))
        after, before = tallies_count(as_of, scope=scope).counts, tallies_count(then, scope=scope).counts
        for key in before:
            old, remove = counts.get(key, Tally()), before[key]
            counts[key] = Tally(old.pledges - remove.pledges, old.value_usd - remove.value_usd)
        # The pledges nothing was written about change status with the days alone.
        counts = standing_advance(counts, as_of.date)
        for key in after:
            old, add = counts.get(key, Tally()), after[key]
            counts[key] = Tally(old.pledges + add.pledges, old.value_usd + add.value_usd)
        counts[("entities", "")] = Tally(base.get("entities").pledges + _entities_moved(changed, then, as_of))
    else:
        counts = standing_advance(counts, as_of.date)
    counts[("countries", "")] = countries_reached(counts)
    counts = {key: t for key, t in counts.items() if t.pledges or t.value_usd or key in _ALWAYS}
    return Tallies(as_of, counts)


def _changed_pledges(since: datetime.datetime, until: datetime.datetime) -> set[int]:
    """Ids of the pledges whose own, partners', reports' or lead entity's versions were written
    in (since, until]."""
    written = {"history_date__gt": since, "history_date__lte": until}
    pledges, partners = Pledge.history.model.objects, PledgePartner.history.model.objects
    reports, entities = ProgressReport.history.model.objects, Entity.history.model.objects
    changed = set(pledges.filter(**written).values_list("id", flat=True))
    changed |= set(partners.filter(**written).values_list("pledge_id", flat=True))
    changed |= set(reports.filter(**written).values_list("pledge_id", flat=True))
    led = pledges.filter(lead_entity_id__in=entities.filter(**written).values("id"))
    return changed | set(led.values_list("id", flat=True))


def _entities_moved(changed: set[int], then: AsOf, now: AsOf) -> int:
    """How many organisations joined (less those that left) the registry between `then` and
    `now`, the pledges `changed` being the only ones that differ. An organisation involved
    (leading or partnering) through changed pledges at one moment and not the other moved,
    unless an unchanged pledge involves it at both."""
    before, after = _involved(then, changed), _involved(now, changed)
    candidates = before ^ after
    if not candidates:
        return 0
    elsewhere = _involved_elsewhere(now, candidates, changed)
    return len(after - before - elsewhere) - len(before - after - elsewhere)


def _involved(as_of: AsOf, pledges: set[int]) -> set[int]:
    """The entities leading or partnering one of `pledges` published at `as_of`."""
    published = HistoricalRegistry(as_of).published().filter(id__in=sorted(pledges))
    partners = partner_versions(as_of).filter(pledge_id__in=published.values("id"))
    return set(published.values_list("lead_entity_id", flat=True)) | set(partners.values_list("entity_id", flat=True))


def _involved_elsewhere(as_of: AsOf, entities: set[int], excluding: set[int]) -> set[int]:
    """Those of `entities` leading or partnering a pledge published at `as_of` other than
    `excluding`: one existence check per entity, which stops at its first such pledge. (An
    entity that leads or partners a pledge cannot be deleted, so the live table lists them.)"""
    published = HistoricalRegistry(as_of).published().exclude(id__in=sorted(excluding))
    partners = partner_versions(as_of).filter(Exists(published.filter(id=OuterRef("pledge_id"))))
    involved = Exists(published.filter(lead_entity_id=OuterRef("pk"))) | Exists(partners.filter(entity_id=OuterRef("pk")))
    return set(Entity.objects.filter(pk__in=sorted(entities)).filter(involved).values_list("pk", flat=True))


def registry_stamp() -> str:
    """A short string that changes whenever anything the tallies read changes: versions are only
    ever added (a backdated one gets a new, higher id), and memberships change in number or id.
    One query."""
    quote = connection.ops.quote_name
    memberships = quote(CountryGroupMembership._meta.db_table)
    parts = [f"(SELECT MAX(history_id) FROM {quote(model._meta.db_table)})" for model in interval_models()]
    parts += [f"(SELECT MAX(id) FROM {memberships})", f"(SELECT COUNT(*) FROM {memberships})"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "-".join(str(value or 0) for value in cursor.fetchone())


def days_forget(since: datetime.date | None = None) -> int:
    """Delete the stored tallies of every day from `since` on (all days when None); returns the
    number of days forgotten."""
    days = TalliedDay.objects.all() if since is None else TalliedDay.objects.filter(day__gte=since)
    return days.delete()[1].get(TalliedDay._meta.label, 0)


def days_count(first: datetime.date, last: datetime.date, *, again: bool = False, progress=None) -> tuple[int, float]:
    """Count and store the whole registry's tallies of every day from `first` to `last` (today:
    now) that is not stored yet (every one with `again`); returns (days counted, seconds)."""
    started, counted = time.monotonic(), 0
    stored = set(TalliedDay.objects.filter(day__range=(first, last), place="").values_list("day", flat=True))
    day = first
    while day <= last:
        if again or day not in stored:
            day_count(as_of_date(day))
            counted += 1
            if progress is not None:
                progress(day)
        day += datetime.timedelta(days=1)
    return counted, time.monotonic() - started


def first_day() -> datetime.date | None:
    """The day of the earliest version the tallies read (None for an empty registry)."""
    starts = [model.objects.order_by("history_date").values_list("history_date", flat=True).first()
              for model in interval_models()]
    starts = [start for start in starts if start is not None]
    return timezone.localdate(min(starts)) if starts else None


# Receivers, connected in ExploreConfig.ready.

def version_written(sender, history_instance, **kwargs) -> None:
    if isinstance(history_instance, VersionInterval):
        days_forget(timezone.localdate(history_instance.history_date))
        refresh_soon()


def memberships_changed(sender, **kwargs) -> None:
    days_forget()
    refresh_soon()


def registry_changed(sender, since=None, **kwargs) -> None:
    days_forget(since)
    refresh_soon()


def refresh_soon() -> None:
    """Queue one recount of today once the current transaction commits (once per transaction)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _refresh_enqueue for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_refresh_enqueue)


def _refresh_enqueue() -> None:
    from coalition.explore.tasks import tallies_refresh

    tallies_refresh.enqueue()
