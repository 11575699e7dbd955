"""The pages of national measures: public once published, written by the country's focal points.

A measure nobody may see yet is a 404 for anyone but its country's focal points and the
reviewers; a page someone may see but not act on is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coalition.accounts.forms import form_errors_apply, form_save_versioned
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan import forms
from coalition.actionplan.models import NationalMeasure
from coalition.actionplan.permissions import user_is_country_focal_point
from coalition.actionplan.selectors import activities as selectors
from coalition.actionplan.services import measures as services
from coalition.actionplan.views.moderated import action_links, move_posted, render_as_of
from coalition.actionplan.workflow import MEASURE_WORKFLOW
from coalition.common.asof import as_of_asked
from coalition.common.versions import version_seen


def _measure(request, pk) -> NationalMeasure:
    """The measure, if the person may see it now; else 404."""
    try:
        measure = selectors.measure_for_page(pk)
    except NationalMeasure.DoesNotExist:
        raise Http404 from None
    if not selectors.measure_visible_to(measure, request.user):
        raise Http404
    return measure


def _manages(measure, user) -> bool:
    return user_is_reviewer(user) or user_is_country_focal_point(user, measure.country)


@require_safe
def measure_detail(request, pk: int):
    """A national measure as published on the date asked for; its country's focal points and the
    reviewers also see it before publication, with what they may do next."""
    try:
        measure = selectors.measure_for_page(pk)
    except NationalMeasure.DoesNotExist:
        raise Http404 from None
    as_of, error = as_of_asked(request)
    public = selectors.measure_published_as_of(measure, as_of)
    manages = _manages(measure, request.user)
    if not (public or manages):
        raise Http404
    context = {"measure": measure, "as_of": as_of, "public": public, "manages": manages,
               "actions": action_links(measure.actions.all())}
    if manages:
        context.update({
            "moves": MEASURE_WORKFLOW.choices_for(measure, request.user),
            "may_edit": MEASURE_WORKFLOW.may_edit(measure, request.user),
            "decisions": selectors.measure_transitions(measure),
        })
    return render_as_of(request, "actionplan/measure_detail.html", context, error)


@login_required
def measure_new(request):
    countries = selectors.countries_for_recording(request.user)
    if not countries.exists():
        raise PermissionDenied
    # One country of theirs is chosen for them: their only one, or the one whose page they came from.
    asked = countries.filter(iso3=request.GET.get("country", "").upper()[:3]).first()
    single = asked or (countries.first() if countries.count() == 1 else None)
    form = forms.MeasureForm(request.POST or None, countries=countries, initial={"country": single})
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is complete; nothing is public yet."))
            return redirect("actionplan:measure", measure.pk)
    return render(request, "actionplan/measure_form.html", {"form": form, "measure": None})


@login_required
def measure_edit(request, pk: int):
    measure = _measure(request, pk)
    if not _manages(measure, request.user):
        raise PermissionDenied
    if not MEASURE_WORKFLOW.may_edit(measure, request.user):
        messages.info(request, _("This measure is %(status)s and cannot be edited now.")
                      % {"status": measure.get_status_display().lower()})
        return redirect("actionplan:measure", measure.pk)
    countries = selectors.countries_for_recording(request.user, keep=measure.country)
    form = forms.MeasureForm(request.POST or None, countries=countries, initial=services.measure_data(measure))
    version = measure.version
    if request.method == "POST" and form.is_valid():
        saved, version = form_save_versioned(form, version=version, save=lambda: services.measure_update(
            actor=request.user, measure=measure, data=form.cleaned_data,
            seen_version=version_seen(request.POST.get("version"))))
        if saved:
            messages.success(request, _("Saved."))
            return redirect("actionplan:measure", measure.pk)
    return render(request, "actionplan/measure_form.html", {"form": form, "measure": measure, "version": version})


@login_required
@require_POST
def measure_move(request, pk: int):
    measure = _measure(request, pk)
    move_posted(request, services.measure_move, MEASURE_WORKFLOW, measure=measure)
    return redirect("actionplan:measure", measure.pk)


urlpatterns = [
    path("measures/new/", measure_new, name="measure_new"),
    path("measures/<int:pk>/", measure_detail, name="measure"),
    path("measures/<int:pk>/edit/", measure_edit, name="measure_edit"),
    path("measures/<int:pk>/move/", measure_move, name="measure_move"),
]
