"""HTML views of the registry: parse the request, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coalition.reference.models import Initiative

from . import (
    dashboard,
    forms,
    reporting_selectors,
    revision_selectors,
    revision_services,
    selectors,
    services,
    snapshot,
)
from .models import Pledge
from .models_revisions import REVISION_EDITABLE_STATES, RevisionAction, revision_data_load
from .permissions import user_can_act_for_entity, user_is_reviewer
from .reporting import ReportingStatus
from .templatetags.pledge_fields import field_label
from .workflow import EDITABLE_STATES, Action, Status, allowed_actions

# The submission steps, in order: (slug, title, form class).
STEPS = [
    ("basics", gettext_lazy("The pledge"), forms.BasicsForm),
    ("focus", gettext_lazy("Focus areas"), forms.FocusForm),
    ("beneficiaries", gettext_lazy("Beneficiaries"), forms.BeneficiariesForm),
    ("alignment", gettext_lazy("SDGs and WSIS"), forms.AlignmentForm),
    ("value", gettext_lazy("Value and dates"), forms.ValueForm),
    ("targets", gettext_lazy("Targets and partners"), None),
]
STEP_SLUGS = [slug for slug, _title, _form in STEPS]


def home(request):
    """The front page: the registry's headline figures now (the dashboard's, from its cache)."""
    as_of = snapshot.as_of_now()
    return render(request, "pledges/home.html", {
        "key": dashboard.key_figures_for(as_of), "as_of": as_of,
        "is_demo": Pledge.objects.filter(status=Status.PUBLISHED, is_demo=True).exists(),
    })


@login_required
def my_pledges(request):
    pledges = list(reporting_selectors.pledge_annotate_open_report(
        reporting_selectors.pledge_annotate_reporting_status(
            selectors.pledge_list_for_pledger(request.user), today=timezone.localdate())))
    for pledge in pledges:
        pledge.reporting_label = ReportingStatus(pledge.reporting_status).label if pledge.reporting_status else ""
    return render(request, "pledges/my_pledges.html", {"pledges": pledges, "editable": EDITABLE_STATES})


def _editable_pledge(request, pk) -> Pledge:
    pledge = get_object_or_404(Pledge.objects.select_related("lead_entity", "initiative"), pk=pk)
    if not (user_can_act_for_entity(request.user, pledge.lead_entity) or user_is_reviewer(request.user)):
        raise PermissionDenied
    return pledge


def _attach(form, error: ValidationError) -> None:
    """Put a service's field errors on the form, next to their field when it has one."""
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _steps_context(pledge, current):
    return [
        {"slug": slug, "title": title, "current": slug == current,
         "url": reverse("pledges:edit", args=[pledge.pk, slug]) if pledge else None}
        for slug, title, _form in STEPS
    ]


@login_required
def pledge_new(request):
    entities = selectors.entities_for(request.user)
    if not entities.exists():
        return render(request, "pledges/no_entity.html", status=403)
    initial = {"lead_entity": entities.first()} if entities.count() == 1 else {}
    form = forms.BasicsForm(request.POST or None, entities=entities, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Draft saved. Continue when you are ready; nothing is public yet."))
            return redirect("pledges:edit", pledge.pk, STEP_SLUGS[1])
    return render(request, "pledges/pledge_form.html", {
        "form": form, "step": STEPS[0], "steps": _steps_context(None, "basics"), "pledge": None,
    })


class _Draft:
    """What the steps edit: the pledge itself, or, once it is published, its open revision."""

    def __init__(self, request, pledge):
        self.pledge, self.actor = pledge, request.user
        self.revision = revision_selectors.revision_open_for(pledge) if pledge.status == Status.PUBLISHED else None
        if self.revision is not None:
            self.data = revision_data_load(self.revision.data)
            self.editable = self.revision.status in REVISION_EDITABLE_STATES
        else:
            self.data = services.pledge_data(pledge)
            self.editable = pledge.status in EDITABLE_STATES or (
                pledge.status != Status.PUBLISHED and user_is_reviewer(request.user)
            )

    def save(self, data) -> None:
        if self.revision is not None:
            revision_services.revision_update(actor=self.actor, revision=self.revision, data=data)
        else:
            services.pledge_update(actor=self.actor, pledge=self.pledge, data=data)


@login_required
def pledge_edit(request, pk, step):
    pledge = _editable_pledge(request, pk)
    if step not in STEP_SLUGS:
        raise Http404
    draft = _Draft(request, pledge)
    if not draft.editable:
        messages.info(request, _("This pledge is with the secretariat and cannot be edited now."))
        return redirect("pledges:preview", pledge.pk)
    data = draft.data
    index = STEP_SLUGS.index(step)
    if step == "targets":
        return _targets_step(request, pledge, draft)
    form_class = STEPS[index][2]
    extra = {
        "basics": {"entities": selectors.entities_for(request.user)},
        "focus": {"initiative": data.get("initiative") or pledge.initiative},
    }.get(step, {})
    initial = {name: data.get(name) for name in form_class.base_fields}
    if step == "value" and data.get("value_currency"):
        initial["value_currency"] = data["value_currency"].code
    form = form_class(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            draft.save({**data, **form.cleaned_data})
        except ValidationError as error:
            _attach(form, error)
        else:
            return _after_save(request, pledge, index)
    return render(request, "pledges/pledge_form.html", {
        "form": form, "step": STEPS[index], "steps": _steps_context(pledge, step), "pledge": pledge,
        "revision": draft.revision,
    })


def _targets_step(request, pledge, draft):
    data = draft.data
    targets = forms.TargetFormSet(request.POST or None, prefix="targets", initial=data["targets"])
    partners = forms.PartnerFormSet(request.POST or None, prefix="partners", initial=data["partners"])
    errors = []
    if request.method == "POST" and targets.is_valid() and partners.is_valid():
        rows = [f.cleaned_data for f in targets.forms if f.cleaned_data and not f.is_blank()]
        links = [f.cleaned_data for f in partners.forms if f.cleaned_data.get("entity")]
        try:
            draft.save({**data, "targets": rows, "partners": links})
        except ValidationError as error:
            errors = [f"{field_label(field)}: {' '.join(text)}" for field, text in error.message_dict.items()]
        else:
            return _after_save(request, pledge, STEP_SLUGS.index("targets"))
    return render(request, "pledges/pledge_targets.html", {
        "targets": targets, "partners": partners, "errors": errors, "step": STEPS[-1],
        "steps": _steps_context(pledge, "targets"), "pledge": pledge, "revision": draft.revision,
    })


def _after_save(request, pledge, index):
    if "stay" in request.POST:
        messages.success(request, _("Draft saved."))
        return redirect("pledges:edit", pledge.pk, STEP_SLUGS[index])
    if index + 1 < len(STEP_SLUGS):
        return redirect("pledges:edit", pledge.pk, STEP_SLUGS[index + 1])
    return redirect("pledges:preview", pledge.pk)


@login_required
def pledge_preview(request, pk):
    pledge = _editable_pledge(request, pk)
    if pledge.status == Status.PUBLISHED and revision_selectors.revision_open_for(pledge) is not None:
        return redirect("pledges:revision", pledge.pk)
    return render(request, "pledges/pledge_preview.html", {
        "pledge": pledge, "hints": services.pledge_smart_hints(pledge),
        "can_submit": Action.SUBMIT in allowed_actions(pledge.status), "steps": _steps_context(pledge, "preview"),
        "decisions": selectors.pledge_transitions(pledge),
    })


@login_required
@require_POST
def pledge_submit(request, pk):
    pledge = _editable_pledge(request, pk)
    try:
        services.pledge_submit(actor=request.user, pledge=pledge)
    except ValidationError as error:
        for field, text in error.message_dict.items():
            messages.error(request, f"{field_label(field)}: {' '.join(text)}")
        return redirect("pledges:preview", pledge.pk)
    messages.success(request, _("Submitted. The secretariat will review your pledge and may ask for changes."))
    return redirect("pledges:mine")


def _reviewer(request):
    """The signed-in reviewer (the views are behind login_required); anyone else is refused."""
    if not user_is_reviewer(request.user):
        raise PermissionDenied
    return request.user


@login_required
def review_queue(request):
    reviewer = _reviewer(request)
    initiative = request.GET.get("initiative") or None
    queue = selectors.review_queue(
        reviewer=reviewer, status=request.GET.get("status", ""), assigned=request.GET.get("assigned", ""),
        initiative=initiative and get_object_or_404(Initiative, slug=initiative),
        search=request.GET.get("q", "").strip(),
    )
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    return render(request, "pledges/review_queue.html", {
        "page": page, "initiatives": Initiative.objects.all(), "query": request.GET,
        "revisions": revision_selectors.revision_review_queue(),
    })


@login_required
def review_detail(request, pk):
    reviewer = _reviewer(request)
    pledge = get_object_or_404(Pledge.objects.select_related("lead_entity", "initiative", "assigned_to"), pk=pk)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        try:
            if action == "assign_me":
                services.pledge_assign(actor=reviewer, pledge=pledge, reviewer=reviewer)
            elif action.startswith("revision_"):
                revision = revision_selectors.revision_open_for(pledge)
                if revision is None:
                    raise Http404
                revision_services.revision_transition(
                    actor=reviewer, revision=revision, action=action.removeprefix("revision_"),
                    comment=form.cleaned_data["comment"],
                )
            else:
                services.pledge_transition(actor=reviewer, pledge=pledge, action=action,
                                           comment=form.cleaned_data["comment"])
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": _action_label(action)})
            return redirect("pledges:review_detail", pledge.pk)
    return render(request, "pledges/review_detail.html", {
        "pledge": pledge, "form": form, "actions": [Action(a) for a in allowed_actions(pledge.status) if a not in (Action.SUBMIT, Action.WITHDRAW)],
        "duplicates": selectors.pledge_possible_duplicates(pledge),
        "decisions": selectors.pledge_transitions(pledge), "hints": services.pledge_smart_hints(pledge),
        **_revision_review_context(pledge),
        "history": selectors.pledge_history(pledge), "revisions": revision_selectors.revision_list_for_pledge(pledge),
        "reports": reporting_selectors.report_list_for_pledge(pledge).prefetch_related("transitions__actor"),
    })


def _revision_review_context(pledge):
    """The submitted revision of a published pledge, what it changes and the decisions on it."""
    revision = revision_selectors.revision_open_for(pledge)
    if revision is None or revision.status != "submitted":
        return {"open_revision": revision}
    return {
        "open_revision": revision, "revision_changes": revision_selectors.revision_changes(revision),
        "revision_actions": [RevisionAction.PUBLISH, RevisionAction.REQUEST_CHANGES, RevisionAction.REJECT],
    }


def _action_label(action: str) -> str:
    if action == "assign_me":
        return _("assigned to you")
    if action.startswith("revision_"):
        return str(RevisionAction(action.removeprefix("revision_")).label).lower()
    return str(Action(action).label).lower()
