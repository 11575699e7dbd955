"""The reviewers' pages for the action plan: one queue of the activities, participations and
national measures waiting on them, and a review page for each with its decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan import forms
from coalition.actionplan.models import Activity, NationalMeasure, Participation, ReviewStatus
from coalition.actionplan.selectors import activities as selectors
from coalition.actionplan.services import activities as activity_services
from coalition.actionplan.services import measures as measure_services
from coalition.actionplan.views.moderated import action_links
from coalition.actionplan.workflow import ACTIVITY_WORKFLOW, MEASURE_WORKFLOW, PARTICIPATION_WORKFLOW, REVIEWER

KINDS = [
    (selectors.ACTIVITY, gettext_lazy("Activities")),
    (selectors.PARTICIPATION, gettext_lazy("Participations")),
    (selectors.MEASURE, gettext_lazy("National measures")),
]
MODELS = {selectors.ACTIVITY: Activity, selectors.PARTICIPATION: Participation, selectors.MEASURE: NationalMeasure}


def work_card(user):
    """The secretariat home's card: the activities, participations and measures awaiting a decision."""
    if not user_is_reviewer(user):
        return None
    return "actionplan/_work_card.html", {"waiting": selectors.plan_review_count()}


def _reviewer(request):
    """The signed-in reviewer (the views are behind login_required); anyone else is refused."""
    if not user_is_reviewer(request.user):
        raise PermissionDenied
    return request.user


@login_required
def review_queue(request):
    reviewer = _reviewer(request)
    if request.method == "POST":
        model = MODELS.get(request.POST.get("kind", ""))
        if model is None or not str(request.POST.get("pk", "")).isdigit():
            raise Http404
        item = get_object_or_404(model, pk=int(request.POST["pk"]))
        activity_services.review_assign(actor=reviewer, item=item, reviewer=reviewer)
        messages.success(request, _("“%(title)s” is assigned to you.") % {"title": item})
        return redirect(request.get_full_path())
    queue = selectors.plan_review_queue(
        reviewer=reviewer, kind=request.GET.get("kind", ""), status=request.GET.get("status", ""),
        assigned=request.GET.get("assigned", ""), search=request.GET.get("q", "").strip(),
    )
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    return render(request, "actionplan/review_queue.html", {
        "page": page, "query": request.GET, "kinds": KINDS,
        "status_choices": [(ReviewStatus.SUBMITTED.value, _("Submitted")),
                           (ReviewStatus.CHANGES_REQUESTED.value, ReviewStatus.CHANGES_REQUESTED.label)],
    })


def _review(request, *, obj, workflow, move, subject: str, template: str, context: dict, back: str):
    """A review page: the content (the `template` include, with `context`), the decisions taken,
    and the reviewer's own (an action posted with its comment, or "assign to me")."""
    reviewer = _reviewer(request)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        try:
            if action == "assign_me":
                activity_services.review_assign(actor=reviewer, item=obj, reviewer=reviewer)
            else:
                move(actor=reviewer, action=action, comment=form.cleaned_data["comment"], **{subject: obj})
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            done = _("assigned to you") if action == "assign_me" else workflow.label(action).lower()
            messages.success(request, _("Done: %(action)s.") % {"action": done})
            return redirect(back)
    return render(request, "actionplan/review_item.html", {
        "obj": obj, "form": form, "summary": template, **context,
        "moves": [workflow.actions(move.action) for move in workflow.actions_for(obj, reviewer) if move.role == REVIEWER],
        "may_edit": workflow.may_edit(obj, reviewer),
        "decisions": obj.transitions.select_related("actor"),
    })


@login_required
def review_activity(request, pk: int):
    _reviewer(request)
    try:
        activity = selectors.activity_for_page(pk)
    except Activity.DoesNotExist:
        raise Http404 from None
    return _review(request, obj=activity, workflow=ACTIVITY_WORKFLOW, move=activity_services.activity_move,
                   subject="activity", template="actionplan/activity_summary.html",
                   context={"activity": activity, "actions": action_links(activity.actions.all()),
                            "documents": list(activity.documents.all()), "kind_label": _("Activity")},
                   back=request.path)


@login_required
def review_participation(request, pk: int):
    _reviewer(request)
    participation = get_object_or_404(Participation.objects.select_related("activity", "country", "created_by"), pk=pk)
    return _review(request, obj=participation, workflow=PARTICIPATION_WORKFLOW,
                   move=activity_services.participation_move, subject="participation",
                   template="actionplan/participation_summary.html",
                   context={"participation": participation, "kind_label": _("Participation")}, back=request.path)


@login_required
def review_measure(request, pk: int):
    _reviewer(request)
    try:
        measure = selectors.measure_for_page(pk)
    except NationalMeasure.DoesNotExist:
        raise Http404 from None
    return _review(request, obj=measure, workflow=MEASURE_WORKFLOW, move=measure_services.measure_move,
                   subject="measure", template="actionplan/measure_summary.html",
                   context={"measure": measure, "actions": action_links(measure.actions.all()),
                            "kind_label": _("National measure")}, back=request.path)


urlpatterns = [
    path("review/plan/", review_queue, name="review_queue"),
    path("review/plan/activities/<int:pk>/", review_activity, name="review_activity"),
    path("review/plan/participations/<int:pk>/", review_participation, name="review_participation"),
    path("review/plan/measures/<int:pk>/", review_measure, name="review_measure"),
]
