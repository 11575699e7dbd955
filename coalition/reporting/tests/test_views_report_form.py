"""The pledger's progress-report form: draft, submit, field errors, files, and who may use it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coalition.reporting.models import Evidence, ProgressReport, ReportStatus
from coalition.reporting.services import report_create, report_return, report_submit

YEAR = timezone.localdate().year
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(**extra):
    data = {
        "period_end": f"{YEAR - 1}-12-31", "implementation_status": "on_track", "share_delivered": "40",
        "disbursed_amount": "", "disbursed_currency": "", "disbursed_year": "",
        "narrative": "120 schools connected.", "challenges": "",
        "target-0-actual_value": "120",
        "links-TOTAL_FORMS": "2", "links-INITIAL_FORMS": "0",
        "links-0-title": "Press release", "links-0-url": "https://ict.go.ke/news/120",
        "links-1-title": "", "links-1-url": "",
        "files-TOTAL_FORMS": "2", "files-INITIAL_FORMS": "0",
        "files-0-title": "", "files-1-title": "",
        "action": "save",
    }
    data.update(extra)
    return data


def _snapshot():
    return (
        list(ProgressReport.objects.values_list("pk", "status", "narrative", "share_delivered")),
        ProgressReport.history.count(), Evidence.objects.count(),
    )


def test_my_pledges_offers_a_report_on_published_pledges(client, pledger_a, published):
    client.force_login(pledger_a)

    page = client.get(reverse("reporting:mine"))

    assert reverse("reporting:report_new", args=[published.pk]) in page.text
    assert "Report progress" in page.text


def test_a_focal_point_creates_saves_and_submits_a_report(client, pledger_a, published):
    client.force_login(pledger_a)

    form = client.get(reverse("reporting:report_new", args=[published.pk]))
    assert form.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in form.text  # published today: its first period runs to today
    assert "Schools connected" in form.text

    saved = client.post(reverse("reporting:report_new", args=[published.pk]), _post())
    report = ProgressReport.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("reporting:report_edit", args=[report.pk])
    assert report.status == ReportStatus.DRAFT
    assert report.evidence.get().url == "https://ict.go.ke/news/120"
    assert "Continue report" in client.get(reverse("reporting:mine")).text

    edit = client.get(reverse("reporting:report_edit", args=[report.pk]))
    assert "Press release" in edit.text and 'value="120"' in edit.text

    submitted = client.post(reverse("reporting:report_edit", args=[report.pk]),
                            _post(action="submit", **{"links-0-title": "", "links-0-url": ""}))
    report.refresh_from_db()
    assert submitted.status_code == 302
    assert report.status == ReportStatus.SUBMITTED
    assert report.evidence.count() == 1
    shown = client.get(reverse("reporting:report_edit", args=[report.pk]))
    assert "with the secretariat" in shown.text
    # The only form left is the conversation's; nothing posts to the report itself.
    assert f'action="/reports/{report.pk}/"' not in shown.text and 'name="period_end"' not in shown.text
    assert f'action="/reports/{report.pk}/comments/"' in shown.text


def test_submitting_an_incomplete_report_keeps_the_draft_and_shows_errors_on_their_fields(client, pledger_a, published):
    client.force_login(pledger_a)

    response = client.post(reverse("reporting:report_new", args=[published.pk]),
                           _post(action="submit", narrative="", **{"target-0-actual_value": ""}))

    assert response.status_code == 200
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.DRAFT
    page = response.context
    assert page["form"].errors["narrative"]
    assert page["target_rows"][0][1].errors["actual_value"]


def test_invalid_values_are_refused_on_their_field_and_nothing_is_written(client, pledger_a, published):
    client.force_login(pledger_a)

    response = client.post(reverse("reporting:report_new", args=[published.pk]),
                           _post(share_delivered="140", **{"target-0-actual_value": "-3", "links-0-url": "ftp://x"}))

    assert response.status_code == 200
    assert response.context["form"].errors["share_delivered"]
    assert response.context["target_rows"][0][1].errors["actual_value"]
    assert response.context["links"].forms[0].errors["url"]
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("report.exe", b"MZ\x90\x00", "not an accepted type"),
    ("report.pdf", b"MZ\x90\x00 not a pdf", "does not look like"),
    ("big.pdf", PDF + b"0" * 2048, "at most"),
])
def test_wrong_type_and_oversize_files_are_refused_on_the_file_input(client, pledger_a, published, settings,
                                                                     name, content, message):
    settings.COALITION_EVIDENCE_MAX_BYTES = 1024
    client.force_login(pledger_a)

    response = client.post(reverse("reporting:report_new", args=[published.pk]), _post(**{
        "links-0-title": "", "links-0-url": "", "files-0-title": "The file",
        "files-0-file": SimpleUploadedFile(name, content),
    }))

    assert response.status_code == 200
    assert message in " ".join(response.context["files"].forms[0].errors["file"])
    assert ProgressReport.objects.count() == 0 and Evidence.objects.count() == 0


def test_an_accepted_type_of_file_is_stored_with_the_report(client, pledger_a, published):
    client.force_login(pledger_a)

    client.post(reverse("reporting:report_new", args=[published.pk]), _post(**{
        "files-0-title": "Project report", "files-0-file": SimpleUploadedFile("report.pdf", PDF),
    }))

    assert ProgressReport.objects.get().evidence.filter(kind="file", title="Project report").exists()


def test_a_returned_report_shows_the_reviewers_comment_and_can_be_edited(client, pledger_a, reviewer, published):
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": datetime.date(YEAR - 1, 12, 31), "implementation_status": "on_track",
        "share_delivered": "40", "narrative": "Done.",
        "targets": [{"target": published.targets.get(), "actual_value": "5"}],
    })
    report_submit(actor=pledger_a, report=report)
    report_return(actor=reviewer, report=report, comment="Add the county breakdown.")
    client.force_login(pledger_a)

    page = client.get(reverse("reporting:report_edit", args=[report.pk]))
    client.post(reverse("reporting:report_edit", args=[report.pk]), _post(narrative="Done, by county."))

    assert "Add the county breakdown." in page.text
    report.refresh_from_db()
    assert report.narrative == "Done, by county." and report.status == ReportStatus.RETURNED


def test_a_tampered_pledge_or_report_id_is_refused_and_nothing_is_written(client, pledger_a, pledger_b, published,
                                                                         published_b):
    other = report_create(actor=pledger_b, pledge=published_b, data={"period_end": datetime.date(YEAR - 1, 12, 31)})
    client.force_login(pledger_a)
    before = _snapshot()

    new = client.post(reverse("reporting:report_new", args=[published_b.pk]), _post())
    edit = client.post(reverse("reporting:report_edit", args=[other.pk]), _post(action="submit"))

    assert new.status_code == 403 and edit.status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "pledger_b", "member_state_focal", "reviewer",
                                     "administrator"])
def test_only_the_lead_entitys_focal_points_and_administrators_use_the_form(client, request, persona, pledger_a,
                                                                            published):
    report = report_create(actor=pledger_a, pledge=published, data={"period_end": datetime.date(YEAR - 1, 12, 31)})
    user = request.getfixturevalue(persona)
    if persona != "anonymous":
        client.force_login(user)
    allowed = persona in ("pledger_a", "administrator")
    before = _snapshot()

    responses = [
        client.get(reverse("reporting:report_new", args=[published.pk])),
        client.get(reverse("reporting:report_edit", args=[report.pk])),
        client.post(reverse("reporting:report_edit", args=[report.pk]), _post(narrative="Changed")),
    ]
    if not allowed:
        responses.append(client.post(reverse("reporting:report_new", args=[published.pk]),
                                     _post(period_end=f"{YEAR - 1}-12-31")))

    codes = [r.status_code for r in responses]
    if persona == "anonymous":
        assert all(code == 302 and "/login" in r["Location"] for code, r in zip(codes, responses, strict=True))
    elif allowed:
        # The pledge already has an open draft, so "new" leads to it.
        assert codes[0] == 302 and codes[1] == 200 and codes[2] == 302
        report.refresh_from_db()
        assert report.narrative == "Changed"
        return
    else:
        assert codes == [403] * len(codes)
    assert _snapshot() == before
