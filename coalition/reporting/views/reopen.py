"""The secretariat reopens a pledge's closed reporting: parse, call the service, answer.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.pledges.models import Pledge
from coalition.reporting import selectors, services
from coalition.reporting.status import CLOSED_STATUSES, ReportingStatus


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why reopen it?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=gettext_lazy("Kept on the pledge's record, which the pledger and the public read."),
    )


@login_required
def reporting_reopen(request, pledge_pk):
    """GET: the pledge, how its reporting closed, and the form; POST: reopen it."""
    if not user_is_reviewer(request.user):
        raise PermissionDenied
    pledge = get_object_or_404(Pledge.objects.select_related("lead_entity"), pk=pledge_pk)
    status = selectors.pledge_reporting_status(pledge, today=timezone.localdate())
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_reporting_reopen(actor=request.user, pledge=pledge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("The reporting of “%(title)s” is open again: its clock restarts today.")
                             % {"title": pledge.title})
            return redirect("explore:pledge", pledge.pk)
    return render(request, "reporting/reporting_reopen.html", {
        "pledge": pledge, "form": form, "closed": status in CLOSED_STATUSES,
        "status_label": ReportingStatus(status).label if status else "",
        "report": selectors.pledge_latest_accepted_report(pledge),
    }, status=400 if form.errors else 200)
