"""Work in progress (issue 4)."""

from django.http import Http404


def dashboard(request, **kwargs):
    raise Http404


def chart_csv(request, **kwargs):
    raise Http404
