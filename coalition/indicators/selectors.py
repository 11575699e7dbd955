"""Reads of indicator values: which indicator and source a code means, and values by country."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from coalition.common.asof import AsOf
from coalition.indicators.models import DataSource, Indicator, Observation, ObservationRevision, Series

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
    filters = {"indicator": indicator, "source": source}
    if country_ids is not None:
        filters["country_id__in"] = list(country_ids)
    if years is not None:
        filters.update(year__gte=years[0], year__lte=years[1])
    current, revised = _held(filters, as_of)
    result: dict[int, dict[int, float]] = defaultdict(dict)
    for country_id, year, value in current.values_list("country_id", "year", "value").iterator(chunk_size=20_000):
        result[country_id][year] = value
    for country_id, year, value in revised.values_list("country_id", "year", "value"):
        result[country_id][year] = value
    return dict(result)


def _held(filters: dict, as_of: datetime.datetime | None) -> tuple[QuerySet, QuerySet]:
    """The values matching `filters` as the platform held them at `as_of` (None: now).

    Returns the current values from editions imported by then, and the revisions that override
    them, ordered so that, read in turn over the current values, the earliest revision made
    after `as_of` (the value current at `as_of`) is written last. Now, there are none.
    """
    if as_of is None:
        return Observation.objects.filter(**filters), ObservationRevision.objects.none()
    held = {**filters, "edition__first_imported_at__lte": as_of}
    return (
        Observation.objects.filter(**held),
        ObservationRevision.objects.filter(**held, replaced_at__gt=as_of).order_by("-replaced_at"),
    )


def held_at(as_of: AsOf) -> datetime.datetime | None:
    """The moment a page dated `as_of` reads indicator values as held: None (the live values) for today."""
    return None if as_of.is_today else as_of.moment


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


def editions_held(
    *, indicator: Indicator, source: DataSource, pairs: set[tuple[int, int]], as_of: datetime.datetime | None = None,
) -> list[str]:
    """The labels of the editions that gave the values of `indicator` from `source` for these
    (country id, year) pairs, as the platform held them at `as_of`: what a page quotes them from."""
    if not pairs:
        return []
    filters = {"indicator_id": indicator.pk, "source_id": source.pk,
               "country_id__in": {country for country, _year in pairs}, "year__in": {year for _country, year in pairs}}
    found = {}
    for rows in _held(filters, as_of):
        for country_id, year, label in rows.values_list("country_id", "year", "edition__label"):
            found[country_id, year] = label
    return sorted({label for pair, label in found.items() if pair in pairs})


def observations(
    *, indicator_ids: Iterable[int], country_ids: Iterable[int], as_of: datetime.datetime | None = None,
) -> list[Observed]:
    """Every source's values of the indicators for the countries, oldest year first.

    With `as_of`, the values the platform held at that moment, as in `values_by_country`: one
    query more, for the revisions made since.
    """
    current, revised = _held({"indicator_id__in": list(indicator_ids), "country_id__in": list(country_ids)}, as_of)
    if as_of is None:
        return [Observed(*row) for row in current.order_by("year").values_list(*_OBSERVED_FIELDS)]
    found = {}
    for rows in (current, revised):
        for row in rows.values_list(*_OBSERVED_FIELDS):
            found[row[:3], row[5]] = row  # keyed by country, indicator, year and source
    return [Observed(*row) for row in sorted(found.values(), key=lambda row: row[2])]
