from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("countries/compare/", views.compare, name="compare"),
    path("countries/<str:iso3>/connectivity/", views.country_profile, name="profile"),
    path("connectivity/gap/", views.gap, name="gap"),
    path("connectivity/gap.csv", views.gap_csv, name="gap_csv"),
]
