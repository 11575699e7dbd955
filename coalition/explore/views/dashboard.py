"""The home page, the public dashboard and the CSV files of its charts: parse the date, read the
figures, render.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coalition.common import asof
from coalition.explore import dashboard as dashboards
from coalition.explore import progress
from coalition.explore.breakdowns import BREAKDOWNS
from coalition.pledges.models import Pledge, Status


def home(request):
    """The front page: the registry's headline figures now (the dashboard's, from its cache)."""
    as_of = asof.as_of_now()
    return render(request, "explore/home.html", {
        "key": dashboards.key_figures_for(as_of), "as_of": as_of,
        "is_demo": Pledge.objects.filter(status=Status.PUBLISHED, is_demo=True).exists(),
    })



def dashboard(request):
    as_of, error = asof.as_of_asked(request)
    board = dashboards.dashboard_for(as_of)
    specs, drawings = dashboards.dashboard_charts(board)
    weighting = progress.weighting_asked(request.GET)
    return render(request, "explore/dashboard.html", {
        "board": board, "as_of": as_of, "as_of_error": error, "specs": specs, "drawings": drawings,
        "today": timezone.localdate(), "is_demo": Pledge.objects.filter(status=Status.PUBLISHED, is_demo=True).exists(), "top_countries": board.countries[:15],
        "rollup": progress.progress_rollup_cached(as_of, weighting=weighting),
        "nodes": progress.progress_by_node_cached(as_of, weighting=weighting),
        "weighting": "" if weighting == "usd" else weighting,
        "weighting_links": progress.weighting_links(request.GET),
        "node_weighting_links": progress.weighting_links(request.GET, fragment="pledge-progress-by-node"),
    }, status=400 if error else 200)


def chart_csv(request, chart: str):
    """The numbers behind one chart as CSV, every row stamped with its as-of date."""
    as_of, error = asof.as_of_asked(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    board = dashboards.dashboard_for(as_of)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    if chart == "key-figures":
        dashboards.write_key_figures_csv(board.key, stream=response)
    elif chart == "growth":
        dashboards.write_growth_csv(board.months, as_of=as_of, stream=response)
    elif chart == "countries":
        dashboards.write_countries_csv(board.countries, as_of=as_of, stream=response)
    elif chart in BREAKDOWNS:
        dashboards.write_breakdown_csv(board.breakdown(chart), as_of=as_of, stream=response)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="coalition-{chart}-{as_of.date.isoformat()}.csv"'
    return response
