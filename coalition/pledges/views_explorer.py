"""Work in progress (issue 4)."""

from django.http import Http404


def explorer(request, **kwargs):
    raise Http404
