"""The read side of the API: pledges (the explorer's filters, one definition), entities,
countries, groups, key figures and breakdowns, each as of a date.

Every read answers `as_of` (the end of that day; blank: now), carries it in the body, and puts
ETag and Last-Modified on the answer (`common.api.conditional`), built on the registry's stamp
(`daily.registry_stamp`: one query). docs/api.md says what `as_of` does on each list.
"""

import datetime
from decimal import Decimal
from enum import Enum
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from coalition.common.api import (
    LIMIT_DEFAULT,
    READ_ERRORS,
    Paged,
    as_of_read,
    conditional,
    keyset_page,
    limit_check,
    links_set,
    page_address,
)
from coalition.entities.models import Entity
from coalition.explore.breakdowns import BREAKDOWNS, breakdown
from coalition.explore.daily import registry_stamp, tallies_for
from coalition.explore.explorer import SORTS, BadCursor, _page, cursor_decode, explorer_selection
from coalition.explore.figures import key_figures, reporting_statuses_from
from coalition.explore.places import country_groups, country_rows, group_rows_by_kind
from coalition.explore.registry import entity_versions, published_pledge_versions, report_versions, version_links
from coalition.explore.tallies import Scope
from coalition.pledges.models import Pledge
from coalition.reference.models import Country, CountryGroup
from coalition.reporting.selectors import pledge_annotate_reporting_status
from coalition.reporting.status import ReportingStatus

router = Router(tags=["Registry"])

PledgeType = Enum("PledgeType", {value: value for value in Pledge.Type.values}, type=str)
StakeholderType = Enum("StakeholderType", {value: value for value in Entity.Type.values}, type=str)
ReportingStatusValue = Enum("ReportingStatusValue", {value: value for value in ReportingStatus.values}, type=str)
SortOrder = Enum("SortOrder", {key: key for key in SORTS}, type=str)
Breakdowns = Enum("Breakdowns", {key: key for key in BREAKDOWNS}, type=str)


# The pledge list's shapes are plain pydantic models: the rows are dicts already, and a ninja
# Schema would wrap each of the page's 300 nested objects for attribute access first.
class EntityRef(BaseModel):
    id: int
    name: str
    type: str


class Money(BaseModel):
    amount: Decimal | None
    currency: str | None
    year: int | None
    usd: Decimal | None
    usd_provisional: bool


class PledgeOut(BaseModel):
    id: int
    url: str
    title: str
    initiative: str
    lead_entity: EntityRef
    type: str
    scope: str
    value: Money
    start_date: datetime.date | None
    end_date: datetime.date | None
    published_at: datetime.datetime | None
    campaign: str | None
    countries: list[str]
    reporting_status: str | None


class PledgeList(BaseModel):
    as_of: datetime.date
    next: str | None
    previous: str | None
    results: list[PledgeOut]


class PledgeDetail(PledgeOut):
    description: str
    framework_nodes: list[str]
    regions: list[str]
    beneficiary_groups: list[str]
    sdg_targets: list[str]
    wsis_lines: list[str]
    as_of: datetime.date


# A pledge's columns as the API shows them, read with `values()` from pledges or their versions.
_PLEDGE_VALUES = (
    "id", "title", "initiative__slug", "lead_entity_id", "lead_entity__name", "lead_entity__entity_type",
    "pledge_type", "scope", "value_amount", "value_currency__code", "value_year", "value_usd",
    "value_usd_provisional", "start_date", "end_date", "published_at", "campaign__slug",
)


def _pledge_row(pledge: dict, *, url: str, countries: list[str], reporting_status: str | None) -> dict:
    return {
        "id": pledge["id"], "url": url, "title": pledge["title"], "initiative": pledge["initiative__slug"],
        "lead_entity": {"id": pledge["lead_entity_id"], "name": pledge["lead_entity__name"],
                        "type": pledge["lead_entity__entity_type"]},
        "type": pledge["pledge_type"], "scope": pledge["scope"],
        "value": {"amount": pledge["value_amount"], "currency": pledge["value_currency__code"],
                  "year": pledge["value_year"], "usd": pledge["value_usd"],
                  "usd_provisional": pledge["value_usd_provisional"]},
        "start_date": pledge["start_date"], "end_date": pledge["end_date"], "published_at": pledge["published_at"],
        "campaign": pledge["campaign__slug"], "countries": countries, "reporting_status": reporting_status,
    }


def _pledge_url(request: HttpRequest, pledge_id: int) -> str:
    return request.build_absolute_uri(reverse("explore:pledge", args=[pledge_id]))


@router.get("/pledges/", response={200: PledgeList, **READ_ERRORS}, summary="Published pledges, filtered as in the explorer")
def pledge_list(
    request: HttpRequest, response: HttpResponse,
    q: str = Query("", description="Words searched in titles, descriptions and entity names."),
    initiative: list[str] = Query([], description="Initiative slugs (OR)."),
    node: list[str] = Query([], description="Framework nodes, `initiative:code` or a bare code (OR)."),
    type: list[PledgeType] = Query([], description="Pledge types (OR)."),  # noqa: A002 (the explorer's name)
    stakeholder: list[StakeholderType] = Query([], description="Lead entity types (OR)."),
    country: list[str] = Query([], description="Beneficiary countries, ISO alpha-3 (OR)."),
    region: list[str] = Query([], description="Region codes (OR): named, or reached through a member country."),
    group: list[str] = Query([], description="Country group codes such as LDC, LLDC, SIDS (OR)."),
    beneficiary: list[str] = Query([], description="Beneficiary group codes (OR)."),
    sdg: list[str] = Query([], description="SDG numbers or target codes (OR)."),
    wsis: list[str] = Query([], description="WSIS action lines, C1 to C11 (OR)."),
    status: list[ReportingStatusValue] = Query([], description="Reporting status (OR), on the as-of day."),
    campaign: list[str] = Query([], description="Campaign or event slugs (OR)."),
    value_min: str = Query("", description="Lowest value in US dollars."),
    value_max: str = Query("", description="Highest value in US dollars."),
    published_from: str = Query("", description="Published on or after (YYYY-MM-DD)."),
    published_to: str = Query("", description="Published on or before (YYYY-MM-DD)."),
    sort: SortOrder | None = Query(None, description="Order; `relevance` needs `q`. Default: relevance with `q`, newest otherwise."),
    after: str = Query("", description="Cursor: the page after the one this came from (`next`)."),
    before: str = Query("", description="Cursor: the page before (`previous`)."),
    limit: int = Query(LIMIT_DEFAULT, description="Rows a page, 1 to 100."),
    as_of: str = Query("", description="YYYY-MM-DD: the pledges published at the end of that day. Blank: now."),
):
    """The explorer's filters, by the same names and with the same meaning (AND across filters,
    OR within one). A value the explorer would ignore is refused here: 400, one message per
    value. With a past `as_of`, the explorer's answer for that day: the pledges published at its
    end, filtered and shown as their versions of that day read (lead entity's name and type,
    countries, reporting status as they stood); a search matches today's words."""
    moment = as_of_read(as_of)
    limit = limit_check(limit)
    conditional(request, response, stamp=registry_stamp())
    selection = explorer_selection(params=request.GET, as_of=moment)
    filters = selection.filters
    errors = list(selection.errors)
    for name in ("after", "before"):
        token = getattr(filters, name)
        if token:
            try:
                cursor_decode(token, sort=filters.sort)
            except BadCursor:
                errors.append(_("This cursor is damaged or was made for another order; start again from the first page."))
    if errors:
        raise ValidationError({"filters": errors})
    filters.page = None
    # The page's ids first, in order, from the pledges' own columns (no joins, nothing the page
    # does not sort by), then the hundred rows themselves: the database walks its index of the
    # order without carrying every matching pledge's text along.
    pledges = selection.pledges.select_related(None).only("id", "published_at", "value_usd")
    page = _page(pledges, filters, total=0, size=limit, errors=errors)
    ids = [pledge.id for pledge in page.object_list]
    countries = {pk: [] for pk in ids}
    if moment.is_today:
        statuses = dict(pledge_annotate_reporting_status(Pledge.objects.filter(id__in=ids), today=moment.date)
                        .values_list("id", "reporting_status"))
        rows = {row["id"]: row for row in Pledge.objects.filter(id__in=ids).values(*_PLEDGE_VALUES)}
        links = (Pledge.beneficiary_countries.through.objects.filter(pledge_id__in=ids)
                 .values_list("pledge_id", "country__iso3"))
    else:  # each pledge as its version of that day said, its countries and lead entity included
        versions = published_pledge_versions(moment).filter(id__in=ids)
        statuses = dict(pledge_annotate_reporting_status(versions, today=moment.date, reports=report_versions(moment))
                        .values_list("id", "reporting_status"))
        rows = {row["id"]: row for row in versions.values(*_PLEDGE_VALUES, "history_id")}
        _leads_then(rows.values(), moment)
        version_of = {row["history_id"]: pk for pk, row in rows.items()}
        links = ((version_of[history_id], iso3) for history_id, iso3 in version_links("beneficiary_countries")
                 .filter(history_id__in=version_of).values_list("history_id", "country__iso3"))
    for pk, iso3 in sorted(links, key=lambda link: link[1]):
        countries[pk].append(iso3)
    origin = request.build_absolute_uri("/")[:-1]
    results = [
        _pledge_row(rows[pk], url=origin + reverse("explore:pledge", args=[pk]), countries=countries[pk],
                    reporting_status=statuses.get(pk))
        for pk in ids if pk in rows  # (a pledge deleted between the two reads is left out)
    ]

    def neighbour(query: str) -> str | None:
        if not query:
            return None
        position = {k: v[0] for k, v in parse_qs(query.lstrip("?")).items() if k in ("after", "before")}
        return page_address(request, after=position.get("after"), before=position.get("before"))

    paged = Paged(rows=results, next=neighbour(page.next_query), previous=neighbour(page.previous_query))
    links_set(response, paged)
    return {"as_of": moment.date, "next": paged.next, "previous": paged.previous, "results": results}


def _leads_then(rows, moment) -> None:
    """Name the lead entity of each version row (`_PLEDGE_VALUES`) and give its type as its
    version current at `moment` said. One query."""
    rows = list(rows)
    then = {pk: (name, kind) for pk, name, kind in entity_versions(moment).filter(
        id__in={row["lead_entity_id"] for row in rows}).values_list("id", "name", "entity_type")}
    for row in rows:
        row["lead_entity__name"], row["lead_entity__entity_type"] = then.get(
            row["lead_entity_id"], (row["lead_entity__name"], row["lead_entity__entity_type"]))


def _links(history_id: int) -> dict[str, list[str]]:
    """A pledge version's links as codes."""
    from coalition.reference.models import BeneficiaryGroup, FrameworkNode, SdgTarget, WsisActionLine

    fields = {
        "countries": ("beneficiary_countries", Country, "country_id", lambda o: o.iso3),
        "regions": ("beneficiary_regions", CountryGroup, "countrygroup_id", lambda o: o.code),
        "framework_nodes": ("framework_nodes", FrameworkNode, "frameworknode_id", lambda o: f"{o.initiative.slug}:{o.code}"),
        "beneficiary_groups": ("beneficiary_groups", BeneficiaryGroup, "beneficiarygroup_id", lambda o: o.code),
        "sdg_targets": ("sdg_targets", SdgTarget, "sdgtarget_id", lambda o: o.code),
        "wsis_lines": ("wsis_lines", WsisActionLine, "wsisactionline_id", lambda o: o.code),
    }
    found = {}
    for key, (name, model, column, code) in fields.items():
        objects = model.objects.filter(pk__in=version_links(name).filter(history_id=history_id).values(column))
        if model is FrameworkNode:
            objects = objects.select_related("initiative")
        found[key] = sorted(code(o) for o in objects)
    return found


@router.get("/pledges/{int:pledge_id}/", response={200: PledgeDetail, **READ_ERRORS}, summary="One published pledge")
def pledge_detail(request: HttpRequest, response: HttpResponse, pledge_id: int, as_of: str = ""):
    """A published pledge with its links as codes; with `as_of`, its version published at the
    end of that day (404 if it was not published then)."""
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    version = published_pledge_versions(moment).filter(id=pledge_id).values(*_PLEDGE_VALUES, "history_id", "description").first()
    if version is None:
        raise Http404
    links = _links(version["history_id"])
    if moment.is_today:
        statuses = pledge_annotate_reporting_status(Pledge.objects.filter(pk=pledge_id), today=moment.date)
    else:  # as it stood: the version and the reports of that day
        _leads_then([version], moment)
        statuses = pledge_annotate_reporting_status(published_pledge_versions(moment).filter(id=pledge_id),
                                                    today=moment.date, reports=report_versions(moment))
    status = statuses.values_list("reporting_status", flat=True).first()
    row = _pledge_row(version, url=_pledge_url(request, pledge_id), countries=links.pop("countries"), reporting_status=status)
    return {**row, **links, "description": version["description"], "as_of": moment.date}


class EntityOut(Schema):
    id: int
    url: str
    name: str
    acronym: str
    type: str
    home_country: str | None
    website: str


class EntityList(Schema):
    as_of: datetime.date
    next: str | None
    previous: str | None
    results: list[EntityOut]


def _entity_row(request: HttpRequest, entity) -> dict:
    return {"id": entity.id, "url": request.build_absolute_uri(reverse("explore:entity", args=[entity.id])),
            "name": entity.name, "acronym": entity.acronym, "type": entity.entity_type,
            "home_country": entity.home_country.iso3 if entity.home_country_id else None, "website": entity.website}


@router.get("/entities/", response={200: EntityList, **READ_ERRORS}, summary="Entities, as recorded on a date")
def entity_list(request: HttpRequest, response: HttpResponse, type: list[StakeholderType] = Query([]),  # noqa: A002
                country: str = "", after: str = "", before: str = "", limit: int = LIMIT_DEFAULT, as_of: str = ""):
    """Every entity as its version current at the end of the as-of day said, by id."""
    moment = as_of_read(as_of)
    limit = limit_check(limit)
    conditional(request, response, stamp=registry_stamp())
    entities = entity_versions(moment).select_related("home_country")
    if type:
        entities = entities.filter(entity_type__in=[t.value for t in type])
    if country:
        entities = entities.filter(home_country__iso3=country)
    paged = keyset_page(request, entities, after=after, before=before, limit=limit)
    links_set(response, paged)
    return {"as_of": moment.date, "next": paged.next, "previous": paged.previous,
            "results": [_entity_row(request, e) for e in paged.rows]}


class EntityDetail(EntityOut):
    as_of: datetime.date
    description: str
    pledges_led: int


@router.get("/entities/{int:entity_id}/", response={200: EntityDetail, **READ_ERRORS}, summary="One entity")
def entity_detail(request: HttpRequest, response: HttpResponse, entity_id: int, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    entity = entity_versions(moment).filter(id=entity_id).select_related("home_country").first()
    if entity is None:
        raise Http404
    led = published_pledge_versions(moment).filter(lead_entity_id=entity_id).count()
    return {**_entity_row(request, entity), "description": entity.description, "pledges_led": led, "as_of": moment.date}


class Tally(Schema):
    pledges: int
    value_usd: Decimal


class CountryOut(Schema):
    iso3: str
    iso2: str
    name: str
    pledges: int
    value_usd: Decimal


class CountryList(Schema):
    as_of: datetime.date
    next: str | None = None
    previous: str | None = None
    results: list[CountryOut]


@router.get("/countries/", response={200: CountryList, **READ_ERRORS}, summary="Countries and what is pledged for them")
def country_list(request: HttpRequest, response: HttpResponse, as_of: str = ""):
    """Every country with the published pledges naming it and their value, as of the date.
    The list is short (about 250 rows): one page."""
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    rows = country_rows(tallies=tallies_for(moment), include_empty=True)
    return {"as_of": moment.date, "results": [
        {"iso3": r.country.iso3, "iso2": r.country.iso2, "name": r.country.name, "pledges": r.pledges,
         "value_usd": r.value_usd} for r in rows]}


class GroupRef(Schema):
    code: str
    kind: str
    name: str


class CountryDetail(CountryOut):
    as_of: datetime.date
    groups: list[GroupRef]


@router.get("/countries/{iso3}/", response={200: CountryDetail, **READ_ERRORS}, summary="One country")
def country_detail(request: HttpRequest, response: HttpResponse, iso3: str, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404
    everything = tallies_for(moment, Scope(country=country)).get("all")
    return {"iso3": country.iso3, "iso2": country.iso2, "name": country.name, "as_of": moment.date,
            "pledges": everything.pledges, "value_usd": everything.value_usd,
            "groups": [{"code": g.code, "kind": g.kind, "name": g.name}
                       for g in country_groups(country=country, date=moment.date)]}


class GroupOut(GroupRef):
    pledges: int
    value_usd: Decimal


class GroupList(Schema):
    as_of: datetime.date
    next: str | None = None
    previous: str | None = None
    results: list[GroupOut]


@router.get("/groups/", response={200: GroupList, **READ_ERRORS}, summary="Country groups and what is pledged for them")
def group_list(request: HttpRequest, response: HttpResponse, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    results = []
    for _kind, rows in group_rows_by_kind(tallies=tallies_for(moment)):
        results += [{"code": r.group.code, "kind": r.group.kind, "name": r.group.name, "pledges": r.pledges,
                     "value_usd": r.value_usd} for r in rows]
    return {"as_of": moment.date, "results": results}


class GroupDetail(GroupOut):
    as_of: datetime.date
    members: list[str]


@router.get("/groups/{code}/", response={200: GroupDetail, **READ_ERRORS}, summary="One country group")
def group_detail(request: HttpRequest, response: HttpResponse, code: str, as_of: str = ""):
    """A group with its members on the as-of day and the pledges targeting it (named, or
    through a member country)."""
    from coalition.reference.models import CountryGroupMembership

    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    group = CountryGroup.objects.filter(code=code).first()
    if group is None:
        raise Http404
    everything = tallies_for(moment, Scope(group=group)).get("all")
    members = CountryGroupMembership.objects.as_of(moment.date).filter(group=group).values_list("country__iso3", flat=True)
    return {"code": group.code, "kind": group.kind, "name": group.name, "as_of": moment.date,
            "pledges": everything.pledges, "value_usd": everything.value_usd, "members": sorted(members)}


class GroupShareOut(Schema):
    code: str
    name: str
    pledges: int
    value_usd: Decimal
    pledge_share: float | None
    value_share: float | None


class ValuePartOut(Schema):
    part: str = Field(description="delivered, to_deliver, at_risk or closed_undelivered")
    label: str
    value_usd: Decimal
    share: float | None = Field(description="Of the value pledged, 0 to 1.")
    pledges: int = Field(description="Pledges behind the part (for delivered: those with money delivered).")


class DeliveredLevelOut(Schema):
    level: str = Field(description="verified, documented, self_reported, or empty when not assessed")
    label: str
    value_usd: Decimal


class KeyFiguresOut(Schema):
    as_of: datetime.date
    pledges: int
    value_usd: Decimal
    pledges_with_value: int
    entities: int
    countries: int
    reported: int
    disbursed_usd: Decimal
    groups: list[GroupShareOut]
    value_parts: list[ValuePartOut] = Field(
        description="The value pledged in four parts that add up to `value_usd`: delivered (money disbursed up to "
                    "each pledge's value), to deliver (pledges still reporting), at risk (inactive pledges), closed "
                    "undelivered (pledges whose reporting closed).")
    delivered_by_level: list[DeliveredLevelOut]
    disbursed_beyond_pledged_usd: Decimal
    reporting_statuses: dict[str, int] = Field(description="Published pledges by reporting status on the day.")


def _share(value) -> float | None:
    return None if value is None else float(value)


@router.get("/figures/", response={200: KeyFiguresOut, **READ_ERRORS}, summary="Key figures, as on the dashboard")
def figures(request: HttpRequest, response: HttpResponse, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    tallies = tallies_for(moment)
    found = key_figures(tallies)
    parts = found.parts
    return {"as_of": moment.date, "pledges": found.pledges, "value_usd": found.value_usd,
            "pledges_with_value": found.pledges_with_value, "entities": found.entities, "countries": found.countries,
            "reported": found.reported, "disbursed_usd": found.disbursed_usd,
            "groups": [{"code": g.code, "name": str(g.name), "pledges": g.pledges, "value_usd": g.value_usd,
                        "pledge_share": _share(g.share_pledges), "value_share": _share(g.share_value)} for g in found.groups],
            "value_parts": [{"part": row["part"], "label": row["label"], "value_usd": row["value"],
                             "share": _share(row["share"]), "pledges": row["pledges"]} for row in parts.parts()],
            "delivered_by_level": [{"level": level, "label": label, "value_usd": value}
                                   for level, label, value in parts.by_level],
            "disbursed_beyond_pledged_usd": parts.beyond_pledged,
            "reporting_statuses": reporting_statuses_from(tallies)}


class BreakdownRow(Schema):
    code: str
    label: str
    pledges: int
    value_usd: Decimal
    share: float | None


class BreakdownOut(Schema):
    as_of: datetime.date
    slug: str
    title: str
    rows: list[BreakdownRow]


@router.get("/breakdowns/{slug}/", response={200: BreakdownOut, **READ_ERRORS}, summary="One breakdown of the registry")
def breakdown_detail(request: HttpRequest, response: HttpResponse, slug: Breakdowns, as_of: str = ""):
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    found = breakdown(tallies_for(moment), slug.value)
    return {"as_of": moment.date, "slug": found.slug, "title": str(found.title), "rows": [
        {"code": r.code, "label": str(r.label), "pledges": r.pledges, "value_usd": r.value_usd, "share": _share(r.share)}
        for r in found.rows]}
