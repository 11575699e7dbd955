"""The reviewer's home: what waits on the secretariat, each count a link to its queue."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from coalition.accounts.roles import user_is_reviewer
from coalition.accounts.sections import work_cards
from coalition.reporting.selectors import review_work


@login_required
def review_home(request):
    if not user_is_reviewer(request.user):
        raise PermissionDenied
    return render(request, "reporting/review_home.html", {
        "work": review_work(reviewer=request.user, today=timezone.localdate()),
        "cards": work_cards.render(user=request.user),
    })
