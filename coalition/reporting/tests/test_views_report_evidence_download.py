"""Evidence files are served only to reviewers and the lead entity's focal points."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit
from coalition.reporting.services import report_create

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def evidence(pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_submit(actor=pledger_a, pledge=pledge)
    pledge_publish(actor=reviewer, pledge=pledge)
    report = report_create(actor=pledger_a, pledge=pledge, data={
        "period_end": datetime.date(timezone.localdate().year - 1, 12, 31),
        "evidence": [{"kind": "file", "title": "Project report", "file": SimpleUploadedFile("report.pdf", PDF)}],
    })
    return report.evidence.get()


@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", 302), ("pledger_a", 200), ("pledger_b", 403), ("member_state_focal", 403),
    ("reviewer", 200), ("administrator", 200),
])
def test_only_reviewers_and_the_entitys_focal_points_download_evidence(client, request, persona, expected, evidence):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("reporting:report_evidence_file", args=[evidence.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]


def test_a_link_has_nothing_to_download(client, reviewer, evidence):
    evidence.report.evidence.model.objects.filter(pk=evidence.pk).update(kind="link", url="https://example.org", file="")
    client.force_login(reviewer)

    assert client.get(reverse("reporting:report_evidence_file", args=[evidence.pk])).status_code == 404
