"""A report's numbers are bounded where they enter: an oversized amount is refused on its field,
nothing is saved, and the pages that show the report keep working."""


import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coalition.pledges.validation import MONEY, QUANTITY
from coalition.reporting.models import ProgressReport, ProgressReportTarget
from coalition.reporting.services import report_create

YEAR = timezone.localdate().year


@pytest.fixture
def fields(published):
    return {
        "period_end": timezone.localdate(), "implementation_status": "on_track", "share_delivered": "40",
        "disbursed_amount": "250000", "disbursed_currency": "EUR", "disbursed_year": 2022,
        "narrative": "120 schools connected.", "challenges": "",
        "targets": [{"target": published.targets.get(), "actual_value": "120"}], "evidence": [],
    }


@pytest.mark.parametrize(("changes", "field"), [
    ({"disbursed_amount": "1e18"}, "disbursed_amount"),
    ({"disbursed_amount": "1e30"}, "disbursed_amount"),
    ({"share_delivered": "1e30"}, "share_delivered"),
])
def test_an_oversized_number_is_refused_on_its_field_and_nothing_is_saved(pledger_a, published, fields, changes, field):
    with pytest.raises(ValidationError) as refused:
        report_create(actor=pledger_a, pledge=published, data={**fields, **changes})

    assert list(refused.value.message_dict) == [field]
    assert not ProgressReport.objects.exists()


def test_an_oversized_actual_value_is_refused_on_its_target_row(pledger_a, published, fields):
    targets = [{"target": published.targets.get(), "actual_value": "1e30"}]

    with pytest.raises(ValidationError) as refused:
        report_create(actor=pledger_a, pledge=published, data={**fields, "targets": targets})

    assert "1,000,000,000,000,000" in refused.value.message_dict["targets[0].actual_value"][0]
    assert not ProgressReportTarget.objects.exists()


def test_the_report_form_shows_the_limit_and_the_largest_amount_saved_still_renders_everywhere(
        client, pledger_a, reviewer, published):
    client.force_login(pledger_a)
    form = {
        "period_end": timezone.localdate().isoformat(), "implementation_status": "on_track", "share_delivered": "40",
        "disbursed_amount": "1e18", "disbursed_currency": "USD", "disbursed_year": "2024",
        "narrative": "Done.", "target-0-actual_value": "1e30",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0",
    }

    refused = client.post(reverse("reporting:report_new", args=[published.pk]), form)

    assert refused.status_code == 200
    assert refused.context["form"].errors["disbursed_amount"]
    assert not ProgressReport.objects.exists()

    largest = {**form, "disbursed_amount": str(MONEY.maximum), "target-0-actual_value": str(QUANTITY.maximum)}
    saved = client.post(reverse("reporting:report_new", args=[published.pk]), largest)
    report = ProgressReport.objects.get()
    assert saved.status_code == 302
    assert client.get(reverse("reporting:report_edit", args=[report.pk])).status_code == 200
    assert client.get(reverse("reporting:report_template"), {"entity": published.lead_entity_id}).status_code == 200
    client.force_login(reviewer)
    assert client.get(reverse("admin:reporting_progressreport_changelist")).status_code == 200
