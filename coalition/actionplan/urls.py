"""The action plan's pages: each views module lists its own paths."""

from coalition.actionplan.views import activities, meetings, plans

app_name = "actionplan"

urlpatterns = [*plans.urlpatterns, *activities.urlpatterns, *meetings.urlpatterns]
