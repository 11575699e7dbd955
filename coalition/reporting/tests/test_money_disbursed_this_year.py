"""Money disbursed in the current year is converted at the year-to-date average of the ECB daily
rates, marked provisional, and recomputed when the year's final average is loaded; a report made
before any rate of its year is converted by the next load (issue 15)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.reference.models import Currency, ExchangeRate
from coalition.reference.testing import ecb_history_load
from coalition.reporting.forms import ReportForm
from coalition.reporting.money import money_awaiting_rates
from coalition.reporting.services import report_create, report_submit

TODAY = timezone.localdate()
YEAR = TODAY.year
JANUARY = [(datetime.date(YEAR, 1, 2), {"USD": 1.10, "GBP": 0.88}), (datetime.date(YEAR, 1, 3), {"USD": 1.10, "GBP": 0.80})]
YEAR_TO_DATE = ((Decimal("1.10") / Decimal("0.88") + Decimal("1.10") / Decimal("0.80")) / 2).quantize(Decimal("1e-12"))


@pytest.fixture(autouse=True)
def pounds(currencies):
    return Currency.objects.create(code="GBP", name_en="Pound Sterling")


@pytest.fixture
def this_year(published):
    return {
        "period_end": TODAY, "implementation_status": "on_track", "share_delivered": "40",
        "disbursed_amount": "100000", "disbursed_currency": "GBP", "disbursed_year": YEAR,
        "narrative": "120 schools connected.", "challenges": "",
        "targets": [{"target": published.targets.get(), "actual_value": "120"}],
    }


def test_a_disbursement_this_year_uses_the_provisional_year_to_date_average(pledger_a, published, this_year, tmp_path):
    ecb_history_load(tmp_path, JANUARY, today=TODAY)

    report = report_create(actor=pledger_a, pledge=published, data=this_year)

    rate = ExchangeRate.objects.get(currency__code="GBP", year=YEAR)
    assert rate.provisional and rate.usd_per_unit == YEAR_TO_DATE
    assert report.disbursed_usd == (Decimal("100000") * YEAR_TO_DATE).quantize(Decimal("0.01"))
    assert report.disbursed_usd_provisional


def test_a_report_made_before_any_rate_of_its_year_is_kept_pending_then_converted_by_the_next_load(
    pledger_a, published, this_year, tmp_path,
):
    report = report_create(actor=pledger_a, pledge=published, data=this_year)
    assert report.disbursed_usd is None and report.disbursed_pending
    assert [row.currency for row in money_awaiting_rates().wanted] == ["GBP"]

    ecb_history_load(tmp_path, JANUARY, today=TODAY)

    report.refresh_from_db()
    assert report.disbursed_usd == (Decimal("100000") * YEAR_TO_DATE).quantize(Decimal("0.01"))
    assert report.disbursed_usd_provisional
    assert report.history.latest("history_date", "history_id").history_change_reason == "converted"
    assert money_awaiting_rates().wanted == []


def test_the_closing_load_replaces_the_provisional_rate_and_recomputes_the_report(
    pledger_a, published, this_year, tmp_path, monkeypatch,
):
    monkeypatch.setattr("coalition.reference.loaders.ecb_rates.MIN_OBSERVATIONS", 1)
    ecb_history_load(tmp_path, JANUARY, today=TODAY)
    report = report_create(actor=pledger_a, pledge=published, data=this_year)
    closed = [*JANUARY, (datetime.date(YEAR, 12, 30), {"USD": 1.20, "GBP": 0.80}),
              (datetime.date(YEAR + 1, 1, 2), {"USD": 1.20, "GBP": 0.80})]

    ecb_history_load(tmp_path, closed, today=datetime.date(YEAR + 1, 1, 5))

    final = ((Decimal("1.10") / Decimal("0.88") + Decimal("1.10") / Decimal("0.80") + Decimal("1.20") / Decimal("0.80"))
             / 3).quantize(Decimal("1e-12"))
    rate = ExchangeRate.objects.get(currency__code="GBP", year=YEAR)
    assert not rate.provisional and rate.usd_per_unit == final
    report.refresh_from_db()
    assert report.disbursed_usd == (Decimal("100000") * final).quantize(Decimal("0.01"))
    assert not report.disbursed_usd_provisional


def test_the_review_page_marks_the_provisional_rate_and_the_pending_one(client, pledger_a, reviewer, published,
                                                                         this_year, tmp_path):
    report = report_submit(actor=pledger_a, report=report_create(actor=pledger_a, pledge=published, data=this_year))
    client.force_login(reviewer)
    assert "USD pending a rate" in client.get(reverse("reporting:report_review", args=[report.pk])).content.decode()

    ecb_history_load(tmp_path, JANUARY, today=TODAY)

    page = client.get(reverse("reporting:report_review", args=[report.pk])).content.decode()
    assert "provisional rate" in page and "USD pending a rate" not in page


def test_the_report_form_offers_every_currency_rate_or_not(pounds):
    field = ReportForm.base_fields["disbursed_currency"]

    assert "GBP" in [currency.code for currency in field.queryset]
