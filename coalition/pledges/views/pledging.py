"""The pledger's pages: write a pledge in six steps, preview it with SMART advice, submit it.
Parse the request, call a selector or service, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from coalition.accounts.forms import form_errors_apply, form_save_versioned
from coalition.accounts.roles import user_is_reviewer
from coalition.common.versions import EditConflict, version_seen
from coalition.entities.permissions import user_can_act_for_entity
from coalition.entities.selectors import entities_for
from coalition.pledges import content, forms, selectors, services
from coalition.pledges.content import revision_data_load
from coalition.pledges.models import Action, Pledge, Status
from coalition.pledges.templatetags.pledge_fields import error_lines
from coalition.pledges.views.discussion import conversation
from coalition.pledges.workflow import PLEDGE_WORKFLOW, REVISION_WORKFLOW
from coalition.reference.groups import group_label
from coalition.reference.models import CountryGroup
from coalition.reference.selectors import group_member_ids_as_of, group_members_as_of, initiative_suggested_for

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
# Steps with long lists that pickers.js makes searchable.
PICKER_STEPS = {"beneficiaries", "alignment"}


def _editable_pledge(request, pk) -> Pledge:
    pledge = get_object_or_404(Pledge.objects.select_related("lead_entity", "initiative"), pk=pk)
    if not (user_can_act_for_entity(request.user, pledge.lead_entity) or user_is_reviewer(request.user)):
        raise PermissionDenied
    return pledge


def _steps_context(pledge, current):
    return [
        {"slug": slug, "title": title, "current": slug == current,
         "url": reverse("pledges:edit", args=[pledge.pk, slug]) if pledge else None}
        for slug, title, _form in STEPS
    ]


@login_required
def pledge_new(request):
    entities = entities_for(request.user)
    if not entities.exists():
        return render(request, "pledges/no_entity.html", status=403)
    initial = {}
    if entities.count() == 1:
        entity = entities.first()
        initial = {"lead_entity": entity, "initiative": initiative_suggested_for(
            country=entity.home_country, date=timezone.localdate())}
    form = forms.BasicsForm(request.POST or None, entities=entities, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
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
        self.revision = selectors.revision_open_for(pledge) if pledge.status == Status.PUBLISHED else None
        if self.revision is not None:
            self.data = revision_data_load(self.revision.data)
            self.workflow, self.obj = REVISION_WORKFLOW, self.revision
        else:
            self.data = content.pledge_data(pledge)
            self.workflow, self.obj = PLEDGE_WORKFLOW, pledge

    def editable(self) -> bool:
        """Whether the person may edit it now; PermissionDenied for someone who never may."""
        try:
            self.workflow.check_edit(self.obj, self.actor)
        except ValidationError:
            return False
        return True

    def save(self, data, *, seen_version: int | None) -> None:
        if self.revision is not None:
            services.revision_update(actor=self.actor, revision=self.revision, data=data, seen_version=seen_version)
        else:
            services.pledge_update(actor=self.actor, pledge=self.pledge, data=data, seen_version=seen_version)


@login_required
def pledge_edit(request, pk, step):
    pledge = _editable_pledge(request, pk)
    if step not in STEP_SLUGS:
        raise Http404
    draft = _Draft(request, pledge)
    if not draft.editable():
        messages.info(request, _("This pledge is %(status)s and cannot be edited now.") % {
            "status": draft.obj.get_status_display().lower()})
        return redirect("pledges:preview", pledge.pk)
    data = draft.data
    index = STEP_SLUGS.index(step)
    if step == "targets":
        return _targets_step(request, pledge, draft)
    form_class = STEPS[index][2]
    extra = {
        "basics": {"entities": entities_for(request.user)},
        "focus": {"initiative": data.get("initiative") or pledge.initiative},
    }.get(step, {})
    initial = {name: data.get(name) for name in form_class.base_fields}
    if step == "value" and data.get("value_currency"):
        initial["value_currency"] = data["value_currency"].code
    form = form_class(request.POST or None, initial=initial, **extra)
    version = draft.obj.version
    if request.method == "POST" and step == "beneficiaries" and request.POST.get("add") == "group":
        form = _group_added(request)
    elif request.method == "POST" and form.is_valid():
        content = {name: value for name, value in form.cleaned_data.items() if name != "add_group"}
        saved, version = form_save_versioned(form, version=version, save=lambda: draft.save(
            {**data, **content}, seen_version=version_seen(request.POST.get("version"))))
        if saved:
            return _after_save(request, pledge, index)
    return render(request, "pledges/pledge_form.html", {
        "form": form, "step": STEPS[index], "steps": _steps_context(pledge, step), "pledge": pledge,
        "revision": draft.revision, "version": version, "pickers": step in PICKER_STEPS,
        "group_members": group_member_ids_as_of(date=timezone.localdate()) if step == "beneficiaries" else None,
    })


def _group_added(request):
    """The beneficiaries step again, not saved, with today's members of the group chosen under
    "Add every country of a group" added to the countries (pickers.js does it in the browser)."""
    post = request.POST
    code = post.get("add_group", "")
    group = CountryGroup.objects.filter(code=code).first() if code else None
    countries = [pk for pk in post.getlist("beneficiary_countries") if pk.isdigit()]
    if group is None:
        messages.error(request, _("Choose the group whose countries to add."))
    else:
        members = [str(pk) for pk in group_members_as_of(group_code=group.code, date=timezone.localdate())
                   .values_list("pk", flat=True)]
        added = [pk for pk in members if pk not in countries]
        countries += added
        messages.info(request, ngettext(
            "%(count)s country of %(group)s added; save to keep it.",
            "%(count)s countries of %(group)s added; save to keep them.", len(added),
        ) % {"count": len(added), "group": group_label(group)})
    initial = {"scope": post.get("scope"), "beneficiary_countries": countries,
               "beneficiary_regions": post.getlist("beneficiary_regions"),
               "beneficiary_groups": post.getlist("beneficiary_groups")}
    return forms.BeneficiariesForm(initial=initial)


def _targets_step(request, pledge, draft):
    data = draft.data
    targets = forms.TargetFormSet(request.POST or None, prefix="targets", initial=data["targets"])
    partners = forms.PartnerFormSet(request.POST or None, prefix="partners", initial=data["partners"])
    errors, version = [], draft.obj.version
    if request.method == "POST" and targets.is_valid() and partners.is_valid():
        rows = [f.cleaned_data for f in targets.forms if f.cleaned_data and not f.is_blank()]
        links = [f.cleaned_data for f in partners.forms if f.cleaned_data.get("entity")]
        try:
            draft.save({**data, "targets": rows, "partners": links},
                       seen_version=version_seen(request.POST.get("version")))
        except EditConflict as conflict:
            errors, version = conflict.messages, conflict.version
        except ValidationError as error:
            # Rows are numbered as the form shows them (blank rows are left out of the list).
            shown = [number for number, form in enumerate(targets.forms, 1)
                     if form.cleaned_data and not form.is_blank()]
            linked = [number for number, form in enumerate(partners.forms, 1) if form.cleaned_data.get("entity")]
            errors = error_lines(error, {"targets": shown, "partners": linked})
        else:
            return _after_save(request, pledge, STEP_SLUGS.index("targets"))
    return render(request, "pledges/pledge_targets.html", {
        "targets": targets, "partners": partners, "errors": errors, "step": STEPS[-1],
        "steps": _steps_context(pledge, "targets"), "pledge": pledge, "revision": draft.revision, "version": version,
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
    if pledge.status == Status.PUBLISHED and selectors.revision_open_for(pledge) is not None:
        return redirect("pledges:revision", pledge.pk)
    return render(request, "pledges/pledge_preview.html", {
        "pledge": pledge, "hints": services.pledge_smart_hints(pledge),
        "can_submit": PLEDGE_WORKFLOW.may_take(pledge, request.user, Action.SUBMIT), "steps": _steps_context(pledge, "preview"),
        "can_delete": services.pledge_may_delete(pledge, request.user),
        "decisions": selectors.pledge_transitions(pledge),
        "resubmission": selectors.pledge_changes_since_submission(pledge), **conversation(pledge),
    })


@login_required
@require_POST
def pledge_submit(request, pk):
    pledge = _editable_pledge(request, pk)
    try:
        services.pledge_submit(actor=request.user, pledge=pledge)
    except ValidationError as error:
        for line in error_lines(error):
            messages.error(request, line)
        return redirect("pledges:preview", pledge.pk)
    messages.success(request, _("Submitted. The secretariat will review your pledge and may ask for changes."))
    return redirect("reporting:mine")


@login_required
def pledge_delete(request, pk):
    """Delete a draft, after a confirmation page (GET) that says what goes."""
    pledge = _editable_pledge(request, pk)
    if not services.pledge_may_delete(pledge, request.user):
        messages.info(request, _("Only a draft is deleted; withdraw this pledge instead."))
        return redirect("pledges:preview", pledge.pk)
    if request.method == "POST":
        try:
            services.pledge_delete(actor=request.user, pledge=pledge)
        except ValidationError as error:
            for line in error_lines(error):
                messages.error(request, line)
            return redirect("pledges:preview", pledge.pk)
        messages.success(request, _("The draft “%(title)s” is deleted.") % {"title": pledge.title})
        return redirect("reporting:mine")
    return render(request, "pledges/pledge_delete.html", {"pledge": pledge})
