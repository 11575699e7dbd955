"""A report's period: the form proposes the first period due on the pledge's reporting clock,
and `report_clean` (so the form, the XLSX upload and every other caller) refuses a period that
ends in the future or before the pledge starts, naming the field."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coalition.pledges.services import pledge_create, pledge_submit, pledge_transition
from coalition.reporting.services import report_create
from coalition.reporting.status import first_period_due
from coalition.reporting.validation import report_clean

PUBLISHED = datetime.datetime(2025, 11, 15, 9, 0, tzinfo=datetime.UTC)
STARTS = datetime.date(2026, 2, 1)


@pytest.fixture
def pledge(pledger_a, reviewer, pledge_data):
    """Published in November 2025 for work starting in February 2026: the old default, the
    latest 31 December (2025), fell before its start."""
    pledge = pledge_create(actor=pledger_a, data={**pledge_data, "start_date": STARTS,
                                                   "end_date": datetime.date(2028, 12, 31)})
    pledge_submit(actor=pledger_a, pledge=pledge)
    return pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=PUBLISHED)


def _fields(pledge, period_end):
    return {"period_end": period_end, "implementation_status": "on_track", "share_delivered": "10",
            "narrative": "Works started.", "targets": [], "evidence": []}


def _clock(published, start=None, end=None):
    return SimpleNamespace(published_at=published, start_date=start, end_date=end)


def test_the_first_period_ends_the_day_before_the_first_report_falls_due():
    pledge = _clock(PUBLISHED)

    assert first_period_due(pledge, today=datetime.date(2027, 3, 1), reported_years=set()) == datetime.date(2026, 11, 14)


def test_a_period_already_reported_is_skipped_and_one_not_over_ends_today():
    pledge = _clock(PUBLISHED)

    assert first_period_due(pledge, today=datetime.date(2028, 3, 1), reported_years={2026}) == datetime.date(2027, 11, 14)
    assert first_period_due(pledge, today=datetime.date(2027, 3, 1), reported_years={2026}) == datetime.date(2027, 3, 1)
    assert first_period_due(pledge, today=datetime.date(2026, 5, 2), reported_years=set()) == datetime.date(2026, 5, 2)


def test_no_period_proposed_ends_before_the_pledge_starts():
    pledge = _clock(datetime.datetime(2024, 1, 10, tzinfo=datetime.UTC), start=datetime.date(2025, 6, 1))

    assert first_period_due(pledge, today=datetime.date(2026, 3, 1), reported_years=set()) == datetime.date(2025, 6, 1)


def test_the_report_form_proposes_the_first_period_due(client, pledger_a, pledge):
    client.force_login(pledger_a)

    page = client.get(reverse("reporting:report_new", args=[pledge.pk]))

    assert 'value="2026-11-14"' in page.text


def test_a_period_ending_in_the_future_is_refused_naming_the_field(pledge):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        report_clean(pledge=pledge, data=_fields(pledge, tomorrow))

    [message] = refused.value.message_dict["period_end"]
    assert message.startswith("The period end,") and "still to come" in message


def test_a_period_ending_before_the_pledge_starts_is_refused_naming_the_start(pledge):
    with pytest.raises(ValidationError) as refused:
        report_clean(pledge=pledge, data=_fields(pledge, "2025-12-31"))

    [message] = refused.value.message_dict["period_end"]
    assert message.startswith("The period end,") and "before the pledge starts" in message


@pytest.mark.parametrize("period_end", [STARTS, timezone.localdate()])
def test_a_period_from_the_start_to_today_is_accepted(pledger_a, pledge, period_end):
    assert report_create(actor=pledger_a, pledge=pledge, data=_fields(pledge, period_end)).period_end == period_end


def test_the_report_form_shows_the_refusal_on_the_period_field(client, pledger_a, pledge):
    client.force_login(pledger_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(reverse("reporting:report_new", args=[pledge.pk]), {
        "period_end": tomorrow.isoformat(), "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
        "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0", "action": "save"})

    assert "still to come" in " ".join(response.context["form"].errors["period_end"])
