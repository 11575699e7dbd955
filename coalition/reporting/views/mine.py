"""The pledger's own pledges, with where each stands in the workflow and the report it owes.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from coalition.pledges.selectors import pledge_list_for_pledger
from coalition.pledges.workflow import EDITABLE_STATES
from coalition.reporting import selectors
from coalition.reporting.status import ReportingStatus
from coalition.reporting.xlsx.reader import report_upload_entities


@login_required
def my_pledges(request):
    pledges = list(selectors.pledge_annotate_open_report(
        selectors.pledge_annotate_reporting_status(
            pledge_list_for_pledger(request.user), today=timezone.localdate())))
    today = timezone.localdate()
    for pledge in pledges:
        pledge.reporting_label = ReportingStatus(pledge.reporting_status).label if pledge.reporting_status else ""
        pledge.final_report_owed = bool(pledge.reporting_status and pledge.end_date and pledge.end_date < today)
    return render(request, "reporting/my_pledges.html", {
        "pledges": pledges, "editable": EDITABLE_STATES,
        # The offline workbook is for those who report for an entity (a reviewer may have none).
        "reports_offline": report_upload_entities(request.user).exists(),
    })
