"""The open-data pages and downloads: each views module lists its own paths."""

from coalition.opendata.views import downloads, pages

app_name = "opendata"

urlpatterns = [*pages.urlpatterns, *downloads.urlpatterns]
