"""A report build: asked for by the secretariat, built in the background with its progress,
frozen with its outputs and checksums, published to the archive; a failure keeps nothing."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.common.actors import SYSTEM
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)
from coalition.reports import selectors, services
from coalition.reports.models import BuildStatus, ReportBuild, ReportOutput

DAY = datetime.date(2025, 7, 1)


def ask(actor, **changes):
    fields = {"kind": "country-profile", "language": "en", "as_of": DAY, "params": {"country": "NPL"}} | changes
    return services.report_request(actor=actor, **fields)


def test_a_reviewer_builds_a_report_with_its_outputs_and_checksums(registry, reviewer):  # noqa: F811
    build = ask(reviewer)
    assert build.status == BuildStatus.DONE
    assert build.title == "Country profile: Nepal" and build.requested_by == reviewer
    assert build.progress_total > 0 and build.progress_done == build.progress_total
    assert build.started_at <= build.finished_at
    outputs = {output.format: output for output in build.outputs.all()}
    assert set(outputs) == {"pdf", "json", "html"}
    for output in outputs.values():
        content = bytes(output.content)
        assert output.sha256 == hashlib.sha256(content).hexdigest() and output.size == len(content)
    assert bytes(outputs["pdf"].content).startswith(b"%PDF")
    assert not build.is_published


def test_progress_is_written_to_the_row_while_it_builds(registry, reviewer, monkeypatch):  # noqa: F811
    seen = []
    real = services.report_html

    def watching(report):
        seen.append(ReportBuild.objects.values_list("status", "progress_done", "progress_total", "progress_step").get())
        return real(report)

    monkeypatch.setattr(services, "report_html", watching)
    ask(reviewer)
    status, done, total, step = seen[0]
    assert status == BuildStatus.RUNNING and 0 < done < total and step


def test_a_failed_build_records_the_error_and_keeps_nothing(registry, reviewer, monkeypatch):  # noqa: F811
    def broken(report):
        raise RuntimeError("typesetter out of ink")

    monkeypatch.setattr(services, "report_pdf", broken)
    build = ask(reviewer)
    assert build.status == BuildStatus.FAILED and "typesetter out of ink" in build.error
    assert not ReportOutput.objects.exists()
    with pytest.raises(ValidationError):
        services.report_publish(actor=reviewer, build=build)
    assert not selectors.reports_published().exists()


def test_a_builder_refusal_is_recorded_with_its_field(registry, reviewer):  # noqa: F811
    build = ReportBuild.objects.create(kind="country-profile", language="en", as_of=DAY, params={"country": "ZZZ"})
    build = services.report_run(build_id=build.pk)
    assert build.status == BuildStatus.FAILED and build.error.startswith("country:")


def test_publishing_puts_it_in_the_archive_and_withdrawing_takes_it_out(registry, reviewer):  # noqa: F811
    build = services.report_publish(actor=reviewer, build=ask(reviewer))
    assert build.is_published and build.published_by == reviewer
    assert list(selectors.reports_published()) == [build]
    with pytest.raises(ValidationError):
        services.report_publish(actor=reviewer, build=build)
    services.report_withdraw(actor=reviewer, build=build)
    assert not selectors.reports_published().exists()
    with pytest.raises(ValidationError):
        services.report_withdraw(actor=reviewer, build=build)


def test_rebuilding_a_published_report_gives_the_same_json_and_pdf(registry, reviewer):  # noqa: F811
    first = services.report_publish(actor=reviewer, build=ask(reviewer, language="fr"))
    again = ask(reviewer, language="fr")
    for fmt in ("json", "pdf"):
        assert (selectors.build_outputs(first)[fmt].sha256 == selectors.build_outputs(again)[fmt].sha256)
    assert bytes(selectors.build_output_content(first, "json").content) == bytes(
        selectors.build_output_content(again, "json").content)


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "country_focal"])
def test_only_the_secretariat_builds_publishes_and_withdraws(request, registry, reviewer, persona):  # noqa: F811
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        ask(actor)
    build = ask(reviewer)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=actor, build=build)
    services.report_publish(actor=reviewer, build=build)
    with pytest.raises(PermissionDenied):
        services.report_withdraw(actor=actor, build=build)
    assert ReportBuild.objects.get().is_published


def test_administrators_and_the_system_may_build(registry, administrator):  # noqa: F811
    assert ask(administrator).status == BuildStatus.DONE
    assert ask(SYSTEM).requested_by is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"kind": "memoir"}, "kind"),
    ({"language": "de"}, "language"),
    ({"as_of": datetime.date(1985, 1, 1)}, "as_of"),
    ({"as_of": datetime.date.today() + datetime.timedelta(days=3)}, "as_of"),
    ({"params": {"country": "ZZZ"}}, "country"),
    ({"params": {}}, "country"),
    ({"kind": "governing-body", "params": {"body": "nowhere"}}, "body"),
])
def test_a_bad_request_names_its_field_and_queues_nothing(registry, reviewer, changes, field):  # noqa: F811
    with pytest.raises(ValidationError) as refused:
        ask(reviewer, **changes)
    assert field in refused.value.message_dict
    assert not ReportBuild.objects.exists()
