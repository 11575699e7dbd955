from django.shortcuts import render

from . import selectors


def home(request):
    return render(request, "pledges/home.html", {"summary": selectors.registry_summary()})
