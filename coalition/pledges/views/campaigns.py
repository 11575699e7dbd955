"""The secretariat's campaign pages: the list of campaigns, a new campaign, and a campaign's edit
page with its history. Writes go through `services.campaigns`, which checks who is acting.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.common.history import version_entries
from coalition.pledges.forms import CampaignForm
from coalition.pledges.models import Campaign
from coalition.pledges.services.campaigns import CAMPAIGN_FIELDS, campaign_create, campaign_update


def _secretariat(request):
    """The signed-in reviewer (the views are behind login_required); anyone else is refused."""
    if not user_is_reviewer(request.user):
        raise PermissionDenied
    return request.user


@login_required
def campaign_manage(request):
    _secretariat(request)
    campaigns = Campaign.objects.select_related("initiative").order_by("-start_date", "name_en")
    return render(request, "pledges/campaign_manage.html", {"campaigns": campaigns})


@login_required
def campaign_new(request):
    actor = _secretariat(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(actor=actor, data=form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("The campaign “%(name)s” is recorded.") % {"name": campaign.name})
            return redirect("pledges:campaign_edit", campaign.slug)
    return render(request, "pledges/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request, slug: str):
    actor = _secretariat(request)
    campaign = get_object_or_404(Campaign.objects.select_related("initiative", "country"), slug=slug)
    initial = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_update(actor=actor, campaign=campaign, data=form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("The campaign “%(name)s” is saved.") % {"name": campaign.name})
            return redirect("pledges:campaign_edit", campaign.slug)
    return render(request, "pledges/campaign_form.html", {
        "form": form, "campaign": campaign, "history": _history(campaign),
    })


def _history(campaign: Campaign) -> list:
    """Who changed the campaign, when, and which fields from what to what: newest first, each
    field named by its form label."""
    labels = {name: field.label for name, field in CampaignForm.base_fields.items()}
    fields = [f for f in Campaign.history.model._meta.fields if f.name in labels]
    versions = campaign.history.select_related("history_user").order_by("history_date", "history_id")
    entries = version_entries(versions, lambda _record: "campaign", fields)
    return [
        (entry, [(labels[change.field], change.old, change.new) for change in entry.changes])
        for entry in reversed(entries)
    ]
