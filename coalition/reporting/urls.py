from django.urls import path

from coalition.reporting.views import followup, home, mine, offline, rates, reopen, reports

app_name = "reporting"
urlpatterns = [
    path("pledges/mine/", mine.my_pledges, name="mine"),
    path("pledges/<int:pledge_pk>/report/", reports.report_new, name="report_new"),
    path("reports/<int:pk>/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/delete/", reports.report_delete, name="report_delete"),
    path("reports/<int:pk>/comments/", reports.report_comment, name="report_comment"),
    path("reports/evidence/<int:pk>/", reports.report_evidence_file, name="report_evidence_file"),
    path("reports/offline/", offline.report_upload_page, name="report_upload"),
    path("reports/offline/template/", offline.report_template_download, name="report_template"),
    path("reports/offline/uploads/<int:pk>/", offline.report_upload_run_page, name="report_upload_run"),
    path("review/", home.review_home, name="review_home"),
    path("review/reports/", reports.report_review_queue, name="report_review_queue"),
    path("review/reports/<int:pk>/", reports.report_review, name="report_review"),
    path("review/follow-up/", followup.followup, name="followup"),
    path("review/exchange-rates/", rates.money_awaiting_rates_page, name="money_awaiting_rates"),
    path("review/follow-up/send/", followup.followup_send, name="followup_send"),
    path("review/pledges/<int:pledge_pk>/reporting/reopen/", reopen.reporting_reopen, name="reporting_reopen"),
]
