"""Draft progress reports are deleted by those who may edit them (the lead entity's focal
points), after a confirmation; the versions keep the record. Nobody else, and nothing submitted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coalition.reporting.models import Evidence, ProgressReport, ProgressReportTarget
from coalition.reporting.services import report_create, report_delete, report_submit


@pytest.fixture
def draft(pledger_a, published):
    return report_create(actor=pledger_a, pledge=published, data={
        "period_end": timezone.localdate(), "implementation_status": "on_track", "share_delivered": "40",
        "narrative": "120 schools connected.", "targets": [{"target": published.targets.get(), "actual_value": "120"}],
        "evidence": [{"kind": "link", "title": "Press release", "url": "https://ict.go.ke/news/120"}],
    })


def test_a_focal_point_deletes_a_draft_and_its_history_says_who(draft, pledger_a):
    report_delete(actor=pledger_a, report=draft)

    assert not ProgressReport.objects.filter(pk=draft.pk).exists()
    assert not ProgressReportTarget.objects.exists() and not Evidence.objects.exists()
    last = ProgressReport.history.filter(id=draft.pk).latest("history_date")
    assert last.history_type == "-" and last.history_user == pledger_a
    assert Evidence.history.filter(history_type="-").get().history_user == pledger_a


@pytest.mark.parametrize("persona", ["pledger_b", "anonymous", "reviewer", "member_state_focal"])
def test_nobody_else_deletes_a_draft(draft, persona, request):
    with pytest.raises(PermissionDenied):
        report_delete(actor=request.getfixturevalue(persona), report=draft)

    assert ProgressReport.objects.filter(pk=draft.pk).exists()


def test_a_submitted_report_is_not_deleted(draft, pledger_a):
    report_submit(actor=pledger_a, report=draft)

    with pytest.raises(ValidationError) as refused:
        report_delete(actor=pledger_a, report=draft)

    assert "Only a draft report is deleted" in refused.value.message_dict["status"][0]
    assert ProgressReport.objects.filter(pk=draft.pk).exists()


def test_the_report_page_offers_deletion_with_a_confirmation(client, pledger_a, draft):
    client.force_login(pledger_a)
    url = reverse("reporting:report_delete", args=[draft.pk])

    assert url in client.get(reverse("reporting:report_edit", args=[draft.pk])).text
    confirmation = client.get(url)
    assert confirmation.status_code == 200 and "Delete this draft report?" in confirmation.text
    assert ProgressReport.objects.filter(pk=draft.pk).exists()  # asking deletes nothing

    response = client.post(url)

    assert response["Location"] == reverse("reporting:mine")
    assert not ProgressReport.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("persona", ["pledger_b", "reviewer"])
def test_other_people_are_refused_the_page(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(reverse("reporting:report_delete", args=[draft.pk])).status_code == 403
    assert ProgressReport.objects.filter(pk=draft.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    response = client.post(reverse("reporting:report_delete", args=[draft.pk]))

    assert response.status_code == 302 and "login" in response["Location"]
    assert ProgressReport.objects.filter(pk=draft.pk).exists()
