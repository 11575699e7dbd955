"""The reports' pages: each views module lists its own paths."""

from coalition.reports.views import archive, builds

app_name = "reports"

urlpatterns = [*archive.urlpatterns, *builds.urlpatterns]
