"""The secretariat's follow-up page: what is due, overdue and inactive, by entity."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.accounts.roles import user_is_reviewer
from coalition.reporting.reminders import FOLLOW_UP_STATUSES, followup_overview, report_reminders_enqueue

ENTITIES_PER_PAGE = 25


def _reviewer_only(request) -> None:
    if not user_is_reviewer(request.user):
        raise PermissionDenied(_("Only the secretariat sees the follow-up page."))


@login_required
def followup(request):
    _reviewer_only(request)
    status = request.GET.get("status", "")
    if status not in FOLLOW_UP_STATUSES:
        status = ""
    overview = followup_overview(
        today=timezone.localdate(), status=status, page=request.GET.get("page"), per_page=ENTITIES_PER_PAGE
    )
    return render(request, "reporting/followup.html", {
        "overview": overview, "status": status, "statuses": FOLLOW_UP_STATUSES,
    })


@login_required
@require_POST
def followup_send(request):
    _reviewer_only(request)
    result = report_reminders_enqueue(actor=request.user)
    if result.status == TaskResultStatus.SUCCESSFUL:
        messages.success(request, _("Reminders sent: %(count)s.") % {"count": result.return_value})
    elif result.status == TaskResultStatus.FAILED:
        messages.error(request, _("Sending the reminders failed. The error is in the server log."))
    else:
        messages.success(request, _("Reminders are queued; the worker sends them in a moment."))
    return redirect("reporting:followup")
