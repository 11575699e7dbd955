"""Reads of the reports app: the public archive, one build and its outputs, and a country
profile on demand."""

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Max, Prefetch, Q, QuerySet

from coalition.accounts.roles import user_is_reviewer
from coalition.accounts.throttle import drawing_admit
from coalition.explore.daily import registry_stamp
from coalition.indicators.models import Edition
from coalition.reports.builders import report_build
from coalition.reports.models import ReportBuild, ReportOutput
from coalition.reports.render.pdf import report_pdf

# What lists show of an output: never its content.
OUTPUT_FIELDS = ("id", "build_id", "format", "sha256", "size")


def reports_published(*, at: datetime.datetime | None = None) -> QuerySet[ReportBuild]:
    """The public archive: published reports not withdrawn (at the moment `at`, when given: published
    by then and not withdrawn by then), newest publication first, each with its outputs' checksums
    and sizes (not their content) prefetched as `listed_outputs`."""
    if at is None:
        archived = Q(published_at__isnull=False, withdrawn_at__isnull=True)
    else:
        archived = Q(published_at__lte=at) & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at))
    return (ReportBuild.objects.filter(archived)
            .prefetch_related(Prefetch("outputs", queryset=ReportOutput.objects.only(*OUTPUT_FIELDS).order_by("-format"),
                                       to_attr="listed_outputs"))
            .order_by("-published_at", "-id"))


def builds_recent(*, limit: int = 20) -> list[ReportBuild]:
    """The latest builds, for the secretariat's page of new reports."""
    return list(ReportBuild.objects.select_related("requested_by").order_by("-created_at", "-id")[:limit])


def build_visible_to(build: ReportBuild, user) -> bool:
    """A published report is public; any other build is the secretariat's."""
    return build.is_published or user_is_reviewer(user)


def build_outputs(build: ReportBuild) -> dict[str, ReportOutput]:
    """The build's outputs by format, without their content."""
    return {output.format: output for output in build.outputs.only(*OUTPUT_FIELDS)}


def build_output_content(build: ReportBuild, fmt: str) -> ReportOutput:
    """One output with its content. Raises ReportOutput.DoesNotExist."""
    return build.outputs.get(format=fmt)


# A profile on demand is kept this long at most: the key follows the registry and the indicator
# editions, not the action plan's records, which change a few times a year.
PROFILE_CACHE_SECONDS = 3600


def country_profile_pdf(*, country, as_of, language: str, client: str | None = None) -> bytes:
    """The country's profile as of `as_of` in `language`, as a PDF, from Django's cache when the
    same profile was asked for since the registry or the indicators last changed. Public: it is
    built from public figures only. A profile not in the cache is drawn for a visitor's `client`
    address only within its share (`accounts.throttle.drawing_admit`, ValidationError "throttled"
    beyond it); without an address (the platform's own calls) it is always drawn."""
    edition = Edition.objects.aggregate(last=Max("id"))["last"] or 0
    moment = as_of.date.isoformat() + ("-now" if as_of.is_today else "")
    key = "country-profile-pdf:" + hashlib.sha256(
        f"{country.iso3}|{moment}|{language}|{registry_stamp()}|{edition}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        drawing_admit(client=client)
        report = report_build(kind="country-profile", as_of=as_of, language=language, params={"country": country.iso3})
        found = report_pdf(report)
        cache.set(key, found, PROFILE_CACHE_SECONDS)
    return found
