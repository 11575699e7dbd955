"""`coalition demo publish`: the demo's secretariat publishes its reports (flagged demo) and the
open-data files are built, once; `demo reset` removes the reports built from demo data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coalition.opendata.models import DumpFile
from coalition.reference.testing import load_reference_fixture
from coalition.reports.models import ReportBuild, ReportOutput
from coalition.reports.selectors import reports_published


@pytest.fixture
def demo_generated(db, settings, tmp_path):
    settings.COALITION_OPENDATA_DIR = tmp_path / "opendata"
    load_reference_fixture()
    call_command("demo", "generate", "--pledges", "40", "--seed", "3", stdout=StringIO())


def test_publish_puts_the_demo_reports_in_the_archive_and_builds_the_files_once(demo_generated):
    out = StringIO()
    call_command("demo", "publish", stdout=out)

    published = list(reports_published())
    assert sorted((b.kind, b.language) for b in published) == [
        ("annual", "en"), ("annual", "fr"), ("country-profile", "en"), ("governing-body", "en"), ("governing-body", "fr")]
    assert all(build.is_demo for build in published)
    assert DumpFile.objects.filter(name="pledges.csv").count() == 2  # English and French
    assert "Published 5 reports" in out.getvalue()

    again = StringIO()
    call_command("demo", "publish", stdout=again)
    assert "nothing done" in again.getvalue()
    assert ReportBuild.objects.count() == 5


def test_demo_reset_removes_the_reports_built_from_demo_data(demo_generated):
    call_command("demo", "publish", stdout=StringIO())

    call_command("demo", "reset", stdout=StringIO())

    assert not ReportBuild.objects.exists() and not ReportOutput.objects.exists()


def test_publish_without_a_demo_registry_says_what_to_run(db):
    with pytest.raises(CommandError, match="demo generate"):
        call_command("demo", "publish", stdout=StringIO())
