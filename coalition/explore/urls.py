from django.urls import path

from coalition.explore.views import campaigns, connectivity, dashboard, explorer, places, pledges

app_name = "explore"
urlpatterns = [
    path("", dashboard.home, name="home"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.csv", dashboard.chart_csv, name="dashboard_csv"),
    path("pledges/", explorer.explorer, name="explorer"),
    path("pledges/<int:pk>/", pledges.pledge_detail, name="pledge"),
    path("entities/<int:pk>/", places.entity_detail, name="entity"),
    path("entities/<int:pk>/history/", pledges.entity_history, name="entity_history"),
    path("countries/", places.country_list, name="countries"),
    # Before the country page: "compare" is not a country code.
    path("countries/compare/", connectivity.compare, name="compare"),
    path("countries/<str:iso3>/", places.country_detail, name="country"),
    path("countries/<str:iso3>/connectivity/", connectivity.country_profile, name="profile"),
    path("countries/<str:iso3>/action-plan/", places.country_action_plan, name="country_action_plan"),
    path("groups/", places.group_list, name="groups"),
    path("groups/<str:code>/", places.group_detail, name="group"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/<slug:slug>/", campaigns.campaign_detail, name="campaign"),
    path("connectivity/gap/", connectivity.gap, name="gap"),
    path("connectivity/gap.csv", connectivity.gap_csv, name="gap_csv"),
]
