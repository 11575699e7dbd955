"""Writes of the reports app: asking for a build, running it, publishing it to the archive.

Only the secretariat (reviewers and administrators) builds and publishes reports; a country
profile on demand (`country_profile_pdf`) is public, because it is built from public figures
and kept nowhere. A build runs as a background task (`tasks.report_build_task` calls
`report_run`), writes its progress to its row as it goes, and stores its outputs and its "done"
status in one transaction: a failure records the error and leaves no output, so nothing half
built can be published.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.accounts.roles import user_is_reviewer
from coalition.common.actors import is_system, person
from coalition.common.asof import EARLIEST, as_of_date
from coalition.common.tasks import rows_whose_task_ended
from coalition.reference.models import Country
from coalition.reports.builders import KINDS, report_build
from coalition.reports.document import report_data
from coalition.reports.models import BuildStatus, OutputFormat, ReportBuild, ReportOutput
from coalition.reports.render.html import report_html
from coalition.reports.render.pdf import report_pdf

logger = logging.getLogger(__name__)

# The steps after the builder's own: the HTML, then the PDF.
RENDER_STEPS = 2


def _check_secretariat(actor) -> None:
    """PermissionDenied unless `actor` is a reviewer or an administrator (or the system, at the
    command line)."""
    if is_system(actor):
        return
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat builds and publishes reports."))


def report_params_clean(*, kind: str, params: dict) -> dict:
    """The parameters `kind` needs, checked: `country` (ISO alpha-3) for a country profile,
    `body` for a progress report to a governing body, none for the annual report. Raises
    ValidationError keyed by the parameter."""
    if kind == "country-profile":
        code = str(params.get("country") or "").strip().upper()
        if not code:
            raise ValidationError({"country": _("Choose the country the profile is about.")})
        if not Country.objects.filter(iso3=code).exists():
            raise ValidationError({"country": _("“%(code)s” is not a country code: use an ISO 3166 alpha-3 code such "
                                                "as KEN.") % {"code": code[:20]}})
        return {"country": code}
    if kind == "governing-body":
        from coalition.reports.builders.governing_body import body_for

        return {"body": body_for(params).slug}
    return {}


def report_request(*, actor, kind: str, language: str, as_of: datetime.date, params: dict | None = None) -> ReportBuild:
    """Queue the build of a report of `kind` in `language` as of the end of `as_of` and return
    it (already finished where tasks run at once). Raises PermissionDenied for anyone but the
    secretariat, ValidationError keyed by `kind`, `language`, `as_of` or the parameter at fault."""
    from coalition.reports.tasks import report_build_task

    _check_secretariat(actor)
    if kind not in KINDS:
        raise ValidationError({"kind": _("“%(kind)s” is not a kind of report: choose one of %(kinds)s.")
                                       % {"kind": str(kind)[:40], "kinds": ", ".join(KINDS)}})
    languages = [code for code, _name in settings.LANGUAGES]
    if language not in languages:
        raise ValidationError({"language": _("Reports are written in %(languages)s.") % {"languages": ", ".join(languages)}})
    if as_of < EARLIEST:
        raise ValidationError({"as_of": _("Choose a date from %(earliest)s on: the registry holds nothing earlier.")
                                        % {"earliest": EARLIEST.isoformat()}})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("Choose a date up to today: a report describes what the registry said.")})
    clean = report_params_clean(kind=kind, params=params or {})
    build = ReportBuild.objects.create(
        kind=kind, language=language, as_of=as_of, params=clean, requested_by=person(actor),
    )
    queued = report_build_task.enqueue(build_id=build.pk)
    ReportBuild.objects.filter(pk=build.pk, status=BuildStatus.QUEUED).update(task_id=str(queued.id))
    build.refresh_from_db()
    return build


def _progress_writer(build: ReportBuild):
    def write(done: int, total: int, step: str) -> None:
        ReportBuild.objects.filter(pk=build.pk).update(
            progress_done=done, progress_total=total + RENDER_STEPS, progress_step=str(step)[:300])
    return write


def report_run(*, build_id: int, task_id: str = "") -> ReportBuild:
    """Build, render and store a queued build (the task's body): the report as of its date in
    its language, then its JSON data, HTML and PDF, stored with the "done" status in one
    transaction. On any error the build is marked failed with the error, and keeps no output.
    A build that is not queued is left as it is. `task_id`: the task running it (blank for a
    command, whose build the queued task then finds taken and the reaper leaves alone)."""
    claimed = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING, started_at=timezone.now(), task_id=task_id)
    build = ReportBuild.objects.get(pk=build_id)
    if not claimed:
        return build
    write = _progress_writer(build)
    try:
        report = report_build(kind=build.kind, as_of=as_of_date(build.as_of), language=build.language,
                              params=build.params, progress=write)
        steps = (ReportBuild.objects.values_list("progress_total", flat=True).get(pk=build.pk) or RENDER_STEPS)
        write(steps - RENDER_STEPS, steps - RENDER_STEPS, _("Writing the HTML"))
        outputs = {OutputFormat.JSON: report_data(report), OutputFormat.HTML: report_html(report).encode()}
        write(steps - RENDER_STEPS + 1, steps - RENDER_STEPS, _("Typesetting the PDF"))
        outputs[OutputFormat.PDF] = report_pdf(report)
        with transaction.atomic():
            ReportOutput.objects.bulk_create([
                ReportOutput(build=build, format=fmt, content=content, sha256=hashlib.sha256(content).hexdigest(),
                             size=len(content))
                for fmt, content in outputs.items()
            ])
            ReportBuild.objects.filter(pk=build.pk).update(
                status=BuildStatus.DONE, title=report.title[:300], is_demo=report.is_demo, finished_at=timezone.now(),
                progress_done=steps, progress_total=steps, progress_step=_("Done"))
    except Exception as error:  # a failed build must say why, whatever went wrong
        if not isinstance(error, ValidationError):
            logger.exception("report build %s failed", build.pk)
        ReportBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.FAILED, error=_error_text(error), finished_at=timezone.now())
    build.refresh_from_db()
    return build


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        return " ".join(error.messages)
    return f"{type(error).__name__}: {error}"[:2000]


@transaction.atomic
def report_publish(*, actor, build: ReportBuild) -> ReportBuild:
    """Put a finished build in the public archive, frozen as it is. Raises PermissionDenied for
    anyone but the secretariat, ValidationError when the build is not done or already published."""
    _check_secretariat(actor)
    build = ReportBuild.objects.select_for_update().get(pk=build.pk)
    if build.status != BuildStatus.DONE:
        raise ValidationError(_("Only a finished build can be published; this one is %(status)s.")
                              % {"status": build.get_status_display().lower()})
    if build.is_published:
        raise ValidationError(_("This report is published already."))
    build.published_at, build.published_by = timezone.now(), person(actor)
    build.withdrawn_at, build.withdrawn_by = None, None
    build.save(update_fields=["published_at", "published_by", "withdrawn_at", "withdrawn_by"])
    return build


@transaction.atomic
def report_withdraw(*, actor, build: ReportBuild) -> ReportBuild:
    """Take a published report out of the public archive (a wrong date or body); its outputs are
    kept and it can be published again. Raises PermissionDenied for anyone but the secretariat,
    ValidationError when it is not published."""
    _check_secretariat(actor)
    build = ReportBuild.objects.select_for_update().get(pk=build.pk)
    if not build.is_published:
        raise ValidationError(_("This report is not in the public archive."))
    build.withdrawn_at, build.withdrawn_by = timezone.now(), person(actor)
    build.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return build


def report_builds_reap() -> int:
    """Fail the builds queued or running in a background task that ended, or vanished, without
    finishing them (the worker was killed, crashed or lost the database: its reaper failed the
    task); returns how many. Called by `coalition worker` each time it reaps
    (`common.signals.tasks_reaped`). A build a command runs has no task and is left alone."""
    lost = rows_whose_task_ended(ReportBuild.objects.filter(status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]))
    if not lost:
        return 0
    failed = ReportBuild.objects.filter(pk__in=lost, status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]).update(
        status=BuildStatus.FAILED, finished_at=timezone.now(),
        error=_("The background worker building this report stopped before it finished (it was stopped, crashed "
                "or lost the database). Nothing was kept: build the report again."))
    logger.warning("Report builds %s lost their task; marked failed", ", ".join(map(str, lost)))
    return failed
