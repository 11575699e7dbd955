"""Revisions of published pledges: start one, edit and submit it. Parse, call, render.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.forms import form_errors_apply
from coalition.entities.permissions import user_can_act_for_entity
from coalition.pledges import selectors, services
from coalition.pledges.models import Pledge, RevisionAction, RevisionStatus
from coalition.pledges.templatetags.pledge_fields import error_lines


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
    if selectors.revision_open_for(pledge) is not None:
        return redirect("pledges:revision", pledge.pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revision_start(actor=request.user, pledge=pledge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Change started. The public still sees the published pledge until the secretariat approves it."))
            return redirect("pledges:edit", pledge.pk, "basics")
    return render(request, "pledges/revision_start.html", {"pledge": pledge, "form": form})


@login_required
def revision_detail(request, pk):
    """The pledger's view of the change in progress: what it changes, submit or withdraw it."""
    pledge = _pledge_for_pledger(request, pk)
    revision = selectors.revision_open_for(pledge)
    if revision is None:
        return redirect("reporting:mine")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in (RevisionAction.SUBMIT, RevisionAction.WITHDRAW):
            raise PermissionDenied
        try:
            services.revision_transition(actor=request.user, revision=revision, action=action)
        except ValidationError as error:
            for line in error_lines(error):
                messages.error(request, line)
            return redirect("pledges:revision", pledge.pk)
        messages.success(request, _("Done: %(action)s.") % {"action": RevisionAction(action).label.lower()})
        return redirect("reporting:mine")
    return render(request, "pledges/revision_detail.html", {
        "pledge": pledge, "revision": revision, "changes": selectors.revision_changes(revision),
        "editable": revision.status in (RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED),
        "decisions": revision.transitions.select_related("actor").order_by("at", "id"),
    })
