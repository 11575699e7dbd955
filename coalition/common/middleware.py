"""Requests the platform refuses before any view sees them."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RefuseNulCharactersMiddleware:
    """A NUL character in a query or form parameter is refused with 400, naming the parameter.

    No text the platform stores or searches may hold one (PostgreSQL refuses it in any text
    value, so a filter or lookup given one would fail as a server error). Django's text form
    fields already refuse it; lookups, filters and choice fields read raw parameters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for params in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for name, values in params.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(
                        _("The parameter “%(name)s” contains a NUL character, which no field accepts.")
                        % {"name": name.replace("\x00", "\\0")[:60]},
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)
