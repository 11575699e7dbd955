"""The public pledge explorer: parse the query string, call the selector, render.

The same URL serves the whole page and, for htmx requests, only the filters and results
(`explorer_results.html`), which htmx swaps in place; without JavaScript the form's submit
button reloads the page with the same result. The canonical query string is pushed as the
address, so every state of the explorer can be shared. `?as_of=YYYY-MM-DD` shows the registry
as it stood at the end of that day; a bad date shows today with the message and a 400 status,
as every public page does.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from coalition.common.asof import as_of_asked
from coalition.explore.explorer import explorer_search


def explorer(request):
    as_of, error = as_of_asked(request)
    result = explorer_search(params=request.GET, as_of=as_of)
    partial = request.headers.get("HX-Request") == "true" and request.headers.get("HX-Request-Type") != "full"
    template = "explore/explorer_results.html" if partial else "explore/explorer.html"
    response = render(request, template, {
        "result": result, "filters": result.filters, "partial": partial, "as_of": result.as_of,
        "as_of_error": error, "today": timezone.localdate(),
    }, status=400 if error else 200)
    if partial:
        response["HX-Push-Url"] = reverse("explore:explorer") + result.page.current_query.rstrip("?")
    patch_vary_headers(response, ["HX-Request"])
    return response
