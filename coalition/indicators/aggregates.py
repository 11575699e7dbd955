"""Population-weighted group aggregates of an indicator, with imputation and coverage.

A group's members are, by default, its members today (or on the `as_of` date): like ITU's and
the World Bank's regional series, every year of a series is computed over the same countries,
so a change over time reflects connectivity, not a change of membership. With
`membership="yearly"`, each year counts the members in force on 1 July of that year instead
(a country that left the LDCs in 2023 counts in the LDC figure for 2022, not for 2024).

For a group and year, each member country gets:

1. its population that year (the population indicator, filled as below);
2. its value that year: the observed value; else, within the country, linear interpolation
   between the nearest observed years on either side; else the nearest observed value carried
   forward or back by at most `CARRY_YEARS` years; else nothing.

The group value is the population-weighted mean over members with a value (observed or
imputed within the country). Members with no value get the group estimate, which leaves the
mean unchanged but counts their people in the population and in the offline estimate. An
indicator whose `aggregation` is "simple" (ITU's ICT price baskets, which ITU averages that way)
takes the plain mean of the members with a value instead, members without a population figure
included.
`coverage` is the share of the group's population whose value that year was observed, not
imputed. Members with no population figure at all cannot be weighted and are left out (they
are counted in `countries_without_population`). The population indicator itself aggregates
as a sum. docs/indicators-methods.md explains all of this with a worked example.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.indicators.models import DataSource, Indicator
from coalition.indicators.selectors import POPULATION, indicator_resolve, source_with_most_values, values_by_country
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership

WORLD = "WORLD"
CARRY_YEARS = 3
OFFLINE_INDICATOR = "internet-use"

OBSERVED, INTERPOLATED, CARRIED = "observed", "interpolated", "carried"
CURRENT, YEARLY = "current", "yearly"


class UnknownGroup(LookupError):
    pass


@dataclass(frozen=True)
class GroupRef:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class Aggregate:
    group: str
    group_name: str
    year: int
    value: float | None
    population: float
    coverage: float
    offline: float | None
    countries: int
    countries_with_data: int
    countries_without_population: int
    indicator: str
    source: str | None
    members_as_of: str  # "YYYY-MM-DD" for one fixed composition, "yearly" otherwise

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class OfflineRow:
    country_id: int
    year: int
    population: float
    share_online: float
    offline: float
    imputed: bool


class Series:
    """One country's observed values, filled for any year by the rule in the module docstring."""

    __slots__ = ("years", "values")

    def __init__(self, values: dict[int, float]):
        self.years = sorted(values)
        self.values = [values[year] for year in self.years]

    def at(self, year: int) -> tuple[float, str] | None:
        years = self.years
        i = bisect.bisect_left(years, year)
        if i < len(years) and years[i] == year:
            return self.values[i], OBSERVED
        if 0 < i < len(years):
            y0, y1 = years[i - 1], years[i]
            v0, v1 = self.values[i - 1], self.values[i]
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0), INTERPOLATED
        if i == len(years) and years and year - years[-1] <= CARRY_YEARS:
            return self.values[-1], CARRIED
        if i == 0 and years and years[0] - year <= CARRY_YEARS:
            return self.values[0], CARRIED
        return None


def group_choices() -> list[GroupRef]:
    """Every group an aggregate can be asked for: the world, then each country group by kind."""
    world = GroupRef(WORLD, str(_("World")), "world")
    return [world] + [GroupRef(g.code, g.name, g.kind) for g in CountryGroup.objects.order_by("kind", "order", "code")]


def _members_by_group(codes: list[str]) -> dict[str, list[tuple[int, datetime.date | None, datetime.date | None]]]:
    unknown = set(codes) - {WORLD} - set(CountryGroup.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown:
        raise UnknownGroup(
            f"Unknown group {', '.join(sorted(unknown))}; list them with `coalition indicators groups`"
        )
    members: dict[str, list] = defaultdict(list)
    rows = CountryGroupMembership.objects.filter(group__code__in=codes).values_list(
        "group__code", "country_id", "valid_from", "valid_to"
    )
    for code, country_id, valid_from, valid_to in rows:
        members[code].append((country_id, valid_from, valid_to))
    if WORLD in codes:
        members[WORLD] = [(country_id, None, None) for country_id in Country.objects.values_list("id", flat=True)]
    return members


def _in_force(members, day: datetime.date) -> set[int]:
    # CountryGroupMembership.objects.as_of's rule (from inclusive, to exclusive), applied in
    # Python to memberships read once, so that many years cost no query each.
    return {
        country_id for country_id, valid_from, valid_to in members
        if (valid_from is None or valid_from <= day) and (valid_to is None or valid_to > day)
    }


def _source_for(indicator: Indicator, source: DataSource | None) -> DataSource | None:
    return source or indicator.preferred_source or source_with_most_values(indicator)


def aggregates(
    *, indicator: Indicator, source: DataSource | None = None, groups: Iterable[str], years: Iterable[int],
    as_of: datetime.datetime | None = None, membership: str = CURRENT,
) -> list[Aggregate]:
    """One Aggregate per group and year (groups in the order given, years ascending).

    `source` defaults to the indicator's preferred source. With `as_of`, from the values the
    platform held at that moment (see `values_by_country`). Raises UnknownGroup for a code
    that is neither WORLD nor a country group. A constant number of queries whatever the
    number of groups and years.
    """
    if membership not in (CURRENT, YEARLY):
        raise ValueError(f"membership must be {CURRENT!r} or {YEARLY!r}, not {membership!r}")
    codes = list(dict.fromkeys(groups))
    years = sorted(set(years))
    fixed_day = timezone.localdate(as_of) if as_of is not None else timezone.localdate()
    members = _members_by_group(codes)
    source = _source_for(indicator, source)
    population_indicator, population_source = indicator_resolve(POPULATION)
    population = {c: Series(v) for c, v in values_by_country(indicator=population_indicator, source=population_source, as_of=as_of).items()}
    is_population = indicator.pk == population_indicator.pk and source == population_source
    values = population if is_population else {
        c: Series(v) for c, v in values_by_country(indicator=indicator, source=source, as_of=as_of).items()
    }
    offline_applies = indicator.code == OFFLINE_INDICATOR
    simple = not is_population and indicator.aggregation == Indicator.Aggregation.SIMPLE
    names = {ref.code: ref.name for ref in group_choices() if ref.code in codes}
    cache: dict[tuple[int, int], tuple] = {}

    def filled(country_id: int, year: int):
        key = (country_id, year)
        if key not in cache:
            weight = population.get(country_id)
            weight = weight.at(year) if weight else None
            series = values.get(country_id)
            cache[key] = (weight[0] if weight else None, series.at(year) if series else None)
        return cache[key]

    result = []
    for code in codes:
        for year in years:
            total = weighted = covered = plain = 0.0
            known = with_data = without_population = 0
            day = fixed_day if membership == CURRENT else datetime.date(year, 7, 1)
            countries = _in_force(members[code], day)
            for country_id in countries:
                weight, value = filled(country_id, year)
                if weight is None:
                    without_population += 1
                    if simple and value is not None:  # a simple mean needs no weight
                        with_data += 1
                        plain += value[0]
                    continue
                total += weight
                if value is None:
                    continue
                with_data += 1
                known += weight
                plain += value[0]
                weighted += value[0] if is_population else weight * value[0]
                if value[1] == OBSERVED:
                    covered += weight
            if is_population:
                mean = weighted if with_data else None
            elif simple:
                mean = plain / with_data if with_data else None
            else:
                mean = weighted / known if known else None
            offline = total * (1 - mean / 100) if offline_applies and mean is not None else None
            result.append(Aggregate(
                group=code, group_name=names.get(code, code), year=year, value=mean, population=total,
                coverage=covered / total if total else 0.0, offline=offline, countries=len(countries),
                countries_with_data=with_data, countries_without_population=without_population,
                indicator=indicator.code, source=source.code if source else None,
                members_as_of=fixed_day.isoformat() if membership == CURRENT else YEARLY,
            ))
    return result


def years_with_data(*, indicator: Indicator, source: DataSource | None = None) -> list[int]:
    source = _source_for(indicator, source)
    if source is None:
        return []
    return sorted(set(indicator.observations.filter(source=source).values_list("year", flat=True).distinct()))


def country_offline(
    *, year: int | None = None, country_ids: Iterable[int] | None = None, as_of: datetime.datetime | None = None
) -> dict[int, OfflineRow]:
    """Offline people per country: population × (1 − share using the Internet / 100).

    With no `year`, each country's latest observed year of Internet use; with a year, that
    year's value filled as in aggregates (`imputed` tells). Countries with no Internet-use
    value or no population that year are absent.
    """
    indicator, source = indicator_resolve(OFFLINE_INDICATOR)
    ids = list(country_ids) if country_ids is not None else None
    shares = values_by_country(indicator=indicator, source=source, country_ids=ids, as_of=as_of)
    population_indicator, population_source = indicator_resolve(POPULATION)
    people = values_by_country(indicator=population_indicator, source=population_source, country_ids=ids, as_of=as_of)
    result = {}
    for country_id, observed in shares.items():
        series = Series(observed)
        when = year if year is not None else series.years[-1]
        share = series.at(when)
        weight = Series(people[country_id]).at(when) if country_id in people else None
        if share is None or weight is None:
            continue
        online = min(max(share[0], 0.0), 100.0)
        result[country_id] = OfflineRow(
            country_id=country_id, year=when, population=weight[0], share_online=online,
            offline=weight[0] * (1 - online / 100), imputed=share[1] != OBSERVED,
        )
    return result
