from django.urls import path

from coalition.knowledge.views import practices, review

app_name = "knowledge"
urlpatterns = [
    path("practices/", practices.library, name="library"),
    path("practices/mine/", practices.practices_mine, name="mine"),
    path("practices/new/", practices.practice_new, name="new"),
    path("practices/<int:pk>/", practices.practice_detail, name="practice"),
    path("practices/<int:pk>/edit/", practices.practice_edit, name="edit"),
    path("practices/<int:pk>/move/", practices.practice_move, name="move"),
    path("practices/<int:pk>/attachments/", practices.practice_attachments, name="attachments"),
    path("practices/<int:pk>/attachments/<int:attachment_pk>/", practices.attachment_file, name="attachment_file"),
    path("practices/<int:pk>/attachments/<int:attachment_pk>/remove/", practices.attachment_remove,
         name="attachment_remove"),
    path("reports/<int:pk>/share-practice/", practices.practice_from_report, name="from_report"),
    path("review/practices/", review.review_queue, name="review_queue"),
    path("review/practices/<int:pk>/", review.review_detail, name="review"),
]
