"""HTML views of revisions, the public pledge page and the entity history: parse, call, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit_selectors, place_selectors, reporting_selectors, revision_selectors, revision_services, selectors
from .models import Entity, Pledge
from .models_revisions import RevisionAction, RevisionStatus
from .permissions import user_can_act_for_entity
from .reporting import ReportStatus


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why does the pledge change?"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The reviewers read this before they publish the change."),
    )


def _pledge_for_pledger(request, pk) -> Pledge:
    pledge = get_object_or_404(Pledge.objects.select_related("lead_entity", "initiative"), pk=pk)
    if not user_can_act_for_entity(request.user, pledge.lead_entity):
        raise PermissionDenied
    return pledge


@login_required
def revision_start(request, pk):
    """Propose a change to a published pledge: give the reason, then edit it step by step."""
    pledge = _pledge_for_pledger(request, pk)
    if revision_selectors.revision_open_for(pledge) is not None:
        return redirect("pledges:revision", pledge.pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision_services.revision_start(actor=request.user, pledge=pledge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for field, text in error.message_dict.items():
                form.add_error(field if field in form.fields else None, text)
        else:
            messages.success(request, _("Change started. The public still sees the published pledge until the secretariat approves it."))
            return redirect("pledges:edit", pledge.pk, "basics")
    return render(request, "pledges/revision_start.html", {"pledge": pledge, "form": form})


@login_required
def revision_detail(request, pk):
    """The pledger's view of the change in progress: what it changes, submit or withdraw it."""
    pledge = _pledge_for_pledger(request, pk)
    revision = revision_selectors.revision_open_for(pledge)
    if revision is None:
        return redirect("pledges:mine")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in (RevisionAction.SUBMIT, RevisionAction.WITHDRAW):
            raise PermissionDenied
        try:
            revision_services.revision_transition(actor=request.user, revision=revision, action=action)
        except ValidationError as error:
            for field, text in error.message_dict.items():
                messages.error(request, " ".join(text))
            return redirect("pledges:revision", pledge.pk)
        messages.success(request, _("Done: %(action)s.") % {"action": RevisionAction(action).label.lower()})
        return redirect("pledges:mine")
    return render(request, "pledges/revision_detail.html", {
        "pledge": pledge, "revision": revision, "changes": revision_selectors.revision_changes(revision),
        "editable": revision.status in (RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED),
        "decisions": revision.transitions.select_related("actor").order_by("at", "id"),
    })


def pledge_detail(request, pk):
    """The public page of a published pledge: its published content only, never a pending revision."""
    pledge = get_object_or_404(selectors.pledge_list_published().prefetch_related(
        "pledge_partners__entity", "framework_nodes", "beneficiary_countries", "beneficiary_regions",
        "beneficiary_groups", "sdg_targets", "wsis_lines",
    ), pk=pk)
    today = timezone.localdate()
    reports = list(reporting_selectors.report_list_for_pledge(pledge).filter(status=ReportStatus.ACCEPTED))
    changes = audit_selectors.pledge_public_history(pledge)
    timeline = place_selectors.pledge_timeline(changes=changes, reports=reports)
    report_rows = sorted((event for event in timeline if event.kind == "report"),  # latest period first
                         key=lambda event: (event.report.period_end, event.at), reverse=True)
    return render(request, "pledges/pledge_detail.html", {
        "pledge": pledge, "as_of": timezone.now(),
        "delivery": reporting_selectors.pledge_delivery(pledge),
        "reporting_status": reporting_selectors.pledge_reporting_status(pledge, today=today),
        "reports": reports,
        "changes": changes,
        "timeline": timeline, "report_rows": report_rows, "latest_report": report_rows[0] if report_rows else None,
    })


@login_required
def entity_history(request, pk):
    """Every change to an entity and its pledges, revisions and reports, for its focal points."""
    entity = get_object_or_404(Entity, pk=pk)
    if not user_can_act_for_entity(request.user, entity):
        raise PermissionDenied
    page = Paginator(audit_selectors.entity_history(entity), 50).get_page(request.GET.get("page"))
    return render(request, "pledges/entity_history.html", {"entity": entity, "page": page})
