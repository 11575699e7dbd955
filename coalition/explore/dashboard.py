"""The public dashboard's figures as of a date, and the CSV files of each chart's numbers.

A dashboard is built from the stored tallies of two days (`daily.py`): the date asked for and a
year earlier, for the year-on-year growth. Both are read the same way, so a figure quoted today
is the figure `?as_of=` gives for today's date later.
"""

from dataclasses import dataclass

from coalition.common.asof import AsOf
from coalition.common.spreadsheet import SafeCsvWriter
from coalition.explore import breakdowns, charts, figures, svg
from coalition.explore.breakdowns import Breakdown
from coalition.explore.daily import tallies_for
from coalition.explore.figures import PARTS, Event, Growth, KeyFigures, MapRow, Month
from coalition.reference.models import CountryGroupMembership


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


def key_figures_for(as_of: AsOf) -> KeyFigures:
    """The key figures at `as_of` (the home page's)."""
    return figures.key_figures(tallies_for(as_of))


def dashboard_for(as_of: AsOf) -> Dashboard:
    """Every figure of the dashboard at `as_of`, from the stored tallies of its day and of the
    same day a year earlier (each counted and stored first if it was not)."""
    tallies = tallies_for(as_of)
    key = figures.key_figures(tallies)
    months, events = figures.growth_by_month(tallies)
    return Dashboard(
        as_of=as_of,
        key=key,
        growth=figures.growth_between(key, key_figures_for(as_of.year_earlier())),
        breakdowns=[breakdowns.breakdown(tallies, slug) for slug in breakdowns.BREAKDOWNS],
        months=months,
        events=events,
        countries=figures.by_country(tallies),
        small_islands=frozenset(
            CountryGroupMembership.objects.as_of(as_of.date).filter(group__code="SIDS")
            .values_list("country__iso3", flat=True)
        ),
    )


def dashboard_charts(board: Dashboard) -> tuple[dict, dict]:
    """The dashboard's chart specs (Vega-Lite, for the interactive charts) and their drawings
    (SVG, drawn once per spec and language and cached: `svg.drawings`)."""
    specs = {
        "growth": charts.growth_chart(board.months, board.events),
        "map": charts.world_map(board.countries, small_islands=set(board.small_islands)),
        **{b.slug: charts.breakdown_chart(b) for b in board.breakdowns},
    }
    sizes = {name: svg.HALF for name in specs} | {"growth": svg.FULL, "map": svg.FULL}
    return specs, svg.drawings(specs, sizes)


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
    if key.parts is not None:  # the four parts of the estimated value, which add up to it
        parts = key.parts
        rows += [(f"value_usd_{part}", f"{getattr(parts, part):.2f}") for part in PARTS]
        rows += [(f"pledges_{part}", parts.pledges[part]) for part in PARTS]
        rows += [(f"delivered_usd_{level or 'not_assessed'}", f"{value:.2f}") for level, _label, value in parts.by_level]
        rows.append(("disbursed_usd_beyond_value_pledged", f"{parts.beyond_pledged:.2f}"))
    for name, value in rows:
        writer.writerow([name, value, day])
