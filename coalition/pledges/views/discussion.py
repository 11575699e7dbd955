"""A pledge's conversation: its page (for the member-state focal points of the countries it
benefits, and everyone else in it), the comment form the pledge's other pages embed, and a
member-state focal point's list of the pledges for their country."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.models import CountryFocalPoint
from coalition.accounts.roles import user_is_reviewer
from coalition.accounts.selectors import country_focal_points_of
from coalition.pledges import forms, selectors, services
from coalition.pledges.discussion import user_may_discuss
from coalition.pledges.models import Pledge
from coalition.reference.models import Country


def conversation(pledge: Pledge) -> dict:
    """What a page embedding the pledge's conversation (`pledges/_thread.html`) needs."""
    return {"comments": selectors.pledge_comments(pledge), "comment_form": forms.CommentForm(),
            "comment_action": reverse("pledges:discussion", args=[pledge.pk])}


def conversation_redirect(request, fallback: str):
    """Back to the conversation on the page the comment was posted from (`next`, on this site
    only), or to `fallback`."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back + "#conversation")
    return redirect(fallback)


@login_required
def discussion(request, pk):
    pledge = get_object_or_404(Pledge.objects.select_related("lead_entity", "initiative"), pk=pk)
    if not user_may_discuss(request.user, pledge):
        raise PermissionDenied
    form = forms.CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_post(actor=request.user, pledge=pledge, body=form.cleaned_data["body"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Your comment is posted; the others in the conversation are told."))
            return conversation_redirect(request, reverse("pledges:discussion", args=[pledge.pk]))
    return render(request, "pledges/discussion.html", {
        "pledge": pledge, "comments": selectors.pledge_comments(pledge), "comment_form": form,
    }, status=400 if form.errors else 200)


@login_required
def country_pledges(request, iso3):
    """A member-state focal point's list of the published pledges that benefit their country,
    each with its conversation; the secretariat sees every country's."""
    country = get_object_or_404(Country, iso3=iso3.upper())
    if not (user_is_reviewer(request.user) or CountryFocalPoint.objects.filter(user=request.user, country=country).exists()):
        raise PermissionDenied
    pledges = selectors.pledge_list_for_country(country)
    return render(request, "pledges/country_pledges.html", {
        "country": country, "page": Paginator(pledges, 25).get_page(request.GET.get("page")),
    })


def account_section(user):
    """The "My account" part of member-state focal points: their countries' pledges."""
    countries = [cfp.country for cfp in country_focal_points_of(user=user)]
    if not countries:
        return None
    return "pledges/_account_section.html", {"countries": countries}
