"""The public page of a pledge and the private history of an entity: parse, call, render.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from coalition.common.asof import as_of_asked
from coalition.entities.models import Entity
from coalition.entities.permissions import user_can_act_for_entity
from coalition.explore import places as place_selectors
from coalition.explore.history import entity_history as entity_history_of
from coalition.explore.registry import pledge_as_of, pledge_first_published
from coalition.knowledge.permissions import report_sharer
from coalition.knowledge.selectors.related import practices_related
from coalition.pledges import selectors
from coalition.reporting import selectors as reporting_selectors
from coalition.reporting.models import ReportStatus


def pledge_detail(request, pk):
    """The public page of a published pledge: its published content only, never a pending revision.

    `?as_of=YYYY-MM-DD` shows it as it stood at the end of that day (`registry.pledge_as_of`); a
    pledge not public then is a 404 saying when it was published, if it was. A bad date shows
    today's page with the message and a 400 status."""
    as_of, error = as_of_asked(request)
    if not as_of.is_today:
        return _pledge_then(request, pk, as_of)
    pledge = get_object_or_404(selectors.pledge_list_published().prefetch_related(
        "pledge_partners__entity", "framework_nodes", "beneficiary_countries", "beneficiary_regions",
        "beneficiary_groups", "sdg_targets", "wsis_lines",
    ), pk=pk)
    today = timezone.localdate()
    reports = list(
        reporting_selectors.report_list_for_pledge(pledge).filter(status=ReportStatus.ACCEPTED)
        .prefetch_related("target_actuals__target", "evidence")
    )
    for report in reports:
        report.actuals = list(report.target_actuals.all())
        report.evidence_items = list(report.evidence.all())
    partners = list(pledge.pledge_partners.all())
    for partner in partners:
        partner.entity_name = partner.entity.name
    changes = selectors.pledge_public_history(pledge)
    return render(request, "explore/pledge_detail.html", {
        "pledge": pledge, "as_of": as_of, "as_of_error": error, "today": today,
        "lead": pledge.lead_entity, "partners": partners,
        "links": {key: list(getattr(pledge, name).all()) for key, name in _LINKS.items()},
        "practices": practices_related(pledge=pledge, as_of=as_of),
        "share_as": report_sharer(request.user, reports[0]) if reports else None,
        "delivery": reporting_selectors.pledge_delivery(pledge),
        "reporting_status": reporting_selectors.pledge_reporting_status(pledge, today=today),
        "reports": reports,
        "changes": changes,
        "timeline": place_selectors.pledge_timeline(changes=changes, reports=reports),
    }, status=400 if error else 200)


# The page's lists of links, by the pledge's many-to-many fields.
_LINKS = {"nodes": "framework_nodes", "countries": "beneficiary_countries", "regions": "beneficiary_regions",
          "beneficiary_groups": "beneficiary_groups", "sdg_targets": "sdg_targets", "wsis_lines": "wsis_lines"}


def _pledge_then(request, pk, as_of):
    then = pledge_as_of(pk, as_of)
    if then is None:
        first = pledge_first_published(pk)
        if first is None:
            raise Http404
        return render(request, "explore/pledge_detail.html", {
            "not_then": True, "as_of": as_of, "today": timezone.localdate(), "pledge_id": pk,
            "first_published": first, "published_later": first > as_of.moment,
            "published_now": selectors.pledge_list_published().filter(pk=pk).exists(),
        }, status=404)
    return render(request, "explore/pledge_detail.html", {
        "pledge": then.pledge, "pledge_id": pk, "as_of": as_of, "today": timezone.localdate(),
        "lead": then.lead, "partners": then.partners, "links": then.links,
        "practices": practices_related(pledge=then.pledge, as_of=as_of),
        "delivery": then.delivery, "reporting_status": then.reporting_status, "reports": then.reports,
        "changes": then.changes, "timeline": place_selectors.pledge_timeline(changes=then.changes, reports=then.reports),
        "published_now": selectors.pledge_list_published().filter(pk=pk).exists(),
    })


@login_required
def entity_history(request, pk):
    """Every change to an entity and its pledges, revisions and reports, for its focal points."""
    entity = get_object_or_404(Entity, pk=pk)
    if not user_can_act_for_entity(request.user, entity):
        raise PermissionDenied
    page = Paginator(entity_history_of(entity), 50).get_page(request.GET.get("page"))
    return render(request, "explore/entity_history.html", {"entity": entity, "page": page})
