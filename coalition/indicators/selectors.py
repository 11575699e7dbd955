"""Reads of indicator values: which indicator and source a code means, and values by country."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from .models import DataSource, Indicator, Observation, ObservationRevision, Series, Target

POPULATION = "population"


class UnknownIndicator(LookupError):
    """Neither an indicator code of the platform nor a series code of a known source."""


def indicator_resolve(code: str) -> tuple[Indicator, DataSource | None]:
    """The indicator `code` names and whose values to use.

    `code` is the platform's own code (`internet-use`: the indicator's preferred source, or,
    when it names none, the source holding most values) or a source's series code
    (`IT.NET.USER.ZS`, `i99H`: that source). The source is None when nothing is imported yet.
    Raises UnknownIndicator with the codes one could have meant.
    """
    indicator = Indicator.objects.select_related("preferred_source").filter(code=code).first()
    if indicator is not None:
        return indicator, indicator.preferred_source or source_with_most_values(indicator)
    series = Series.objects.select_related("indicator", "source").filter(code=code).first()
    if series is None:
        series = Series.objects.select_related("indicator", "source").filter(code__iexact=code).first()
    if series is not None:
        return series.indicator, series.source
    known = sorted(Indicator.objects.values_list("code", flat=True)) + sorted(Series.objects.values_list("code", flat=True))
    raise UnknownIndicator(f"Unknown indicator {code!r}; known codes: {', '.join(known)}")


def source_with_most_values(indicator: Indicator) -> DataSource | None:
    return (
        DataSource.objects.annotate(n=Count("observations", filter=Q(observations__indicator=indicator)))
        .filter(n__gt=0).order_by("-n", "code").first()
    )


def values_by_country(
    *, indicator: Indicator, source: DataSource | None, country_ids: Iterable[int] | None = None,
    years: tuple[int, int] | None = None, as_of: datetime.datetime | None = None,
) -> dict[int, dict[int, float]]:
    """{country id: {year: value}} of one indicator from one source.

    `years` bounds the years read (inclusive). No source (nothing imported) gives {}.
    With `as_of`, the values the platform held at that moment: editions first imported later
    are left out, and a value revised since is read from its revision (two queries instead
    of one), so a figure quoted then can be rebuilt.
    """
    if source is None:
        return {}
    country_ids = list(country_ids) if country_ids is not None else None

    def scoped(rows):
        rows = rows.filter(indicator=indicator, source=source)
        if country_ids is not None:
            rows = rows.filter(country_id__in=country_ids)
        if years is not None:
            rows = rows.filter(year__gte=years[0], year__lte=years[1])
        if as_of is not None:
            rows = rows.filter(edition__first_imported_at__lte=as_of)
        return rows

    result: dict[int, dict[int, float]] = defaultdict(dict)
    for country_id, year, value in scoped(Observation.objects).values_list("country_id", "year", "value").iterator(chunk_size=20_000):
        result[country_id][year] = value
    if as_of is not None:
        # The earliest revision made after `as_of` holds the value current at `as_of`.
        revisions = scoped(ObservationRevision.objects).filter(replaced_at__gt=as_of).order_by("-replaced_at")
        for country_id, year, value in revisions.values_list("country_id", "year", "value"):
            result[country_id][year] = value
    return dict(result)


def population_by_country(*, country_ids: Iterable[int] | None = None) -> dict[int, dict[int, float]]:
    """{country id: {year: persons}} from the population indicator's preferred source."""
    indicator, source = indicator_resolve(POPULATION)
    return values_by_country(indicator=indicator, source=source, country_ids=country_ids)


def target_for(indicator: Indicator, *, year: int = 2030) -> Target | None:
    return Target.objects.filter(indicator=indicator, year=year).first()


def indicators_with_targets() -> list[Indicator]:
    """Catalogue indicators that have a 2030 target, in catalogue order, targets prefetched."""
    return list(Indicator.objects.filter(targets__isnull=False).distinct().select_related("preferred_source").prefetch_related("targets"))


@dataclass(frozen=True)
class Observed:
    """One value as read for a page: with its source and the edition that gave it."""

    country_id: int
    indicator_id: int
    year: int
    value: float
    is_estimate: bool
    source_code: str
    source_name: str
    edition: str


_OBSERVED_FIELDS = ("country_id", "indicator_id", "year", "value", "is_estimate", "source__code", "source__name", "edition__label")


def observations(
    *, indicator_ids: Iterable[int], country_ids: Iterable[int], as_of: datetime.datetime | None = None,
) -> list[Observed]:
    """Every source's values of the indicators for the countries, oldest year first.

    With `as_of`, the values the platform held at that moment, as in `values_by_country`: one
    query more, for the revisions made since.
    """
    indicator_ids, country_ids = list(indicator_ids), list(country_ids)
    current = Observation.objects.filter(indicator_id__in=indicator_ids, country_id__in=country_ids)
    if as_of is None:
        return [Observed(*row) for row in current.order_by("year").values_list(*_OBSERVED_FIELDS)]
    found = {
        (row[0], row[1], row[2], row[5]): row
        for row in current.filter(edition__first_imported_at__lte=as_of).values_list(*_OBSERVED_FIELDS)
    }
    revisions = (
        ObservationRevision.objects.filter(indicator_id__in=indicator_ids, country_id__in=country_ids,
                                           edition__first_imported_at__lte=as_of, replaced_at__gt=as_of)
        .order_by("-replaced_at").values_list(*_OBSERVED_FIELDS)
    )
    for row in revisions:  # the earliest revision after `as_of` is written last and wins
        found[(row[0], row[1], row[2], row[5])] = row
    return [Observed(*row) for row in sorted(found.values(), key=lambda row: row[2])]
