"""The API's reads of the connectivity indicators: the catalogue, observations as the platform
held them on a date (`selectors.observations`), group aggregates (`aggregates.aggregates`) and
the 2030 targets. Imports only `reference` and `common`, like the rest of the app."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from coalition.common.api import (
    LIMIT_DEFAULT,
    READ_ERRORS,
    BadCursor,
    Paged,
    as_of_read,
    conditional,
    cursor_make,
    cursor_read,
    cursor_refused,
    limit_check,
    links_set,
    page_address,
)
from coalition.indicators.aggregates import UnknownGroup, aggregates
from coalition.indicators.models import Edition, Indicator, Observation, ObservationRevision, Target
from coalition.indicators.selectors import held_at, observations
from coalition.reference.models import Country, CountryGroupMembership

router = Router(tags=["Indicators"])


def indicators_stamp() -> str:
    """Changes whenever an import adds or revises values, or the catalogue or memberships change.
    One query."""
    tables = [m._meta.db_table for m in (Observation, ObservationRevision, Edition, Target, Indicator, CountryGroupMembership)]
    parts = [f"(SELECT MAX(id) FROM {connection.ops.quote_name(t)})" for t in tables]
    parts += [f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables[3:]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "indicators-" + "-".join(str(v or 0) for v in cursor.fetchone())


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    direction: str
    definition: str


class IndicatorList(Schema):
    as_of: datetime.date
    next: str | None = None
    previous: str | None = None
    results: list[IndicatorOut]


def _indicator(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    return indicator


def _row(indicator: Indicator) -> dict:
    return {"code": indicator.code, "name": indicator.name, "unit": indicator.unit, "direction": indicator.direction,
            "definition": indicator.definition}


@router.get("/indicators/", response={200: IndicatorList, **READ_ERRORS}, summary="The indicator catalogue")
def indicator_list(request: HttpRequest, response: HttpResponse, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=indicators_stamp())
    return {"as_of": moment.date, "results": [_row(i) for i in Indicator.objects.order_by("order", "code")]}


class ObservationOut(Schema):
    country: str
    year: int
    value: float
    is_estimate: bool
    source: str
    edition: str


class ObservationList(Schema):
    as_of: datetime.date
    indicator: str
    next: str | None
    previous: str | None
    results: list[ObservationOut]


@router.get("/indicators/{code}/observations/", response={200: ObservationList, **READ_ERRORS},
            summary="An indicator's values, as held on a date")
def observation_list(request: HttpRequest, response: HttpResponse, code: str,
                     country: list[str] = Query([], description="ISO alpha-3 codes; all countries when none."),
                     after: str = "", limit: int = LIMIT_DEFAULT, as_of: str = ""):
    """Every source's values, by country then year. With `as_of`, the values the platform held
    at the end of that day: editions imported later left out, values revised since as they were."""
    moment = as_of_read(as_of)
    limit = limit_check(limit)
    conditional(request, response, stamp=indicators_stamp())
    indicator = _indicator(code)
    countries = Country.objects.filter(iso3__in=[c.upper() for c in country]) if country else Country.objects.all()
    iso3 = dict(countries.values_list("pk", "iso3"))
    rows = sorted(observations(indicator_ids=[indicator.pk], country_ids=list(iso3), as_of=held_at(moment)),
                  key=lambda o: (iso3[o.country_id], o.year, o.source_code))
    offset = 0
    if after:
        try:
            _value, _pk, offset = cursor_read(after, key="row")
        except BadCursor:
            raise cursor_refused("after") from None
    page = rows[offset:offset + limit]
    end = offset + len(page)
    paged = Paged(rows=page, previous=None,
                  next=page_address(request, after=cursor_make(key="row", value=None, pk=1, offset=end)) if end < len(rows) else None)
    if offset:
        back = max(0, offset - limit)
        paged.previous = page_address(request, after=cursor_make(key="row", value=None, pk=1, offset=back) if back else None)
    links_set(response, paged)
    return {"as_of": moment.date, "indicator": indicator.code, "next": paged.next, "previous": paged.previous,
            "results": [{"country": iso3[o.country_id], "year": o.year, "value": o.value, "is_estimate": o.is_estimate,
                         "source": o.source_code, "edition": o.edition} for o in page]}


class AggregateOut(Schema):
    group: str
    year: int
    value: float | None
    population: float
    coverage: float
    countries: int
    countries_with_data: int


class AggregateList(Schema):
    as_of: datetime.date
    indicator: str
    next: str | None = None
    previous: str | None = None
    results: list[AggregateOut]


@router.get("/indicators/{code}/aggregates/", response={200: AggregateList, **READ_ERRORS},
            summary="Population-weighted values for country groups")
def aggregate_list(request: HttpRequest, response: HttpResponse, code: str,
                   group: list[str] = Query(..., description="Group codes (LDC, SIDS…) or WORLD."),
                   year: list[int] = Query(..., description="Years, e.g. 2015 and 2023."), as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=indicators_stamp())
    indicator = _indicator(code)
    if len(group) > 50 or len(year) > 60 or any(not 1960 <= y <= 2100 for y in year):
        raise ValidationError({"year": _("Ask for at most 50 groups and 60 years, from 1960 to 2100.")})
    try:
        found = aggregates(indicator=indicator, groups=group, years=year, as_of=held_at(moment))
    except UnknownGroup as error:
        raise ValidationError({"group": _("Unknown group: %(code)s.") % {"code": str(error)[:40]}}) from None
    return {"as_of": moment.date, "indicator": indicator.code, "results": [
        {"group": a.group, "year": a.year, "value": a.value, "population": a.population, "coverage": a.coverage,
         "countries": a.countries, "countries_with_data": a.countries_with_data} for a in found]}


class TargetOut(Schema):
    year: int
    value: float
    source: str
    source_url: str


class TargetList(Schema):
    as_of: datetime.date
    indicator: str
    next: str | None = None
    previous: str | None = None
    results: list[TargetOut]


@router.get("/indicators/{code}/targets/", response={200: TargetList, **READ_ERRORS}, summary="An indicator's targets")
def target_list(request: HttpRequest, response: HttpResponse, code: str, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=indicators_stamp())
    indicator = _indicator(code)
    return {"as_of": moment.date, "indicator": indicator.code, "results": [
        {"year": t.year, "value": t.value, "source": t.source, "source_url": t.source_url}
        for t in Target.objects.filter(indicator=indicator).order_by("year", "pk")]}
