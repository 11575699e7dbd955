"""The public connectivity pages: a country's profile, countries side by side, and the gap view
with its CSV file. Parse the parameters, call the selectors (`profile`, `gap`), render.

Bad input answers 400 with a message naming the parameter: a date that is not one (today's
figures are shown, as on the place pages), an unknown group or focus area (the world and every
focus area are shown), an unknown country or more than three in a comparison. An unknown
country in a profile's address is a 404.
"""

import functools

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from coalition.common import asof
from coalition.common.i18n import fold
from coalition.explore import charts, svg
from coalition.explore.connectivity import gap as gaps
from coalition.explore.connectivity import profile as profiles
from coalition.explore.places import country_for_page
from coalition.indicators.selectors import UnknownIndicator
from coalition.reference.models import Country

GAP_ROWS_PER_PAGE = 50


def _needs_catalogue(view):
    """The connectivity pages read the indicator catalogue; on a site where it is not loaded yet
    they say so (503, as for any service not ready) instead of failing."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except UnknownIndicator:
            return render(request, "explore/connectivity_unavailable.html", status=503)
    return wrapped



@require_safe
@_needs_catalogue
def country_profile(request, iso3: str):
    """A country's indicators against the 2030 targets, its offline people, its groups, the
    pledges benefiting it and the partners to approach."""
    try:
        country = country_for_page(iso3)
    except Country.DoesNotExist:
        raise Http404(f"No country with the ISO code {iso3[:10]!r}") from None
    as_of, error = asof.as_of_asked(request)
    profile = profiles.country_profile(country=country, as_of=as_of)
    specs = {row.slug: charts.indicator_chart(row) for row in profile.indicators if row.values}
    return render(request, "explore/country_profile.html", {
        "profile": profile, "country": country, "as_of": as_of, "as_of_error": error, "specs": specs,
        "drawings": svg.drawings(specs, svg.HALF),
        "today": timezone.localdate(), "compare_url": _compare_url([country.iso3]),
    }, status=400 if error else 200)


def _compare_url(codes: list[str]) -> str:
    from django.urls import reverse

    return reverse("explore:compare") + "?" + urlencode([("c", code) for code in codes])


@require_safe
@_needs_catalogue
def compare(request):
    """Up to three countries side by side (`?c=KEN&c=NPL&c=VUT`), with a form to choose them."""
    as_of, error = asof.as_of_asked(request)
    codes = request.GET.getlist("c")
    try:
        countries = profiles.countries_to_compare(codes=codes)
    except profiles.CompareError as compare_error:
        countries, error = [], str(compare_error)
    comparison = profiles.country_comparison(countries=countries, as_of=as_of)
    choices = sorted(Country.objects.only("iso3", "name_en", "name_fr"), key=lambda c: fold(c.name))
    slots = [c.iso3 for c in countries] + [""] * (profiles.MAX_COMPARED - len(countries))
    return render(request, "explore/compare.html", {
        "comparison": comparison, "as_of": as_of, "error": error, "choices": choices, "slots": slots,
        "today": timezone.localdate(), "max": profiles.MAX_COMPARED,
    }, status=400 if error else 200)


def _gap_request(request):
    """The gap table the parameters ask for, and the message for a bad parameter (then the
    default for that parameter is used)."""
    as_of, error = asof.as_of_asked(request)
    areas = gaps.focus_areas()
    try:
        group = gaps.group_ref(request.GET.get("group"))
    except gaps.GapError as bad:
        group, error = gaps.group_ref(None), str(bad)
    try:
        area = gaps.area_of(request.GET.get("area"), areas)
    except gaps.GapError as bad:
        area, error = None, str(bad)
    sort = request.GET.get("sort") or gaps.DEFAULT_SORT
    if sort not in gaps.SORTS:
        sort = gaps.DEFAULT_SORT
    table = gaps.gap_table(as_of=as_of, group=group, area=area, sort=sort)
    return table, areas, sort, error


@require_safe
@_needs_catalogue
def gap(request):
    """Countries by offline population against what is pledged for them, with the map."""
    table, areas, sort, error = _gap_request(request)
    specs = {"gap-map": charts.gap_map(table.rows)} if table.rows else {}
    page = Paginator(table.rows, GAP_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    keep = [("group", "" if table.group.code == profiles.WORLD else table.group.code),
            ("area", table.area.key if table.area else ""), ("as_of", table.as_of.query_value)]
    keep = [(name, value) for name, value in keep if value]
    return render(request, "explore/gap.html", {
        "table": table, "areas": areas, "groups": gaps.group_options(), "sort": sort, "sorts": gaps.SORTS.items(),
        "page": page, "as_of": table.as_of, "error": error, "today": timezone.localdate(),
        "query": urlencode(keep), "sorted_query": urlencode([*keep, ("sort", sort)] if sort != gaps.DEFAULT_SORT else keep),
        "specs": specs, "drawings": svg.drawings(specs, svg.FULL),
    }, status=400 if error else 200)


@require_safe
@_needs_catalogue
def gap_csv(request):
    """Every row of the gap table the parameters ask for, as CSV."""
    table, _areas, _sort, error = _gap_request(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    gaps.write_gap_csv(table, stream=response)
    name = "-".join(filter(None, ["coalition-gap", table.group.code.lower(), (table.area.key.replace(":", "-") if table.area else ""),
                                  table.as_of.date.isoformat()]))
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
