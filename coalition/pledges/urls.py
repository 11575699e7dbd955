from django.urls import path

from coalition.pledges.views import campaigns, discussion, pledging, review, revisions

app_name = "pledges"
urlpatterns = [
    path("pledges/new/", pledging.pledge_new, name="new"),
    path("pledges/<int:pk>/edit/<slug:step>/", pledging.pledge_edit, name="edit"),
    path("pledges/<int:pk>/preview/", pledging.pledge_preview, name="preview"),
    path("pledges/<int:pk>/submit/", pledging.pledge_submit, name="submit"),
    path("pledges/<int:pk>/delete/", pledging.pledge_delete, name="delete"),
    path("pledges/<int:pk>/discussion/", discussion.discussion, name="discussion"),
    path("pledges/for/<str:iso3>/", discussion.country_pledges, name="country_pledges"),
    path("pledges/<int:pk>/revise/", revisions.revision_start, name="revision_start"),
    path("pledges/<int:pk>/revision/", revisions.revision_detail, name="revision"),
    path("review/pledges/", review.review_queue, name="review_queue"),
    path("review/pledges/<int:pk>/", review.review_detail, name="review_detail"),
    path("review/campaigns/", campaigns.campaign_manage, name="campaign_manage"),
    path("review/campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("review/campaigns/<slug:slug>/edit/", campaigns.campaign_edit, name="campaign_edit"),
]
