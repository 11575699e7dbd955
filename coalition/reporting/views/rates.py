"""The secretariat's list of pledged and disbursed values that await an exchange rate."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coalition.accounts.roles import user_is_reviewer
from coalition.reference.services import rates_csv_hint
from coalition.reporting.money import money_awaiting_rates


@login_required
@require_safe
def money_awaiting_rates_page(request):
    if not user_is_reviewer(request.user):
        raise PermissionDenied(_("Only the secretariat sees the values awaiting an exchange rate."))
    return render(request, "reporting/money_awaiting_rates.html", {
        "awaiting": money_awaiting_rates(), "hint": rates_csv_hint(),
    })
