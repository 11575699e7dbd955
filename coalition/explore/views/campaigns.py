"""The public campaign pages: the list of campaigns and one campaign's page, as of any date.

Parse the date, read the figures (`explore.campaigns`, the tallies as the place pages read
them), render. A bad `?as_of=` shows the message with today's figures and a 400 status.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coalition.common import asof
from coalition.explore import campaigns as selectors
from coalition.explore import charts, figures, svg
from coalition.explore import places as place_selectors
from coalition.explore.daily import tallies_for
from coalition.explore.progress import progress_rollup_cached, weighting_asked, weighting_links
from coalition.explore.tallies import Scope
from coalition.explore.views.places import render_place
from coalition.pledges.models import Campaign


@require_safe
def campaign_list(request):
    """Every campaign: its host, dates, what was announced there by the date and its goal."""
    as_of, error = asof.as_of_asked(request)
    return render_place(request, "explore/campaign_list.html", {
        "as_of": as_of, "rows": selectors.campaign_rows(tallies=tallies_for(as_of)),
    }, error)


@require_safe
def campaign_detail(request, slug: str):
    """A campaign: what it is, its goal, its figures, its progress by month and its pledges with
    their delivery, all as of the date."""
    try:
        campaign = selectors.campaign_for_page(slug)
    except Campaign.DoesNotExist:
        raise Http404 from None
    as_of, error = asof.as_of_asked(request)
    scope = Scope(campaign=campaign)
    tallies = tallies_for(as_of, scope)
    progress = selectors.campaign_progress(campaign=campaign, tallies=tallies)
    months = selectors.progress_by_month(tallies=tallies, goal=progress.goal)
    specs = _progress_charts(campaign, [row.month for row in months], progress.goal)
    page = place_selectors.pledge_page(tallies=tallies, scope=scope, page_number=request.GET.get("page"))
    return render_place(request, "explore/campaign_detail.html", {
        "campaign": campaign, "as_of": as_of, "key": figures.key_figures(tallies), "progress": progress,
        "months": months, "specs": specs, "drawings": svg.drawings(specs, svg.FULL) if specs else {},
        "page": selectors.page_deliveries(page, as_of),
        "rollup": progress_rollup_cached(as_of, scope, weighting=weighting_asked(request.GET)),
        "weighting_links": weighting_links(request.GET),
    }, error)


def _progress_charts(campaign: Campaign, months, goal) -> dict:
    """The two progress charts (pledges, value), drawn on the server; none without a pledge."""
    if not months:
        return {}
    name = campaign.name
    return {
        "progress-pledges": charts.campaign_progress_chart(
            months, measure="pledges", goal=goal.pledges, event_date=campaign.start_date,
            description=_("%(campaign)s: published pledges by month, against the goal") % {"campaign": name}),
        "progress-value": charts.campaign_progress_chart(
            months, measure="value_usd", goal=goal.value_usd, event_date=campaign.start_date,
            description=_("%(campaign)s: estimated value pledged by month, against the goal") % {"campaign": name}),
    }
