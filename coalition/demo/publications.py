"""What the demo's secretariat has published from the demo registry: reports in the archive and
the open-data files, so that a newcomer's `make demo` shows `/reports/` and `/data/` with content.

The reports are built through the reports' services as the demo reviewer, marked demo by their
builder (the registry holds demo pledges), and removed by `demo_reset`; the open-data files are
built once, then rebuilt by the site after changes like any installation's.
"""

from collections.abc import Callable

from django.utils import timezone

from coalition.common.actors import SYSTEM
from coalition.opendata.models import DumpFile
from coalition.opendata.services import dumps_build
from coalition.reports.models import BuildStatus, ReportBuild, ReportOutput
from coalition.reports.services import report_publish, report_request, report_run

# What the demo secretariat has tabled: the annual report in both languages, the note to the
# ESCAP Commission in both languages, and one country profile.
REPORTS = (
    ("annual", "en", {}),
    ("annual", "fr", {}),
    ("governing-body", "en", {"body": "escap-commission-82"}),
    ("governing-body", "fr", {"body": "escap-commission-82"}),
    ("country-profile", "en", {"country": "KEN"}),
)


def demo_publications_ensure(*, reviewer, say: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Publish the demo's reports as of today and build the open-data files, unless the demo has
    published reports already or files are already built (so `make demo` run again does nothing
    here). Returns the number of reports published and of files built."""
    done = {"reports": 0, "files": 0}
    if not ReportBuild.objects.filter(is_demo=True, published_at__isnull=False).exists():
        today = timezone.localdate()
        for kind, language, params in REPORTS:
            build = report_request(actor=reviewer, kind=kind, language=language, as_of=today, params=params)
            if build.status == BuildStatus.QUEUED:  # no worker beside `coalition demo`: build it here
                build = report_run(build_id=build.pk)
            if build.status != BuildStatus.DONE:
                say(f"Demo report {kind} ({language}) not built: {build.error}")
                continue
            report_publish(actor=reviewer, build=build)
            done["reports"] += 1
            say(f"Published the demo report “{build.title}” ({language}).")
    if not DumpFile.objects.exists():
        done["files"] = dumps_build(actor=SYSTEM, reason="demo").files.count()
        say(f"Built the open-data files: {done['files']} files.")
    return done


def demo_publications_delete(delete) -> None:
    """Remove the reports built from demo data (with their outputs); `delete` is demo_reset's."""
    builds = ReportBuild.objects.filter(is_demo=True).values("pk")
    delete(ReportOutput.objects.filter(build_id__in=builds))
    delete(ReportBuild.objects.filter(is_demo=True))
