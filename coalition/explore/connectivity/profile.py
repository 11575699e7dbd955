"""Reads for a country's connectivity profile and for the side-by-side comparison of countries.

A profile puts together, for one country: each indicator with a 2030 target as a series of
values (each with its source, edition and year), its progress label and projected 2030 value
(`progress.country_progress`), the same indicator for the country's groups and the world
(`aggregates.aggregates`), the estimated offline population (`aggregates.country_offline`),
the pledges benefiting it as of a date (`explore.figures`, the same counting as the country
page) and the US dollars pledged per offline person, and the partners to approach
(`gap.partners_to_approach`). Nothing here computes an aggregate or a progress label itself.

Queries are bounded by the size of the catalogue (one aggregate read per indicator with a
target), never by the number of countries, values or pledges.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from coalition.common.asof import AsOf
from coalition.explore import breakdowns, figures
from coalition.explore.breakdowns import Breakdown
from coalition.explore.connectivity import gap
from coalition.explore.connectivity.gap import short_source, usd_per_person
from coalition.explore.daily import tallies_for
from coalition.explore.figures import KeyFigures
from coalition.explore.tallies import Scope
from coalition.indicators import aggregates, progress
from coalition.indicators.models import DataSource, Indicator, Target
from coalition.indicators.selectors import held_at, observations
from coalition.reference.models import Country, CountryGroup

MAX_COMPARED = 3


WORLD = aggregates.WORLD


# The groups a profile compares a country with, in this order (the world comes last).
COMPARED_KINDS = (CountryGroup.Kind.ITU_REGION, CountryGroup.Kind.DEVELOPMENT, CountryGroup.Kind.INCOME_GROUP)


# Progress labels that mean the country is not heading for the target in time.
BEHIND = frozenset({"acceleration", "limited", "deterioration"})


class CompareError(ValueError):
    """The `c` parameter of a comparison names an unknown country or too many countries."""


@dataclass(frozen=True)
class Value:
    """One value of an indicator for the country, with where it comes from."""

    year: int
    value: float
    source: str  # the source's code, e.g. itu-datahub
    edition: str  # the edition's label, e.g. 2025-06
    is_estimate: bool = False
    source_name: str = ""  # short, e.g. "ITU DataHub"


@dataclass(frozen=True)
class GroupValue:
    """An indicator for one group the country belongs to (or the world), in one year."""

    code: str
    name: str
    year: int
    value: float | None
    coverage: float  # share of the group's population with a real value, 0..1


@dataclass(frozen=True)
class IndicatorProfile:
    indicator: Indicator
    target: Target
    source: DataSource | None
    values: list[Value]  # oldest first
    progress: "progress.Progress"
    groups: list[GroupValue] = field(default_factory=list)

    @property
    def latest(self) -> Value | None:
        return self.values[-1] if self.values else None

    @property
    def label(self) -> str:
        return str(progress.LABELS.get(self.progress.label, self.progress.label))

    @property
    def is_behind(self) -> bool:
        return self.progress.label in BEHIND

    @property
    def slug(self) -> str:
        return self.indicator.code


@dataclass(frozen=True)
class Offline:
    """The estimated offline population: population × (1 − share using the Internet)."""

    row: "aggregates.OfflineRow"
    population_source: str
    internet_source: str
    internet_edition: str


@dataclass(frozen=True)
class Pledged:
    """The pledges benefiting the country as of a date, and what they come to per offline person."""

    key: KeyFigures
    breakdowns: list[Breakdown]
    usd_per_offline: Decimal | None


@dataclass(frozen=True)
class Profile:
    country: Country
    as_of: AsOf
    groups: list["aggregates.GroupRef"]
    indicators: list[IndicatorProfile]
    offline: Offline | None
    pledged: Pledged
    approach: "gap.Approach | None" = None  # the partners to approach, ranked

    @property
    def behind(self) -> list[IndicatorProfile]:
        return [row for row in self.indicators if row.is_behind]





def _compared_groups(*, country: Country, date: datetime.date) -> list["aggregates.GroupRef"]:
    """The country's ITU region, development groups and income group on `date`, then the world."""
    from coalition.reference.selectors import country_groups_as_of

    groups = [group for group in country_groups_as_of(country=country, date=date) if group.kind in COMPARED_KINDS]
    codes = [group.code for group in sorted(groups, key=lambda g: (COMPARED_KINDS.index(g.kind), g.order, g.code))]
    refs = {ref.code: ref for ref in aggregates.group_choices()}
    return [refs[code] for code in [*codes, WORLD] if code in refs]


def _indicator_profiles(
    *, country: Country, group_codes: list[str], as_of: AsOf, with_groups: bool = True,
) -> list[IndicatorProfile]:
    held = held_at(as_of)
    rows = progress.country_progress(country=country, as_of=held)
    sources = DataSource.objects.in_bulk([row.source for row in rows if row.source], field_name="code")
    profiles = []
    for row in rows:
        source = sources.get(row.source)
        values = [
            Value(o.year, o.value, o.source_code, o.edition, o.is_estimate, short_source(o.source_name))
            for o in row.observed
        ]
        groups = []
        if with_groups and group_codes and values and source is not None:
            groups = [
                GroupValue(a.group, a.group_name, a.year, a.value, a.coverage)
                for a in aggregates.aggregates(indicator=row.indicator, source=source, groups=group_codes,
                                               years=[values[-1].year], as_of=held)
            ]
        profiles.append(IndicatorProfile(row.indicator, row.target, source, values, row.progress, groups))
    return profiles


def _offline_of(*, country: Country, offline: dict, as_of: AsOf) -> Offline | None:
    row = offline.get(country.pk)
    if row is None:
        return None
    sources = _offline_sources()
    internet, source = sources["internet"]
    edition = next((
        found.edition for found in observations(indicator_ids=[internet.pk], country_ids=[country.pk], as_of=held_at(as_of))
        if found.year == row.year and source is not None and found.source_code == source.code
    ), None)
    return Offline(row, short_source(_source_name(sources["population"][1])), short_source(_source_name(sources["internet"][1])),
                   edition or "")


def _offline_sources() -> dict[str, tuple[Indicator, DataSource | None]]:
    from coalition.indicators.selectors import POPULATION, indicator_resolve

    return {"population": indicator_resolve(POPULATION), "internet": indicator_resolve("internet-use")}


def _source_name(source: DataSource | None) -> str:
    return source.name if source is not None else ""


def _pledged(*, country: Country, as_of: AsOf, offline: Offline | None) -> Pledged:
    tallies = tallies_for(as_of, Scope(country=country))
    key = figures.key_figures(tallies)
    return Pledged(
        key=key,
        breakdowns=[breakdowns.breakdown(tallies, "focus-area"), breakdowns.breakdown(tallies, "type")],
        usd_per_offline=usd_per_person(key.value_usd, offline.row.offline if offline else None),
    )


def country_profile(*, country: Country, as_of: AsOf, partners: int = 5) -> Profile:
    """Everything the country's connectivity profile shows, its pledges counted as of `as_of`.

    Indicator values are those the platform held at `as_of` (today: the latest imported), each
    with its source, edition and year; group memberships are those of `as_of`'s date. `partners` bounds the partners to approach
    (0 skips reading the whole registry for them).
    """
    groups = _compared_groups(country=country, date=as_of.date)
    indicators = _indicator_profiles(country=country, group_codes=[ref.code for ref in groups], as_of=as_of)
    offline_rows = aggregates.country_offline(as_of=held_at(as_of))
    offline = _offline_of(country=country, offline=offline_rows, as_of=as_of)
    pledged = _pledged(country=country, as_of=as_of, offline=offline)
    found = None
    if partners:
        found = gap.partners_to_approach(
            country=country, as_of=as_of, offline=offline_rows,
            behind=[row.indicator.code for row in indicators if row.is_behind], limit=partners,
        )
    return Profile(country, as_of, groups, indicators, offline, pledged, found)


@dataclass(frozen=True)
class Column:
    """One compared country: its profile without group aggregates or partners."""

    country: Country
    indicators: dict[str, IndicatorProfile]  # by indicator code
    offline: Offline | None
    pledged: Pledged


@dataclass(frozen=True)
class Comparison:
    as_of: AsOf
    indicators: list[Indicator]
    columns: list[Column]

    @property
    def rows(self) -> list[tuple[Indicator, list[IndicatorProfile | None]]]:
        """(indicator, one cell per compared country), in catalogue order."""
        return [(indicator, [column.indicators.get(indicator.code) for column in self.columns]) for indicator in self.indicators]


def countries_to_compare(*, codes: list[str]) -> list[Country]:
    """The countries the `c` parameters name (ISO alpha-3, any case), in the order given, each once.

    Raises CompareError naming the parameter for more than MAX_COMPARED codes or unknown ones.
    """
    wanted = list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    if len(wanted) > MAX_COMPARED:
        raise CompareError(_("Compare at most %(max)d countries: the parameter “c” is given %(n)d different codes.")
                           % {"max": MAX_COMPARED, "n": len(wanted)})
    found = {country.iso3: country for country in Country.objects.filter(iso3__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise CompareError(_("Unknown country code in the parameter “c”: %(codes)s. Use ISO 3166 alpha-3 codes such as KEN.")
                           % {"codes": ", ".join(unknown)})
    return [found[code] for code in wanted]


def country_comparison(*, countries: list[Country], as_of: AsOf) -> Comparison:
    """Up to MAX_COMPARED countries side by side: latest value and progress label of every
    indicator with a target, offline population, pledges as of `as_of` and USD per offline person."""
    if len(countries) > MAX_COMPARED:
        raise CompareError(f"at most {MAX_COMPARED} countries")
    offline_rows = aggregates.country_offline(as_of=held_at(as_of)) if countries else {}
    columns, indicators = [], []
    for country in countries:
        profiles = _indicator_profiles(country=country, group_codes=[], as_of=as_of, with_groups=False)
        indicators = indicators or [row.indicator for row in profiles]
        offline = _offline_of(country=country, offline=offline_rows, as_of=as_of)
        columns.append(Column(country, {row.indicator.code: row for row in profiles}, offline,
                              _pledged(country=country, as_of=as_of, offline=offline)))
    return Comparison(as_of, indicators, columns)
