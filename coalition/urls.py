from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("coalition.accounts.urls")),
    path("account/", include("coalition.entities.urls")),
    path("", include("coalition.explore.urls")),
    path("", include("coalition.pledges.urls")),
    path("", include("coalition.reporting.urls")),
    path("", include("coalition.actionplan.urls")),
    path("", include("coalition.knowledge.urls")),
]
