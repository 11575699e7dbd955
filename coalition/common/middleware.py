"""Requests the platform refuses before any view sees them."""

from django.conf import settings
from django.contrib.auth import get_user
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from coalition.common.i18n import language_chosen, url_in_language


class RefuseNulCharactersMiddleware:
    """A NUL character in a query or form parameter is refused with 400, naming the parameter.

    No text the platform stores or searches may hold one (PostgreSQL refuses it in any text
    value, so a filter or lookup given one would fail as a server error). Django's text form
    fields already refuse it; lookups, filters and choice fields read raw parameters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self._check(request)
        except (RequestDataTooBig, TooManyFieldsSent):
            return form_too_large(request)

    def _check(self, request):
        for params in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for name, values in params.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(
                        _("The parameter “%(name)s” contains a NUL character, which no field accepts.")
                        % {"name": name.replace("\x00", "\\0")[:60]},
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)


class HomeInChosenLanguageMiddleware:
    """The bare address `/` opens the home page in the language the visitor chose (the language
    cookie, or a signed-in person's preferred language): someone who picked French and types the
    site's name expects French. Every other unprefixed address serves English, whatever was
    chosen, so that a link someone shares opens in the language it was shared in; and a visitor
    who chose nothing (a search engine's crawler, a first visit) gets English at `/`, the
    x-default of the hreflang alternates. The answer at `/` depends on the cookie, and says so
    (Vary: Cookie). Place it after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != "/":
            return self.get_response(request)
        language = language_chosen(request) if request.method in ("GET", "HEAD") else None
        if language and language != settings.LANGUAGE_CODE:
            response = HttpResponseRedirect(url_in_language(request.get_full_path(), language))
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response


def form_too_large(request):
    """The page, in the site's layout, for a form sent with more than DATA_UPLOAD_MAX_MEMORY_SIZE of
    text (files aside) or more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields: Django would answer a bare
    "Bad Request (400)". Status 413 (content too large); nothing was read, nothing is saved."""
    request._mark_post_parse_error()  # the form is not read again (Django's own handling does the same)
    back = request.headers.get("referer", "")
    if not hasattr(request, "user"):  # refused before the authentication middleware: the header still knows who it is
        request.user = get_user(request)
    return render(request, "form_too_large.html", {
        "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        "back": back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else "",
    }, status=413)
