"""The pages of activities (public once published), their documents, and the participation a
country's focal points record in them. Parse the request, call a selector or a service, render.

An activity nobody may see yet (a draft, one under review, one withdrawn) is a 404 for anyone
but those who record or review it; a page someone may see but not act on is a 403.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coalition.accounts.forms import form_errors_apply, form_save_versioned
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan import forms
from coalition.actionplan.models import Activity, ActivityDocument, Participation, ReviewAction, ReviewStatus
from coalition.actionplan.permissions import user_may_record_activity
from coalition.actionplan.selectors import activities as selectors
from coalition.actionplan.services import activities as services
from coalition.actionplan.views import measures, plan_review
from coalition.actionplan.views.moderated import action_links, move_posted, render_as_of
from coalition.actionplan.workflow import ACTIVITY_WORKFLOW, PARTICIPATION_WORKFLOW
from coalition.common.asof import as_of_asked
from coalition.common.versions import version_seen


def _activity(request, pk) -> Activity:
    """The activity, if the person may see it now; else 404."""
    try:
        activity = selectors.activity_for_page(pk)
    except Activity.DoesNotExist:
        raise Http404 from None
    if not selectors.activity_visible_to(activity, request.user):
        raise Http404
    return activity


@require_safe
def activity_detail(request, pk: int):
    """An activity as published on the date asked for, with its participation figures; those who
    record or review it also see it before publication, with what they may do next."""
    try:
        activity = selectors.activity_for_page(pk)
    except Activity.DoesNotExist:
        raise Http404 from None
    as_of, error = as_of_asked(request)
    user = request.user
    public = selectors.activity_published_as_of(activity, as_of)
    manages = user_may_record_activity(user, activity)
    if not (public or manages):
        raise Http404
    countries = selectors.countries_of(user) if user.is_authenticated else []
    if user_is_reviewer(user):
        countries = []  # reviewers record participations from the review pages' country choice
    mine = selectors.participations_live_for(activity, countries) if countries else []
    context = {
        "activity": activity, "as_of": as_of, "public": public, "manages": manages,
        "actions": action_links(activity.actions.all()),
        "documents": selectors.activity_documents_as_of(activity, as_of) if public and not manages
        else list(activity.documents.all()),
        "stats": selectors.participation_stats(as_of=as_of, activities=[activity]) if public else None,
        "my_participations": mine,
        "may_record_participation": activity.status == ReviewStatus.PUBLISHED and (
            user_is_reviewer(user) or len(mine) < len(countries)),
    }
    if manages:
        context.update({
            "moves": ACTIVITY_WORKFLOW.choices_for(activity, user),
            "may_edit": ACTIVITY_WORKFLOW.may_edit(activity, user),
            "may_add_document": services.activity_may_add_document(activity, user),
            "may_remove_document": services.activity_may_remove_document(activity, user),
            "decisions": selectors.activity_transitions(activity),
        })
    return render_as_of(request, "actionplan/activity_detail.html", context, error)


def _activity_form_page(request, form, activity=None, version=None):
    return render(request, "actionplan/activity_form.html", {"form": form, "activity": activity, "version": version})


@login_required
def activity_new(request):
    if not user_may_record_activity(request.user):
        raise PermissionDenied
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is complete; nothing is public yet."))
            return redirect("actionplan:activity", activity.pk)
    return _activity_form_page(request, form)


@login_required
def activity_edit(request, pk: int):
    activity = _activity(request, pk)
    if not user_may_record_activity(request.user, activity):
        raise PermissionDenied
    if not ACTIVITY_WORKFLOW.may_edit(activity, request.user):
        messages.info(request, _("This activity is %(status)s and cannot be edited now.")
                      % {"status": activity.get_status_display().lower()})
        return redirect("actionplan:activity", activity.pk)
    form = forms.ActivityForm(request.POST or None, initial=services.activity_data(activity))
    version = activity.version
    if request.method == "POST" and form.is_valid():
        saved, version = form_save_versioned(form, version=version, save=lambda: services.activity_update(
            actor=request.user, activity=activity, data=form.cleaned_data,
            seen_version=version_seen(request.POST.get("version"))))
        if saved:
            messages.success(request, _("Saved."))
            return redirect("actionplan:activity", activity.pk)
    return _activity_form_page(request, form, activity, version)


@login_required
@require_POST
def activity_move(request, pk: int):
    activity = _activity(request, pk)
    move_posted(request, services.activity_move, ACTIVITY_WORKFLOW, activity=activity)
    return redirect("actionplan:activity", activity.pk)


# --- Documents ----------------------------------------------------------------------------------


@login_required
def activity_document_add(request, pk: int):
    activity = _activity(request, pk)
    if not user_may_record_activity(request.user, activity):
        raise PermissionDenied
    if not services.activity_may_add_document(activity, request.user):
        messages.info(request, _("Documents cannot be added to an activity that is %(status)s.")
                      % {"status": activity.get_status_display().lower()})
        return redirect("actionplan:activity", activity.pk)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_document_add(actor=request.user, activity=activity, data=form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Document added."))
            return redirect("actionplan:activity", activity.pk)
    return render(request, "actionplan/activity_document_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_document_remove(request, pk: int, document_pk: int):
    activity = _activity(request, pk)
    document = get_object_or_404(ActivityDocument, pk=document_pk, activity=activity)
    try:
        services.activity_document_remove(actor=request.user, document=document)
    except ValidationError as error:
        for line in error.messages:
            messages.error(request, line)
    else:
        messages.success(request, _("“%(title)s” is removed.") % {"title": document.title})
    return redirect("actionplan:activity", activity.pk)


@require_safe
def activity_document_file(request, pk: int, document_pk: int):
    """A document's file, to whoever may see its activity; always downloaded, never shown in place."""
    activity = _activity(request, pk)
    document = get_object_or_404(ActivityDocument, pk=document_pk, activity=activity)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(document.file.name))


# --- Participation ------------------------------------------------------------------------------


@login_required
def participation_new(request, pk: int):
    """A country focal point records their country's participation in a published activity."""
    activity = _activity(request, pk)
    if activity.status != ReviewStatus.PUBLISHED:
        raise Http404
    countries = selectors.countries_for_recording(request.user)
    if not countries.exists():
        raise PermissionDenied
    open_countries = countries.exclude(plan_participations__in=activity.participations.filter(
        services.LIVE_PARTICIPATION))
    if not open_countries.exists():
        existing = selectors.participations_live_for(activity, countries)[0]
        messages.info(request, _("The participation of %(country)s is already recorded.") % {"country": existing.country})
        return redirect("actionplan:participation_edit", existing.pk)
    single = open_countries.first() if open_countries.count() == 1 else None
    form = forms.ParticipationForm(request.POST or None, countries=open_countries, initial={"country": single})
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.participation_record(actor=request.user, activity=activity, data=form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it for review when the numbers are right."))
            return redirect("actionplan:participation_edit", participation.pk)
    return render(request, "actionplan/participation_form.html", {
        "form": form, "activity": activity, "participation": None, "single_country": single,
    })


def _participation(request, pk) -> Participation:
    participation = get_object_or_404(Participation.objects.select_related("activity", "country"), pk=pk)
    if not selectors.participation_visible_to(participation, request.user):
        raise Http404
    return participation


@login_required
def participation_edit(request, pk: int):
    """A participation's own page: its form while it may be edited, its state and the moves on it."""
    participation = _participation(request, pk)
    editable = PARTICIPATION_WORKFLOW.may_edit(participation, request.user)
    form = version = None
    if editable:
        form = forms.ParticipationForm(request.POST or None, initial={
            name: getattr(participation, name) for name in services.PARTICIPATION_FIELDS})
        version = participation.version
        if request.method == "POST" and form.is_valid():
            saved, version = form_save_versioned(form, version=version, save=lambda: services.participation_update(
                actor=request.user, participation=participation, data=form.cleaned_data,
                seen_version=version_seen(request.POST.get("version"))))
            if saved:
                messages.success(request, _("Saved."))
                return redirect("actionplan:participation_edit", participation.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "actionplan/participation_form.html", {
        "form": form, "activity": participation.activity, "participation": participation, "version": version,
        "moves": [move for move in PARTICIPATION_WORKFLOW.choices_for(participation, request.user)
                  if move not in (ReviewAction.PUBLISH, ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT)],
        "decisions": selectors.participation_transitions(participation),
    })


@login_required
@require_POST
def participation_move(request, pk: int):
    participation = _participation(request, pk)
    move_posted(request, services.participation_move, PARTICIPATION_WORKFLOW, participation=participation)
    return redirect("actionplan:participation_edit", participation.pk)


def account_section(user):
    """The "My account" part of country focal points and of those who record activities: their
    country's participations and national measures, the activities awaiting their numbers, and
    the activities they recorded."""
    countries = selectors.countries_of(user)
    records = user_may_record_activity(user)
    if not countries and not records:
        return None
    return "actionplan/activity_account_section.html", {
        "countries": countries,
        "participations": selectors.participations_of_countries(countries) if countries else [],
        "measures": selectors.measures_of_countries(countries) if countries else [],
        "awaiting": selectors.activities_awaiting_participation(countries) if countries else [],
        "records_activities": records,
        "activities": selectors.activities_recorded_by(user) if records else [],
    }


urlpatterns = [
    path("activities/new/", activity_new, name="activity_new"),
    path("activities/<int:pk>/", activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", activity_edit, name="activity_edit"),
    path("activities/<int:pk>/move/", activity_move, name="activity_move"),
    path("activities/<int:pk>/documents/add/", activity_document_add, name="activity_document_add"),
    path("activities/<int:pk>/documents/<int:document_pk>/remove/", activity_document_remove,
         name="activity_document_remove"),
    path("activities/<int:pk>/documents/<int:document_pk>/", activity_document_file, name="activity_document_file"),
    path("activities/<int:pk>/participation/", participation_new, name="participation_new"),
    path("participations/<int:pk>/edit/", participation_edit, name="participation_edit"),
    path("participations/<int:pk>/move/", participation_move, name="participation_move"),
    *measures.urlpatterns,
    *plan_review.urlpatterns,
]
