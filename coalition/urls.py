"""The site's addresses. A page for people says its language in its address: English unprefixed
(every address the site ever published keeps working), French under /fr/ (`i18n_patterns`), so a
link, a bookmark or a search result opens the page in the language it was given in. What machines
read stays outside the prefix and names its language another way (a parameter, a form field)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from coalition.accounts.views import language_set
from coalition.api import api

# Outside the language prefix: addresses machines call (the API goes here too).
urlpatterns = [
    # The header's language switch: the language is a field of the form it receives.
    path("i18n/setlang/", language_set, name="set_language"),
    path("api/v1/", api.urls),
]

# Inside the language prefix: every page for people, the admin included (/fr/admin/ in French).
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("account/", include("coalition.accounts.urls")),
    path("account/", include("coalition.entities.urls")),
    path("", include("coalition.explore.urls")),
    path("", include("coalition.pledges.urls")),
    path("", include("coalition.reporting.urls")),
    path("", include("coalition.actionplan.urls")),
    path("", include("coalition.knowledge.urls")),
    path("", include("coalition.reports.urls")),
    path("", include("coalition.opendata.urls")),
    prefix_default_language=False,
)
