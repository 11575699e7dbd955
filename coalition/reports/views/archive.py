"""The public archive of published reports, each report's page and its downloads, and the
country profile on demand: parse, call the selectors, render. All public and read-only; a build
not published is the secretariat's alone (404 for anyone else)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coalition.accounts.throttle import client_address
from coalition.common.asof import as_of_parse
from coalition.reference.models import Country
from coalition.reports import selectors
from coalition.reports.builders import KINDS
from coalition.reports.models import OutputFormat, ReportBuild, ReportOutput

CONTENT_TYPES = {OutputFormat.PDF: "application/pdf", OutputFormat.JSON: "application/json"}


@require_safe
def archive(request):
    """Every published report, newest first, with its downloads' sizes and SHA-256."""
    return render(request, "reports/archive.html", {"reports": selectors.reports_published(), "kinds": KINDS})


def _visible_build(request, pk: int) -> ReportBuild:
    build = get_object_or_404(ReportBuild, pk=pk)
    if not selectors.build_visible_to(build, request.user):
        raise Http404
    return build


@require_safe
def report_detail(request, pk: int):
    """A published report in HTML, as it was frozen, with its downloads."""
    build = _visible_build(request, pk)
    if not build.is_published:
        raise Http404
    try:
        body = selectors.build_output_content(build, OutputFormat.HTML)
    except ReportOutput.DoesNotExist:
        raise Http404 from None
    return render(request, "reports/report_detail.html", {
        "build": build, "kind": KINDS.get(build.kind), "body": mark_safe(bytes(body.content).decode()),
        "outputs": selectors.build_outputs(build),
    })


def _download(request, pk: int, fmt: str) -> HttpResponse:
    build = _visible_build(request, pk)
    try:
        output = selectors.build_output_content(build, fmt)
    except ReportOutput.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(bytes(output.content), content_type=CONTENT_TYPES[fmt])
    name = f"{build.kind}-{build.as_of.isoformat()}-{build.language}-{build.pk}.{fmt}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Digest"] = f"sha-256={output.sha256}"
    return response


@require_safe
def report_pdf(request, pk: int):
    return _download(request, pk, OutputFormat.PDF)


@require_safe
def report_json(request, pk: int):
    return _download(request, pk, OutputFormat.JSON)


@require_safe
def country_profile(request, iso3: str):
    """The country's profile as a PDF, as of `?as_of=` (today when blank), in the page's
    language: built on demand (a fraction of a second) and cached until the figures change.
    404 for an unknown country, 400 with the reason for a date that is not one, 429 with it when
    the visitor's address has had its share of profiles drawn (cached ones are always served)."""
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404(_("No country has the code %(code)s.") % {"code": iso3[:10]})
    try:
        as_of = as_of_parse(request.GET.get("as_of"))
    except ValidationError as error:
        return HttpResponseBadRequest(error.message_dict["as_of"][0], content_type="text/plain; charset=utf-8")
    language = (get_language() or "en").split("-")[0]
    try:
        pdf = selectors.country_profile_pdf(country=country, as_of=as_of, language=language,
                                            client=client_address(request))
    except ValidationError as error:  # too many drawn for this address (accounts.throttle)
        refused = HttpResponse(error.messages[0], status=429, content_type="text/plain; charset=utf-8")
        refused["Retry-After"] = str(error.params["seconds"])
        return refused
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"country-profile-{country.iso3}-{as_of.date.isoformat()}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


urlpatterns = [
    path("reports/", archive, name="archive"),
    # "reports/<int:pk>/" is a progress report's page (reporting): published reports live one step down.
    path("reports/published/<int:pk>/", report_detail, name="report"),
    path("reports/published/<int:pk>/report.pdf", report_pdf, name="pdf"),
    path("reports/published/<int:pk>/report.json", report_json, name="json"),
    path("countries/<str:iso3>/profile.pdf", country_profile, name="country_profile"),
]
