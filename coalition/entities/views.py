"""Access pages: ask to act for an entity or a country, and decide such requests. Parse the
form, call the service, show the result.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.accounts.selectors import country_focal_points_of
from coalition.common.forms import posted_object
from coalition.entities import forms, selectors, services
from coalition.entities.models import AccessRequest


def _request_access_page(request, *, join_form=None, new_form=None, country_form=None, results=None, status=200):
    search = forms.EntitySearchForm(request.GET or None)
    if results is None:
        results = selectors.entity_search(query=search.cleaned_data["q"]) if search.is_valid() else []
    if join_form is None:
        join_form = forms.JoinEntityForm(entities=results)
    return render(
        request,
        "entities/request_access.html",
        {
            "search": search,
            "results": results,
            "join_form": join_form,
            "new_form": new_form or forms.NewEntityForm(),
            "country_form": country_form or forms.CountryRequestForm(),
        },
        status=status,
    )


@login_required
def request_access(request):
    return _request_access_page(request)


@login_required
@require_POST
def request_join(request):
    form = forms.JoinEntityForm(request.POST)
    if form.is_valid():
        try:
            services.access_request_join_entity(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Your request is sent. You will get an e-mail when it is decided."))
            return redirect("accounts:home")
    return _request_access_page(request, join_form=form, status=400)


@login_required
@require_POST
def request_new_entity(request):
    form = forms.NewEntityForm(request.POST)
    similar = None
    if form.is_valid():
        try:
            services.access_request_new_entity(actor=request.user, **form.cleaned_data)
        except services.DuplicateEntity as error:
            form_errors_apply(form, error)
            similar = error.entities  # offered to join instead
            if error.confirmable:
                form.ask_different_entity()
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Your request is sent. You will get an e-mail when it is decided."))
            return redirect("accounts:home")
    return _request_access_page(request, new_form=form, results=similar, status=400)


@login_required
@require_POST
def request_country(request):
    form = forms.CountryRequestForm(request.POST)
    if form.is_valid():
        try:
            services.access_request_country(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Your request is sent. You will get an e-mail when it is decided."))
            return redirect("accounts:home")
    return _request_access_page(request, country_form=form, status=400)


def _pending_page(request, *, failed=None, failed_form=None, status=200):
    pending = selectors.access_request_queue(
        user=request.user, kind=request.GET.get("kind", ""), assigned=request.GET.get("assigned", ""),
        search=request.GET.get("q", "").strip(),
    )
    rows = [(item, failed_form if failed == item.pk else forms.DecisionForm(prefix=str(item.pk))) for item in pending]
    return render(request, "entities/access_requests.html", {
        "rows": rows, "query": request.GET, "kinds": AccessRequest.Kind.choices,
        "may_assign": user_is_reviewer(request.user),
    }, status=status)


@login_required
def access_requests(request):
    user = request.user
    if not (
        selectors.access_requests_pending_for(user=user).exists()
        or user.has_perm("pledges.review_pledge")
        or selectors.focal_points_of(user=user).exists()
    ):
        raise PermissionDenied(_("Only the secretariat and entity focal points decide access requests."))
    if request.method == "POST":
        access_request = posted_object(request, "request", AccessRequest.objects.select_related("requester"))
        services.access_request_assign(actor=user, access_request=access_request)
        messages.success(request, _("The request of %(person)s is assigned to you.") % {
            "person": access_request.requester.get_full_name()})
        return redirect(request.get_full_path())
    return _pending_page(request)




@login_required
@require_POST
def access_request_decide(request, pk: int):
    access_request = get_object_or_404(AccessRequest, pk=pk)
    form = forms.DecisionForm(request.POST, prefix=str(pk))
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if request.POST.get("decision") == "approve":
            services.access_request_approve(actor=request.user, access_request=access_request, reason=reason)
            messages.success(
                request,
                _("Approved: %(who)s now acts for %(what)s.")
                % {"who": access_request.requester, "what": access_request.subject},
            )
        elif request.POST.get("decision") == "decline":
            services.access_request_decline(actor=request.user, access_request=access_request, reason=reason)
            messages.success(request, _("Declined. %(who)s is told why.") % {"who": access_request.requester})
        else:
            return redirect("entities:access_requests")
    except ValidationError as error:
        form_errors_apply(form, error)
        return _pending_page(request, failed=pk, failed_form=form, status=400)
    return redirect("entities:access_requests")


def account_section(user) -> tuple[str, dict]:
    """The "My account" section of what the person acts for and the requests they made."""
    return "entities/_account_section.html", {
        "focal_points": selectors.focal_points_of(user=user),
        "country_focal_points": country_focal_points_of(user=user),
        "access_requests": selectors.access_requests_of(user=user),
        "may_decide": selectors.access_requests_pending_for(user=user).exists(),
    }
