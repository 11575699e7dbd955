"""The public dashboard's figures as of a date, cached until the registry changes, and the CSV
files of each chart's numbers.

A dashboard is built from two frames (the date asked for and a year earlier, for the
year-on-year growth) and kept in Django's cache under a key made of the date and a stamp of
the registry's history: any new version of a pledge, partner, entity or report, or any change
to group memberships, makes a new stamp, so a cached dashboard is never stale — it is simply
not found.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import get_language

from coalition.common.asof import AsOf
from coalition.common.spreadsheet import SafeCsvWriter
from coalition.entities.models import Entity
from coalition.explore import breakdowns, figures
from coalition.explore.breakdowns import Breakdown
from coalition.explore.figures import Event, Growth, KeyFigures, MapRow, Month
from coalition.explore.frame import frame_load
from coalition.pledges.models import Pledge, PledgePartner
from coalition.reference.models import CountryGroupMembership
from coalition.reporting.models import ProgressReport

CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Dashboard:
    as_of: AsOf
    key: KeyFigures
    growth: Growth
    breakdowns: list[Breakdown]
    months: list[Month]
    events: list[Event]
    countries: list[MapRow]
    small_islands: frozenset[str]

    def breakdown(self, slug: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.slug == slug)


def registry_stamp(moment=None) -> str:
    """A short string that changes whenever anything the figures at `moment` read changes.

    For now (`moment` None) any new version anywhere changes it; for a past moment only
    versions dated up to it do (those written later cannot change what the registry said
    then), so the figures of past dates stay cached while the registry moves on. Versions are
    only ever added, so the newest version id is enough: a version backdated into the past
    (an import) has a new, higher id.
    """
    parts = []
    for model in (Pledge, PledgePartner, Entity, ProgressReport):
        versions = model.history.model.objects.all()
        if moment is not None:
            versions = versions.filter(history_date__lte=moment)
        parts.append(versions.aggregate(m=Max("history_id"))["m"])
    memberships = CountryGroupMembership.objects.aggregate(m=Max("id"), n=Count("id"))
    return "-".join(str(part or 0) for part in [*parts, memberships["m"], memberships["n"]])


def _cached(kind: str, as_of: AsOf, build):
    day = as_of.date.isoformat()
    key = f"figures:{kind}:{day}:{int(as_of.is_today)}:{get_language()}:{registry_stamp(None if as_of.is_today else as_of.moment)}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, CACHE_SECONDS)
    return found


def key_figures_for(as_of: AsOf) -> KeyFigures:
    """The key figures at `as_of`, cached like the dashboard (year-on-year growth reads them)."""
    return _cached("key", as_of, lambda: figures.key_figures(frame_load(as_of)))


def dashboard_build(as_of: AsOf) -> Dashboard:
    """Every figure of the dashboard at `as_of`, computed from the records (the year-earlier key
    figures may come from the cache)."""
    frame = frame_load(as_of)
    key = figures.key_figures(frame)
    months, events = figures.growth_by_month(frame)
    return Dashboard(
        as_of=as_of,
        key=key,
        growth=figures.growth_between(key, key_figures_for(as_of.year_earlier())),
        breakdowns=[breakdowns.breakdown(frame, slug) for slug in breakdowns.BREAKDOWNS],
        months=months,
        events=events,
        countries=figures.by_country(frame),
        small_islands=frozenset(
            CountryGroupMembership.objects.as_of(as_of.date).filter(group__code="SIDS")
            .values_list("country__iso3", flat=True)
        ),
    )


def dashboard_for(as_of: AsOf) -> Dashboard:
    """The dashboard at `as_of`, from the cache when nothing it reads has changed since it was built.

    Labels are translated, so each language has its own entry. The figures of a cached "now"
    are still the registry's figures now (the stamp proves nothing changed); the page shows
    the moment of the request.
    """
    return _cached("dashboard", as_of, lambda: dashboard_build(as_of))


def write_breakdown_csv(breakdown: Breakdown, *, as_of: AsOf, stream) -> None:
    """One row per category: code, label, pledges, value in USD, share of pledges, as-of date."""
    writer = SafeCsvWriter(stream)
    writer.writerow(["code", "category", "pledges", "value_usd", "share_of_pledges", "as_of"])
    for row in breakdown.rows:
        share = "" if row.share is None else f"{row.share:.4f}"
        writer.writerow([row.code, row.label, row.pledges, f"{row.value_usd:.2f}", share, as_of.date.isoformat()])


def write_growth_csv(months: list[Month], *, as_of: AsOf, stream) -> None:
    writer = SafeCsvWriter(stream)
    writer.writerow(["month", "published", "cumulative_pledges", "cumulative_value_usd", "as_of"])
    for month in months:
        writer.writerow([month.month.strftime("%Y-%m"), month.published, month.cumulative_pledges,
                         f"{month.cumulative_value_usd:.2f}", as_of.date.isoformat()])


def write_countries_csv(rows: list[MapRow], *, as_of: AsOf, stream) -> None:
    writer = SafeCsvWriter(stream)
    writer.writerow(["iso3", "iso_numeric", "country", "pledges", "value_usd", "as_of"])
    for row in rows:
        writer.writerow([row.iso3, row.numeric, row.name, row.pledges, f"{row.value_usd:.2f}", as_of.date.isoformat()])


def write_key_figures_csv(key: KeyFigures, *, stream) -> None:
    writer = SafeCsvWriter(stream)
    writer.writerow(["figure", "value", "as_of"])
    day = key.as_of.date.isoformat()
    rows = [
        ("published_pledges", key.pledges),
        ("estimated_value_usd", f"{key.value_usd:.2f}"),
        ("pledges_with_a_value", key.pledges_with_value),
        ("entities", key.entities),
        ("beneficiary_countries", key.countries),
        *[(f"pledges_targeting_{g.code}", g.pledges) for g in key.groups],
        *[(f"value_usd_targeting_{g.code}", f"{g.value_usd:.2f}") for g in key.groups],
        ("pledges_with_an_accepted_report", key.reported),
        ("disbursed_usd_latest_accepted_reports", f"{key.disbursed_usd:.2f}"),
    ]
    for name, value in rows:
        writer.writerow([name, value, day])
