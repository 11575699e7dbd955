"""The reviewers' pages: the review queue and a pledge's review page with its decisions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.common.forms import posted_object
from coalition.pledges import forms, selectors, services
from coalition.pledges.models import Pledge, RevisionStatus
from coalition.pledges.views.discussion import conversation
from coalition.pledges.workflow import PLEDGE_WORKFLOW, REVIEW_STATES, REVISION_WORKFLOW
from coalition.reference.models import Initiative


def _reviewer(request):
    """The signed-in reviewer (the views are behind login_required); anyone else is refused."""
    if not user_is_reviewer(request.user):
        raise PermissionDenied
    return request.user


@login_required
def review_queue(request):
    reviewer = _reviewer(request)
    if request.method == "POST":
        pledge = posted_object(request, "pledge", Pledge.objects.all())
        services.pledge_assign(actor=reviewer, pledge=pledge, reviewer=reviewer)
        messages.success(request, _("“%(title)s” is assigned to you.") % {"title": pledge.title})
        return redirect(request.get_full_path())
    initiative = request.GET.get("initiative") or None
    queue = selectors.review_queue(
        reviewer=reviewer, status=request.GET.get("status", ""), assigned=request.GET.get("assigned", ""),
        initiative=initiative and get_object_or_404(Initiative, slug=initiative),
        search=request.GET.get("q", "").strip(),
    )
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    return render(request, "pledges/review_queue.html", {
        "page": page, "initiatives": Initiative.objects.all(), "query": request.GET,
        "status_choices": [("", _("Submitted and in review")), *((s.value, s.label) for s in REVIEW_STATES)],
        "revisions": selectors.revision_review_queue(),
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
                revision = selectors.revision_open_for(pledge)
                if revision is None:
                    raise Http404
                services.revision_transition(
                    actor=reviewer, revision=revision, action=action.removeprefix("revision_"),
                    comment=form.cleaned_data["comment"],
                )
            else:
                services.pledge_transition(actor=reviewer, pledge=pledge, action=action,
                                           comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": _action_label(action)})
            return redirect("pledges:review_detail", pledge.pk)
    return render(request, "pledges/review_detail.html", {
        "pledge": pledge, "form": form, "actions": PLEDGE_WORKFLOW.choices_for(pledge, reviewer),
        "duplicates": selectors.pledge_possible_duplicates(pledge),
        "decisions": selectors.pledge_transitions(pledge), "hints": services.pledge_smart_hints(pledge),
        **_revision_review_context(pledge, reviewer),
        "history": selectors.pledge_history(pledge), "revisions": selectors.revision_list_for_pledge(pledge),
        "resubmission": selectors.pledge_changes_since_submission(pledge), **conversation(pledge),
        # Reports hang on the pledge; the page reads them through the relation rather than import
        # the reporting app, which sits above this one.
        "reports": pledge.progress_reports.prefetch_related("transitions__actor"),
    })




def _revision_review_context(pledge, reviewer):
    """The submitted revision of a published pledge, what it changes and the decisions on it."""
    revision = selectors.revision_open_for(pledge)
    if revision is None or revision.status != RevisionStatus.SUBMITTED:
        return {"open_revision": revision}
    return {
        "open_revision": revision, "revision_changes": selectors.revision_changes(revision),
        "revision_actions": REVISION_WORKFLOW.choices_for(revision, reviewer),
    }


def _action_label(action: str) -> str:
    if action == "assign_me":
        return _("assigned to you")
    if action.startswith("revision_"):
        return REVISION_WORKFLOW.label(action.removeprefix("revision_")).lower()
    return PLEDGE_WORKFLOW.label(action).lower()
