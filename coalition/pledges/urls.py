from django.urls import path

from coalition.pledges.views import pledging, review, revisions

app_name = "pledges"
urlpatterns = [
    path("pledges/new/", pledging.pledge_new, name="new"),
    path("pledges/<int:pk>/edit/<slug:step>/", pledging.pledge_edit, name="edit"),
    path("pledges/<int:pk>/preview/", pledging.pledge_preview, name="preview"),
    path("pledges/<int:pk>/submit/", pledging.pledge_submit, name="submit"),
    path("pledges/<int:pk>/revise/", revisions.revision_start, name="revision_start"),
    path("pledges/<int:pk>/revision/", revisions.revision_detail, name="revision"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<int:pk>/", review.review_detail, name="review_detail"),
]
