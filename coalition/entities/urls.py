from django.urls import path

from coalition.entities import views

app_name = "entities"
urlpatterns = [
    path("access/", views.request_access, name="request_access"),
    path("access/join/", views.request_join, name="request_join"),
    path("access/new-entity/", views.request_new_entity, name="request_new_entity"),
    path("access/country/", views.request_country, name="request_country"),
    path("requests/", views.access_requests, name="access_requests"),
    path("requests/<int:pk>/decide/", views.access_request_decide, name="access_request_decide"),
]
