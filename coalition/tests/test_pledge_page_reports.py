"""The public pledge page tells the story of each accepted progress report (issue 15): its period,
what was done, the money disbursed, the targets reached and the evidence links, newest first;
reports still under review stay private, and evidence files stay with the secretariat."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import dateformat, timezone

from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit
from coalition.reporting.services import report_accept, report_create, report_submit

YEAR = timezone.localdate().year


def _report(pledger, reviewer, pledge, period_end, *, narrative, accept=True, evidence=()):
    report = report_create(actor=pledger, pledge=pledge, data={
        "period_end": period_end, "implementation_status": "on_track", "share_delivered": "40",
        "narrative": narrative, "targets": [{"target": pledge.targets.get(), "actual_value": str(period_end.year - 2000)}],
        "evidence": list(evidence),
    })
    report = report_submit(actor=pledger, report=report)
    return report_accept(actor=reviewer, report=report, verification_level="self_reported") if accept else report


def test_each_accepted_report_is_told_newest_first(client, pledger_a, reviewer, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    pledge_publish(actor=reviewer, pledge=pledge_submit(actor=pledger_a, pledge=pledge))
    _report(pledger_a, reviewer, pledge, datetime.date(YEAR - 1, 12, 31), narrative="Forty schools connected in Kisumu.", evidence=[
        {"kind": "link", "title": "Ministry press release", "url": "https://ict.go.ke/news/40"},
        {"kind": "file", "title": "Signed delivery notes", "file": SimpleUploadedFile("notes.pdf", b"%PDF-1.4 notes")},
    ])
    _report(pledger_a, reviewer, pledge, timezone.localdate(), narrative="Eighty more schools in Nakuru.")
    _report(pledger_a, reviewer, pledge, datetime.date(YEAR - 2, 12, 31),
            narrative="Draft words nobody outside may read.", accept=False)

    page = client.get(reverse("explore:pledge", args=[pledge.pk])).text

    assert page.index("Eighty more schools in Nakuru.") < page.index("Forty schools connected in Kisumu.")
    assert f"Report to {dateformat.format(timezone.localdate(), 'j F Y')}" in page
    assert f"Report to 31 December {YEAR - 1}" in page
    assert "Draft words nobody outside may read." not in page
    assert '<a href="https://ict.go.ke/news/40" rel="nofollow noopener">Ministry press release</a>' in page
    assert "Signed delivery notes" in page and "a file kept by the secretariat" in page
    assert "/evidence/" not in page  # the file itself is not linked from the public page
    target = pledge.targets.get()
    assert f"{target.description}: {YEAR - 2000} {target.unit}" in page
