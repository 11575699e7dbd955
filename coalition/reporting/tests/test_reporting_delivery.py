import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit
from coalition.reporting.selectors import pledge_delivery
from coalition.reporting.services import report_accept, report_create, report_submit

YEAR = timezone.localdate().year


def _publish(pledger, reviewer, data):
    pledge = pledge_create(actor=pledger, data=data)
    pledge_submit(actor=pledger, pledge=pledge)
    return pledge_publish(actor=reviewer, pledge=pledge)


def _report(pledge, pledger, reviewer, *, year, amount, currency, actual, accept=True):
    report = report_create(
        actor=pledger,
        pledge=pledge,
        data={
            "period_end": min(datetime.date(year, 12, 31), timezone.localdate()),
            "implementation_status": "on_track",
            "share_delivered": "25",
            "disbursed_amount": amount,
            "disbursed_currency": currency,
            "disbursed_year": 2022 if amount else None,
            "narrative": "Works under way.",
            "targets": [{"target": pledge.targets.get(), "actual_value": actual}],
        },
    )
    report_submit(actor=pledger, report=report)
    if accept:
        report_accept(actor=reviewer, report=report, verification_level="self_reported")
    return report


@pytest.fixture
def pledges(pledger_a, reviewer, pledge_data):
    """Three published pledges: 1,000,000 EUR (2022) → 1,053,000 USD; 500,000 USD; no value."""
    euro = _publish(pledger_a, reviewer, pledge_data)
    dollar = _publish(pledger_a, reviewer, {**pledge_data, "title": "Dollar pledge", "value_amount": Decimal("500000"),
                                            "value_currency": "USD"})
    novalue = _publish(pledger_a, reviewer, {**pledge_data, "title": "Advocacy", "value_amount": None,
                                             "value_currency": None, "value_year": None})
    return euro, dollar, novalue


def test_one_pledge_pledged_versus_delivered_uses_the_latest_accepted_report(pledges, pledger_a, reviewer):
    euro = pledges[0]
    latest = _report(euro, pledger_a, reviewer, year=YEAR, amount="300000", currency="EUR", actual="180")
    _report(euro, pledger_a, reviewer, year=YEAR - 1, amount="100000", currency="EUR", actual="50")  # older period, later

    delivery = pledge_delivery(euro)

    assert delivery.report == latest
    assert delivery.pledged_usd == Decimal("1053000.00")
    assert delivery.disbursed_usd == Decimal("315900.00")  # 300,000 EUR × 1.053
    assert delivery.share_delivered == Decimal("25")
    [target] = delivery.targets
    assert (target.target.target_value, target.actual_value, target.share) == (
        Decimal("500"), Decimal("180"), Decimal("36.00"))


def test_a_pledge_without_an_accepted_report_has_nothing_delivered(pledges, pledger_a, reviewer):
    _report(pledges[1], pledger_a, reviewer, year=YEAR, amount="1000", currency="USD", actual="3", accept=False)

    delivery = pledge_delivery(pledges[1])

    assert delivery.report is None
    assert delivery.disbursed_usd is None
    assert delivery.pledged_usd == Decimal("500000.00")
    assert [t.actual_value for t in delivery.targets] == [None]
