"""`coalition reports build` builds through the services and writes the files."""

import datetime
import hashlib

import pytest
from django.core.management import CommandError, call_command

from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)
from coalition.reports.models import ReportBuild


def test_it_builds_publishes_and_writes_the_files(registry, tmp_path):  # noqa: F811
    call_command("reports", "build", "--kind", "country-profile", "--as-of", "2025-07-01", "--language", "fr",
                 "--param", "country=NPL", "--publish", "--out", str(tmp_path))
    build = ReportBuild.objects.get()
    assert build.is_published and build.published_by is None and build.as_of == datetime.date(2025, 7, 1)
    files = {path.suffix: path for path in tmp_path.iterdir()}
    assert set(files) == {".pdf", ".json", ".html"}
    assert hashlib.sha256(files[".pdf"].read_bytes()).hexdigest() == build.outputs.get(format="pdf").sha256


def test_it_acts_as_a_named_secretariat_account(registry, reviewer, pledger_a):  # noqa: F811
    call_command("reports", "build", "--kind", "country-profile", "--as-of", "2025-07-01", "--param", "country=NPL",
                 "--as", reviewer.email)
    assert ReportBuild.objects.get().requested_by == reviewer
    with pytest.raises(CommandError, match="Only the secretariat"):
        call_command("reports", "build", "--kind", "country-profile", "--as-of", "2025-07-01", "--param",
                     "country=NPL", "--as", pledger_a.email)


@pytest.mark.parametrize(("arguments", "message"), [
    (["--as-of", "2025-07-01", "--param", "country=ZZZ"], "country:"),
    (["--as-of", "July", "--param", "country=NPL"], "--as-of"),
    (["--as-of", "2025-07-01", "--param", "country"], "NAME=VALUE"),
])
def test_bad_arguments_are_named(registry, arguments, message):  # noqa: F811
    with pytest.raises(CommandError, match=message):
        call_command("reports", "build", "--kind", "country-profile", *arguments)
    assert not ReportBuild.objects.exists()
