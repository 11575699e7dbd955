"""The action plans' public pages (plans, a plan, a pillar, an action; as of any date with
`?as_of=`) and the page where a working-group lead or the secretariat updates an action's status
and its deliverables' progress. Parse the request, call a selector or service, render.

A bad `?as_of=` shows the message with today's figures and a 400 status, as the place pages do;
a plan, pillar or action that exists but not on the date asked gets a page saying so (404).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from coalition.actionplan.models import Action, ActionStatus, DeliverableStatus, Pillar, Plan
from coalition.actionplan.permissions import user_may_update_action
from coalition.actionplan.sections import action_sections
from coalition.actionplan.selectors import plans as selectors
from coalition.actionplan.selectors.activities import activities_published
from coalition.actionplan.services.plans import action_progress_update
from coalition.common import asof


def _render(request, template, context, error):
    context = {**context, "as_of_error": error, "today": timezone.localdate()}
    return render(request, template, context, status=400 if error else 200)


def _absent(request, absent: selectors.NotOnDate, as_of, **context):
    return render(request, "actionplan/plan_absent.html", {
        **context, "what": absent.what, "as_of": as_of, "today": timezone.localdate(), "as_of_error": None,
    }, status=404)


def _plan(slug: str, as_of):
    try:
        return selectors.plan_for_page(slug=slug, as_of=as_of)
    except Plan.DoesNotExist:
        raise Http404 from None


@require_safe
def plan_list(request):
    """Every plan of every initiative as of the date, with its progress."""
    as_of, error = asof.as_of_asked(request)
    return _render(request, "actionplan/plan_list.html", {
        "as_of": as_of, "plans": selectors.plans_as_of(as_of=as_of),
    }, error)


@require_safe
def plan_detail(request, plan: str):
    """A plan: its endorsement, its pillars and working groups with their progress and actions."""
    as_of, error = asof.as_of_asked(request)
    try:
        found = _plan(plan, as_of)
    except selectors.NotOnDate as absent:
        return _absent(request, absent, as_of)
    return _render(request, "actionplan/plan_detail.html", {
        "as_of": as_of, "page": selectors.plan_page(plan=found, as_of=as_of),
    }, error)


@require_safe
def pillar_detail(request, plan: str, code: str):
    """A pillar: its working group, its progress and its actions with theirs."""
    as_of, error = asof.as_of_asked(request)
    try:
        page = selectors.pillar_page(plan=_plan(plan, as_of), code=code, as_of=as_of)
    except Pillar.DoesNotExist:
        raise Http404 from None
    except selectors.NotOnDate as absent:
        return _absent(request, absent, as_of)
    return _render(request, "actionplan/pillar_detail.html", {"as_of": as_of, "page": page}, error)


@require_safe
def action_detail(request, plan: str, code: str):
    """An action: its text, lead, partners, countries, timeline, deliverables and progress, and
    the actions it continues or that continue it."""
    as_of, error = asof.as_of_asked(request)
    try:
        page = selectors.action_page(plan=_plan(plan, as_of), code=code, as_of=as_of)
    except Action.DoesNotExist:
        raise Http404 from None
    except selectors.NotOnDate as absent:
        return _absent(request, absent, as_of)
    live = Action.objects.select_related("pillar").filter(pk=page.action.pk).first()
    return _render(request, "actionplan/action_detail.html", {
        "as_of": as_of, "page": page,
        "may_update": live is not None and user_may_update_action(request.user, live),
        "activities": activities_published(as_of=as_of, action=page.action),
        "sections": action_sections.render(action=page.action, as_of=as_of),
    }, error)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status of the action"), choices=ActionStatus.choices)


class DeliverableProgressForm(forms.Form):
    progress = forms.IntegerField(label=gettext_lazy("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=DeliverableStatus.choices)
    delivered_on = forms.DateField(
        label=gettext_lazy("Delivered on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Delivered deliverables only."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_update(request, plan: str, code: str):
    """The working-group lead's (or the secretariat's) update of an action's status and of its
    deliverables' progress; everyone else is refused."""
    try:
        action = selectors.action_for_update(plan_slug=plan, code=code)
    except Action.DoesNotExist:
        raise Http404 from None
    if not user_may_update_action(request.user, action):
        raise PermissionDenied(_("Only the leads of this action's working group and the secretariat can update it."))
    deliverables = list(action.deliverables.all())
    data = request.POST if request.method == "POST" else None
    status_form = ActionStatusForm(data, initial={"status": action.status})
    rows = [(deliverable, DeliverableProgressForm(data, prefix=f"deliverable-{deliverable.pk}", initial={
        "progress": deliverable.progress, "status": deliverable.status, "delivered_on": deliverable.delivered_on,
    })) for deliverable in deliverables]
    if data is not None and status_form.is_valid() and all(form.is_valid() for _d, form in rows):
        try:
            action_progress_update(actor=request.user, action=action, status=status_form.cleaned_data["status"],
                                   deliverables={deliverable.pk: form.cleaned_data for deliverable, form in rows})
        except ValidationError as error:
            _errors_apply(error, status_form, rows)
        else:
            messages.success(request, _("Progress saved. The action's page shows it from now on."))
            return redirect("actionplan:action", action.plan.slug, action.code)
    return render(request, "actionplan/action_update.html", {
        "action": action, "status_form": status_form, "rows": rows,
        "has_errors": bool(status_form.errors or any(form.errors for _d, form in rows)),
    })


def _errors_apply(error: ValidationError, status_form, rows) -> None:
    """The service's errors on the forms: `status` on the action's, `deliverable-<id>-<field>` on each row's."""
    for key, messages_ in error.message_dict.items():
        form = next((form for _d, form in rows if key.startswith(form.prefix + "-")), None)
        if form is not None:
            form.add_error(key.removeprefix(form.prefix + "-"), messages_)
        else:
            status_form.add_error("status" if key == "status" else None, messages_)


urlpatterns = [
    path("action-plan/", plan_list, name="plans"),
    path("action-plan/<slug:plan>/", plan_detail, name="plan"),
    path("action-plan/<slug:plan>/pillars/<str:code>/", pillar_detail, name="pillar"),
    path("action-plan/<slug:plan>/actions/<str:code>/", action_detail, name="action"),
    path("action-plan/<slug:plan>/actions/<str:code>/update/", action_update, name="action_update"),
]
