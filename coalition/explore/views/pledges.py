"""The public page of a pledge and the private history of an entity: parse, call, render.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from coalition.common.asof import as_of_now
from coalition.entities.models import Entity
from coalition.entities.permissions import user_can_act_for_entity
from coalition.explore import places as place_selectors
from coalition.explore.history import entity_history as entity_history_of
from coalition.knowledge.permissions import report_sharer
from coalition.knowledge.selectors.related import practices_related
from coalition.pledges import selectors
from coalition.reporting import selectors as reporting_selectors
from coalition.reporting.models import ReportStatus


def pledge_detail(request, pk):
    """The public page of a published pledge: its published content only, never a pending revision."""
    pledge = get_object_or_404(selectors.pledge_list_published().prefetch_related(
        "pledge_partners__entity", "framework_nodes", "beneficiary_countries", "beneficiary_regions",
        "beneficiary_groups", "sdg_targets", "wsis_lines",
    ), pk=pk)
    today = timezone.localdate()
    reports = list(
        reporting_selectors.report_list_for_pledge(pledge).filter(status=ReportStatus.ACCEPTED)
        .prefetch_related("target_actuals__target", "evidence")
    )
    changes = selectors.pledge_public_history(pledge)
    timeline = place_selectors.pledge_timeline(changes=changes, reports=reports)
    return render(request, "explore/pledge_detail.html", {
        "pledge": pledge, "as_of": timezone.now(),
        "practices": practices_related(pledge=pledge, as_of=as_of_now()),
        "practices_as_of": as_of_now(),
        "share_as": report_sharer(request.user, reports[0]) if reports else None,
        "delivery": reporting_selectors.pledge_delivery(pledge),
        "reporting_status": reporting_selectors.pledge_reporting_status(pledge, today=today),
        "reports": reports,
        "changes": changes,
        "timeline": timeline,
    })


@login_required
def entity_history(request, pk):
    """Every change to an entity and its pledges, revisions and reports, for its focal points."""
    entity = get_object_or_404(Entity, pk=pk)
    if not user_can_act_for_entity(request.user, entity):
        raise PermissionDenied
    page = Paginator(entity_history_of(entity), 50).get_page(request.GET.get("page"))
    return render(request, "explore/entity_history.html", {"entity": entity, "page": page})
