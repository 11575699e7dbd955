"""The public pages of an entity, a country, a group or region, and the lists of countries and
groups: parse the date, read the figures and the pledges behind them, render.

A bad `?as_of=` shows the message with today's figures and a 400 status, as the dashboard does.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from coalition.actionplan.permissions import user_is_country_focal_point
from coalition.common import asof
from coalition.entities.models import Entity
from coalition.explore import breakdowns, figures
from coalition.explore import places as place_selectors
from coalition.explore.daily import tallies_for
from coalition.explore.plan_work import country_plan_work
from coalition.explore.progress import progress_rollup_cached, weighting_asked, weighting_links
from coalition.explore.tallies import Scope
from coalition.reference.groups import group_filter_param, group_kind_label
from coalition.reference.models import Country, CountryGroup
from coalition.reference.selectors import group_with_members_as_of


def render_place(request, template, context, error):
    """A page as of a date (a place's, a campaign's): 400 when the date asked for was not one."""
    context = {**context, "as_of_error": error, "today": timezone.localdate()}
    return render(request, template, context, status=400 if error else 200)


def _progress(request, as_of, scope) -> dict:
    """The progress of a place's pledges rolled up (`progress.progress_rollup`), weighted as asked,
    with the links that switch the weighting, and the weighting kept by the date form."""
    weighting = weighting_asked(request.GET)
    return {"rollup": progress_rollup_cached(as_of, scope, weighting=weighting),
            "weighting_links": weighting_links(request.GET),
            "keep": [("weighting", "" if weighting == "usd" else weighting)]}


def _explorer(**params) -> str:
    return reverse("explore:explorer") + "?" + urlencode(params)


@require_safe
def entity_detail(request, pk: int):
    """An entity's public record: who it is, its pledges as lead and partner, its reporting."""
    try:
        entity = place_selectors.entity_for_page(pk)
    except Entity.DoesNotExist:
        raise Http404 from None
    as_of, error = asof.as_of_asked(request)
    scope = Scope(entity=entity)
    tallies = tallies_for(as_of, scope)
    return render_place(request, "explore/entity_detail.html", {
        "entity": entity, "as_of": as_of, "key": figures.key_figures(tallies),
        "totals": place_selectors.entity_totals(tallies=tallies, entity=entity),
        "record": place_selectors.entity_reporting_record(entity=entity, today=timezone.localdate()),
        "now": timezone.now(),
        "page": place_selectors.pledge_page(tallies=tallies, scope=scope, page_number=request.GET.get("page")),
        **_progress(request, as_of, scope),
    }, error)


@require_safe
def country_list(request):
    """Every country some pledge names (or every country), searchable and sortable."""
    as_of, error = asof.as_of_asked(request)
    query = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "name")
    if sort not in place_selectors.COUNTRY_SORTS:
        sort = "name"
    include_empty = request.GET.get("all") == "1"
    rows = place_selectors.country_rows(tallies=tallies_for(as_of), query=query, sort=sort, include_empty=include_empty)
    return render_place(request, "explore/country_list.html", {
        "as_of": as_of, "rows": rows, "query": query, "sort": sort, "include_empty": include_empty,
        "sorts": [(key, label) for key, (label, _key) in place_selectors.COUNTRY_SORTS.items()],
        "keep": [("q", query), ("sort", "" if sort == "name" else sort), ("all", "1" if include_empty else "")],
    }, error)


@require_safe
def country_detail(request, iso3: str):
    """A country: its groups on the date, the pledges benefiting it and their totals."""
    try:
        country = place_selectors.country_for_page(iso3)
    except Country.DoesNotExist:
        raise Http404 from None
    as_of, error = asof.as_of_asked(request)
    scope = Scope(country=country)
    tallies = tallies_for(as_of, scope)
    return render_place(request, "explore/country_detail.html", {
        "country": country, "as_of": as_of, "key": figures.key_figures(tallies),
        "groups": place_selectors.country_groups(country=country, date=as_of.date),
        "breakdowns": [breakdowns.breakdown(tallies, "focus-area"), breakdowns.breakdown(tallies, "type")],
        "page": place_selectors.pledge_page(tallies=tallies, scope=scope, page_number=request.GET.get("page")),
        "explorer_url": _explorer(country=country.iso3),
        **_progress(request, as_of, scope),
    }, error)


@require_safe
def group_list(request):
    """Every group and region by kind, with its members and pledges on the date."""
    as_of, error = asof.as_of_asked(request)
    return render_place(request, "explore/group_list.html", {
        "as_of": as_of, "kinds": place_selectors.group_rows_by_kind(tallies=tallies_for(as_of)),
    }, error)


@require_safe
def group_detail(request, code: str):
    """A group or region: its members on the date, the pledges naming it or a member, totals."""
    as_of, error = asof.as_of_asked(request)
    try:
        group = group_with_members_as_of(group_code=code, date=as_of.date)
    except CountryGroup.DoesNotExist:
        raise Http404 from None
    scope = Scope(group=group)
    tallies = tallies_for(as_of, scope)
    return render_place(request, "explore/group_detail.html", {
        "group": group, "kind": group_kind_label(group), "as_of": as_of,
        "key": figures.key_figures(tallies),
        "members": place_selectors.group_member_rows(tallies=tallies_for(as_of), group=group),
        "children": place_selectors.group_children(group),
        "page": place_selectors.pledge_page(tallies=tallies, scope=scope, page_number=request.GET.get("page")),
        "explorer_url": _explorer(**{group_filter_param(group): group.code}),
        **_progress(request, as_of, scope),
    }, error)


@require_safe
def country_action_plan(request, iso3: str):
    """A country under the action plans: its participants in activities, the activities for it,
    the national measures it took and the good practices it shares or that name it."""
    try:
        country = place_selectors.country_for_page(iso3)
    except Country.DoesNotExist:
        raise Http404 from None
    as_of, error = asof.as_of_asked(request)
    return render_place(request, "explore/country_action_plan.html", {
        "country": country, "as_of": as_of, **country_plan_work(country=country, as_of=as_of),
        "acts_for_country": user_is_country_focal_point(request.user, country),
    }, error)
