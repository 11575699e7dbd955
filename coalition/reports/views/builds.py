"""The secretariat's pages: ask for a report, follow its build, preview it, publish or withdraw
it. Views parse and call the services, which check who acts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalition.accounts.roles import user_is_reviewer
from coalition.reports import selectors, services
from coalition.reports.builders import KINDS
from coalition.reports.forms import ReportRequestForm
from coalition.reports.models import OutputFormat, ReportBuild, ReportOutput

# How often the build page asks again while a build runs, in seconds.
REFRESH_SECONDS = 2


def _secretariat_only(request) -> None:
    """Refuse signed-in people who are not reviewers (the views are behind login_required)."""
    if not user_is_reviewer(request.user):
        raise PermissionDenied(_("Only the secretariat builds and publishes reports."))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_new(request):
    """The form asking for a build; the build page follows it."""
    _secretariat_only(request)
    form = ReportRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                build = services.report_request(
                    actor=request.user, kind=form.cleaned_data["kind"], language=form.cleaned_data["language"],
                    as_of=form.cleaned_data["as_of"], params=form.params(),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect("reports:build", pk=build.pk)
        status = 400
    return render(request, "reports/report_new.html", {"form": form, "builds": selectors.builds_recent()},
                  status=status)


@require_http_methods(["GET", "HEAD"])
@login_required
def build_detail(request, pk: int):
    """A build's status (refreshed while it runs), then its preview and the publish button."""
    _secretariat_only(request)
    build = get_object_or_404(ReportBuild.objects.select_related("requested_by", "published_by"), pk=pk)
    if request.headers.get("HX-Request") and build.is_finished:
        # The progress bar's last poll: htmx reloads the whole page, which shows the outcome.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    preview = ""
    if build.status == "done":
        try:
            preview = mark_safe(bytes(selectors.build_output_content(build, OutputFormat.HTML).content).decode())
        except ReportOutput.DoesNotExist:
            preview = ""
    return render(request, "reports/build_detail.html", {
        "build": build, "kind": KINDS.get(build.kind), "outputs": selectors.build_outputs(build),
        "preview": preview, "refresh": REFRESH_SECONDS,
    })


def _decide(request, pk: int, service, done: str):
    _secretariat_only(request)
    build = get_object_or_404(ReportBuild, pk=pk)
    try:
        service(actor=request.user, build=build)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("reports:build", pk=build.pk)


@require_POST
@login_required
def build_publish(request, pk: int):
    return _decide(request, pk, services.report_publish, _("Published: the report is in the public archive."))


@require_POST
@login_required
def build_withdraw(request, pk: int):
    return _decide(request, pk, services.report_withdraw, _("Withdrawn from the public archive."))


urlpatterns = [
    path("reports/new/", report_new, name="new"),
    path("reports/builds/<int:pk>/", build_detail, name="build"),
    path("reports/builds/<int:pk>/publish/", build_publish, name="publish"),
    path("reports/builds/<int:pk>/withdraw/", build_withdraw, name="withdraw"),
]
