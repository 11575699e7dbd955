"""Work in progress (issue 4)."""

from django.http import Http404


def entity_detail(request, **kwargs):
    raise Http404


def country_list(request, **kwargs):
    raise Http404


def country_detail(request, **kwargs):
    raise Http404


def group_list(request, **kwargs):
    raise Http404


def group_detail(request, **kwargs):
    raise Http404
