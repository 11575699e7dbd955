from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.pledges.services import pledge_create
from coalition.reporting.models import (
    Evidence,
    ProgressReport,
    ProgressReportTarget,
    ProgressReportTransition,
    ReportStatus,
)
from coalition.reporting.services import (
    report_accept,
    report_create,
    report_data,
    report_return,
    report_submit,
    report_transition,
    report_update,
)
from coalition.reporting.workflow import REPORT_WORKFLOW

YEAR = timezone.localdate().year
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report_fields(published):
    return {
        "period_end": timezone.localdate(),
        "implementation_status": "on_track",
        "share_delivered": "40",
        "disbursed_amount": "250000",
        "disbursed_currency": "EUR",
        "disbursed_year": 2022,
        "narrative": "120 schools connected in three counties.",
        "challenges": "Rainy season delayed works.",
        "targets": [{"target": published.targets.get(), "actual_value": "120"}],
        "evidence": [{"kind": "link", "title": "Ministry press release", "url": "https://ict.go.ke/news/120"}],
    }


@pytest.fixture
def draft(pledger_a, published, report_fields):
    return report_create(actor=pledger_a, pledge=published, data=report_fields)


@pytest.fixture
def submitted(draft, pledger_a):
    return report_submit(actor=pledger_a, report=draft)


def _snapshot(report):
    report.refresh_from_db()
    return (
        report.status, report.verification_level, report.narrative, report.decided_by_id,
        ProgressReport.history.filter(id=report.pk).count(), ProgressReportTransition.objects.count(),
        list(report.target_actuals.values_list("actual_value", flat=True)), report.evidence.count(),
    )


def test_a_focal_point_creates_a_draft_report_with_actuals_and_evidence(draft, pledger_a):
    assert draft.status == ReportStatus.DRAFT
    assert draft.year == YEAR
    assert draft.created_by == pledger_a
    assert draft.share_delivered == Decimal("40")
    assert [a.actual_value for a in draft.target_actuals.all()] == [Decimal("120")]
    assert draft.evidence.get().url == "https://ict.go.ke/news/120"
    assert ProgressReport.history.filter(id=draft.pk).get().history_user == pledger_a


def test_money_disbursed_is_converted_to_usd_at_the_year_s_rate(draft):
    assert draft.disbursed_usd == Decimal("263250.00")  # 250,000 EUR × 1.053
    assert isinstance(draft.disbursed_usd, Decimal)


def test_money_in_a_year_out_of_range_is_refused_naming_the_year(pledger_a, published, report_fields):
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=published, data={**report_fields, "disbursed_year": 1900})
    assert list(error.value.message_dict) == ["disbursed_year"]
    assert not ProgressReport.objects.exists()


def test_partial_money_is_refused_naming_the_missing_parts(pledger_a, published, report_fields):
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=published,
                      data={**report_fields, "disbursed_currency": None, "disbursed_year": None})
    assert set(error.value.message_dict) == {"disbursed_currency", "disbursed_year"}


def test_the_full_cycle_returned_fixed_resubmitted_and_accepted(submitted, pledger_a, reviewer):
    report_return(actor=reviewer, report=submitted, comment="Attach the contractor's completion certificate.")
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    assert submitted.reviewer_comment.startswith("Attach")

    data = report_data(submitted)
    data["evidence"] += [{"kind": "file", "title": "Completion certificate",
                          "file": SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")}]
    report_update(actor=pledger_a, report=submitted, data=data)
    report_submit(actor=pledger_a, report=submitted)
    report = report_accept(actor=reviewer, report=submitted, verification_level="documented")

    assert report.status == ReportStatus.ACCEPTED
    assert report.verification_level == "documented"
    assert (report.submitted_by, report.decided_by) == (pledger_a, reviewer)
    assert report.decided_at >= report.submitted_at
    assert report.evidence.count() == 2
    assert report.evidence.get(kind="file").size == len(PDF)
    decisions = list(report.transitions.values_list("action", "actor", "verification_level"))
    assert decisions == [
        ("submit", pledger_a.pk, ""), ("return", reviewer.pk, ""), ("submit", pledger_a.pk, ""),
        ("accept", reviewer.pk, "documented"),
    ]


def test_the_actions_offered_are_those_the_person_may_take(submitted, pledger_a, reviewer):
    assert set(REPORT_WORKFLOW.transitions) == {"submit", "accept", "return"}
    assert [a.value for a in REPORT_WORKFLOW.choices_for(submitted, reviewer)] == ["accept", "return"]
    assert REPORT_WORKFLOW.choices_for(submitted, pledger_a) == []
    assert not REPORT_WORKFLOW.may_edit(submitted, pledger_a)


def test_returning_needs_a_comment_and_accepting_a_verification_level(submitted, reviewer):
    before = _snapshot(submitted)
    with pytest.raises(ValidationError) as error:
        report_return(actor=reviewer, report=submitted, comment="  ")
    assert list(error.value.message_dict) == ["comment"]
    with pytest.raises(ValidationError) as error:
        report_accept(actor=reviewer, report=submitted, verification_level="trust-me")
    assert list(error.value.message_dict) == ["verification_level"]
    assert _snapshot(submitted) == before


def test_an_incomplete_report_cannot_be_submitted_and_errors_name_the_target(draft, pledger_a, published):
    published.targets.create(description="Teachers trained", unit="teachers", target_value=2000, order=1)
    data = {**report_data(draft), "narrative": ""}
    report_update(actor=pledger_a, report=draft, data=data)

    with pytest.raises(ValidationError) as error:
        report_submit(actor=pledger_a, report=draft)
    assert set(error.value.message_dict) == {"narrative", "targets[1].actual_value"}
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_bad_target_rows_are_refused_naming_the_row(pledger_a, published, report_fields, pledge_data):
    other = pledge_create(actor=pledger_a, data={**pledge_data, "title": "Another pledge"})
    rows = [
        {"target": published.targets.get(), "actual_value": "-3"},
        {"target": other.targets.get(), "actual_value": "1"},
        {"target": published.targets.get().pk, "actual_value": "7"},
    ]
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=published, data={**report_fields, "targets": rows})
    assert set(error.value.message_dict) == {"targets[0].actual_value", "targets[1].target", "targets[2].target"}
    assert not ProgressReport.objects.exists()
    assert not ProgressReportTarget.objects.exists()


def test_a_share_outside_0_to_100_is_refused(pledger_a, published, report_fields):
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=published, data={**report_fields, "share_delivered": "120"})
    assert list(error.value.message_dict) == ["share_delivered"]


def test_a_second_report_for_the_same_year_is_refused(draft, pledger_a, published, report_fields):
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=published, data={**report_fields, "period_end": f"{YEAR}-01-01"})
    assert list(error.value.message_dict) == ["period_end"]
    assert ProgressReport.objects.count() == 1


def test_only_published_pledges_are_reported_on(pledger_a, pledge_data, report_fields):
    pending = pledge_create(actor=pledger_a, data={**pledge_data, "title": "Pending"})
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=pending, data={**report_fields, "targets": []})
    assert list(error.value.message_dict) == ["pledge"]


def test_an_accepted_report_is_no_longer_edited(submitted, pledger_a, reviewer):
    report_accept(actor=reviewer, report=submitted, verification_level="verified")
    with pytest.raises(ValidationError) as error:
        report_update(actor=pledger_a, report=submitted, data=report_data(submitted))
    assert list(error.value.message_dict) == ["status"]
    with pytest.raises(ValidationError) as error:
        report_submit(actor=pledger_a, report=submitted)
    assert list(error.value.message_dict) == ["action"]


@pytest.mark.parametrize("persona", ["anonymous", "pledger_b", "member_state_focal", "reviewer"])
def test_only_the_lead_entity_s_focal_points_write_reports(request, persona, published, report_fields, draft):
    actor = request.getfixturevalue(persona)
    before = _snapshot(draft)

    with pytest.raises(PermissionDenied):
        report_create(actor=actor, pledge=published, data={**report_fields, "period_end": f"{YEAR - 1}-12-31"})
    with pytest.raises(PermissionDenied):
        report_update(actor=actor, report=draft, data={**report_data(draft), "narrative": "Rewritten"})
    with pytest.raises(PermissionDenied):
        report_submit(actor=actor, report=draft)

    assert ProgressReport.objects.count() == 1
    assert _snapshot(draft) == before


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "pledger_b", "member_state_focal"])
def test_only_reviewers_accept_or_return(request, persona, submitted):
    actor = request.getfixturevalue(persona)
    before = _snapshot(submitted)

    with pytest.raises(PermissionDenied):
        report_accept(actor=actor, report=submitted, verification_level="verified")
    with pytest.raises(PermissionDenied):
        report_return(actor=actor, report=submitted, comment="No.")

    assert _snapshot(submitted) == before


def test_an_administrator_may_do_both_sides(administrator, published, report_fields):
    report = report_create(actor=administrator, pledge=published, data=report_fields)
    report_submit(actor=administrator, report=report)
    report = report_transition(actor=administrator, report=report, action="accept", verification_level="self_reported")
    assert report.status == ReportStatus.ACCEPTED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "not an accepted type"),
        ("report.pdf", b"MZ\x90\x00 a program", "does not look like a PDF"),
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg bytes", "does not look like a PNG"),
        ("empty.csv", b"", "is empty"),
    ],
)
def test_evidence_files_of_the_wrong_type_are_refused(pledger_a, published, report_fields, name, content, message):
    evidence = [report_fields["evidence"][0], {"kind": "file", "title": "Proof", "file": SimpleUploadedFile(name, content)}]
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=published, data={**report_fields, "evidence": evidence})
    assert list(error.value.message_dict) == ["evidence[1].file"]
    assert message in error.value.message_dict["evidence[1].file"][0]
    assert not Evidence.objects.exists()


def test_an_oversize_evidence_file_is_refused_with_the_limit(settings, pledger_a, published, report_fields):
    settings.COALITION_EVIDENCE_MAX_BYTES = 1024
    big = SimpleUploadedFile("survey.csv", b"school,connected\n" * 100)
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=published,
                      data={**report_fields, "evidence": [{"kind": "file", "title": "Survey", "file": big}]})
    assert "at most 1.0\xa0KB" in error.value.message_dict["evidence[0].file"][0]
    assert not ProgressReport.objects.exists()


def test_accepted_office_and_image_files_are_stored(pledger_a, published, report_fields):
    files = [
        SimpleUploadedFile("data.xlsx", b"PK\x03\x04 zip"),
        SimpleUploadedFile("site.jpg", b"\xff\xd8\xff\xe0 jpeg"),
        SimpleUploadedFile("list.csv", "école,connectée\n".encode()),
    ]
    evidence = [{"kind": "file", "title": f.name, "file": f} for f in files]
    report = report_create(actor=pledger_a, pledge=published, data={**report_fields, "evidence": evidence})
    assert sorted(e.file.name.rsplit("/", 1)[1] for e in report.evidence.all()) == ["data.xlsx", "list.csv", "site.jpg"]


def test_a_link_must_be_a_web_address(pledger_a, published, report_fields):
    with pytest.raises(ValidationError) as error:
        report_create(actor=pledger_a, pledge=published,
                      data={**report_fields, "evidence": [{"kind": "link", "title": "x", "url": "javascript:alert(1)"}]})
    assert list(error.value.message_dict) == ["evidence[0].url"]
