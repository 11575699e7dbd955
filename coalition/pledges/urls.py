from django.urls import path

from . import views, views_dashboard, views_explorer, views_followup, views_places, views_reporting, views_revisions, views_xlsx

app_name = "pledges"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.csv", views_dashboard.chart_csv, name="dashboard_csv"),
    path("pledges/", views_explorer.explorer, name="explorer"),
    path("entities/<int:pk>/", views_places.entity_detail, name="entity"),
    path("countries/", views_places.country_list, name="countries"),
    path("countries/<str:iso3>/", views_places.country_detail, name="country"),
    path("groups/", views_places.group_list, name="groups"),
    path("groups/<str:code>/", views_places.group_detail, name="group"),
    path("pledges/mine/", views.my_pledges, name="mine"),
    path("pledges/new/", views.pledge_new, name="new"),
    path("pledges/<int:pk>/edit/<slug:step>/", views.pledge_edit, name="edit"),
    path("pledges/<int:pk>/preview/", views.pledge_preview, name="preview"),
    path("pledges/<int:pk>/submit/", views.pledge_submit, name="submit"),
    path("pledges/<int:pk>/", views_revisions.pledge_detail, name="detail"),
    path("pledges/<int:pk>/revise/", views_revisions.revision_start, name="revision_start"),
    path("pledges/<int:pk>/revision/", views_revisions.revision_detail, name="revision"),
    path("entities/<int:pk>/history/", views_revisions.entity_history, name="entity_history"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("pledges/<int:pledge_pk>/report/", views_reporting.report_new, name="report_new"),
    path("reports/<int:pk>/", views_reporting.report_edit, name="report_edit"),
    path("reports/evidence/<int:pk>/", views_reporting.report_evidence_file, name="report_evidence_file"),
    path("reports/offline/", views_xlsx.report_upload_page, name="report_upload"),
    path("reports/offline/template/", views_xlsx.report_template_download, name="report_template"),
    path("review/reports/", views_reporting.report_review_queue, name="report_review_queue"),
    path("review/reports/<int:pk>/", views_reporting.report_review, name="report_review"),
    path("review/follow-up/", views_followup.followup, name="followup"),
    path("review/follow-up/send/", views_followup.followup_send, name="followup_send"),
]
