from django.urls import path

from coalition.reporting.views import followup, mine, offline, reports

app_name = "reporting"
urlpatterns = [
    path("pledges/mine/", mine.my_pledges, name="mine"),
    path("pledges/<int:pledge_pk>/report/", reports.report_new, name="report_new"),
    path("reports/<int:pk>/", reports.report_edit, name="report_edit"),
    path("reports/evidence/<int:pk>/", reports.report_evidence_file, name="report_evidence_file"),
    path("reports/offline/", offline.report_upload_page, name="report_upload"),
    path("reports/offline/template/", offline.report_template_download, name="report_template"),
    path("reports/offline/uploads/<int:pk>/", offline.report_upload_run_page, name="report_upload_run"),
    path("review/reports/", reports.report_review_queue, name="report_review_queue"),
    path("review/reports/<int:pk>/", reports.report_review, name="report_review"),
    path("review/follow-up/", followup.followup, name="followup"),
    path("review/follow-up/send/", followup.followup_send, name="followup_send"),
]
