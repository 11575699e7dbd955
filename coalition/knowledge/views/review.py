"""The reviewers' pages for good practices: the queue and a practice's review page with its decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import ReviewStatus
from coalition.actionplan.workflow import REVIEWER
from coalition.common.forms import posted_object
from coalition.knowledge import forms, selectors, services
from coalition.knowledge.models import GoodPractice
from coalition.knowledge.workflow import PRACTICE_WORKFLOW


def _reviewer(request):
    """The signed-in reviewer (the views are behind login_required); anyone else is refused."""
    if not user_is_reviewer(request.user):
        raise PermissionDenied
    return request.user


@login_required
def review_queue(request):
    reviewer = _reviewer(request)
    if request.method == "POST":
        practice = posted_object(request, "practice", GoodPractice.objects.all())
        services.practice_assign(actor=reviewer, practice=practice, reviewer=reviewer)
        messages.success(request, _("“%(title)s” is assigned to you.") % {"title": practice.title})
        return redirect(request.get_full_path())
    queue = selectors.practice_review_queue(
        reviewer=reviewer, status=request.GET.get("status", ""), assigned=request.GET.get("assigned", ""),
        search=request.GET.get("q", "").strip(),
    )
    return render(request, "knowledge/review_queue.html", {
        "page": Paginator(queue, 25).get_page(request.GET.get("page")), "query": request.GET,
        "status_choices": [("", _("Submitted")), (ReviewStatus.CHANGES_REQUESTED, _("Returned for changes"))],
    })


@login_required
def review_detail(request, pk: int):
    reviewer = _reviewer(request)
    try:
        practice = selectors.practice_for_page(pk)
    except GoodPractice.DoesNotExist:
        raise Http404 from None
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        try:
            if action == "assign_me":
                services.practice_assign(actor=reviewer, practice=practice, reviewer=reviewer)
            else:
                services.practice_move(actor=reviewer, practice=practice, action=action,
                                       comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            label = _("assigned to you") if action == "assign_me" else PRACTICE_WORKFLOW.label(action).lower()
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            return redirect("knowledge:review", practice.pk)
    actions = [a for a in PRACTICE_WORKFLOW.choices_for(practice, reviewer)
               if PRACTICE_WORKFLOW.transition(a.value).role == REVIEWER]
    return render(request, "knowledge/review_detail.html", {
        "practice": practice, "form": form, "actions": actions,
        "decisions": selectors.practice_transitions(practice),
        "may_edit": PRACTICE_WORKFLOW.may_edit(practice, reviewer),
    })
