"""Figure pages say what they leave out for lack of an exchange rate, as of their date (issue 15):
pledges in shillings published in March 2025 are not counted until the shilling's rate is loaded
in June, and the dashboard and the place pages say so, read off the stored tallies (no query);
after the load they count them from that day on, and an earlier day still shows them pending."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore import daily
from coalition.explore.figures import money_pending
from coalition.explore.models import TalliedDay
from coalition.explore.tallies import Scope, for_pages, tallies_count
from coalition.reference.models import Currency
from coalition.reference.testing import rates_csv_load
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests.builders import publish

UTC = datetime.UTC
MARCH = datetime.date(2025, 3, 1)


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=UTC), tick=False)


@pytest.fixture
def shillings(pledge_data, pledger_a, reviewer):
    """Two pledges in KES and one in XOF for Kenya, all awaiting their rate, published 1 March 2025."""
    for code in ("KES", "XOF"):
        Currency.objects.create(code=code, name_en=code)
    with at(2025, 3, 1, 10):
        for title, amount, code in (("Schools", "2000000", "KES"), ("Clinics", "500000", "KES"),
                                    ("Markets", "5000000", "XOF")):
            publish(pledger_a, reviewer, {**pledge_data, "title": title, "value_amount": amount,
                                          "value_currency": code, "value_year": 2024})
        euros = publish(pledger_a, reviewer, {**pledge_data, "title": "Euro pledge"})
    return euros


def test_the_note_counts_the_pending_pledges_by_currency_as_of_the_date(shillings):
    pending = money_pending(daily.tallies_for(as_of_date(MARCH)))

    assert pending.pledges == 3
    assert pending.pledged == (("XOF", Decimal("5000000.00")), ("KES", Decimal("2500000.00")))


def test_reading_the_note_costs_no_query_once_the_day_is_stored(shillings, django_assert_num_queries):
    tallies = daily.tallies_for(as_of_date(MARCH))

    with django_assert_num_queries(0):
        money_pending(tallies)


def test_the_dashboard_and_the_country_page_say_what_is_not_counted_yet(client, shillings, countries):
    for url in (reverse("explore:dashboard"), reverse("explore:country", args=["KEN"])):
        page = client.get(url, {"as_of": "2025-03-01"}).content.decode()
        assert "Not counted yet on 1 March 2025: 3 pledges whose value awaits an exchange rate" in page, url
        assert "(XOF\u00a05,000,000; KES\u00a02,500,000)" in page, url


def test_once_the_rate_is_loaded_the_value_counts_from_that_day_and_earlier_days_still_show_it_pending(
    client, shillings, tmp_path,
):
    with at(2025, 6, 1, 10):
        rates_csv_load(tmp_path, [("KES", 2024, "0.0077")])

    june = money_pending(daily.tallies_for(as_of_date(datetime.date(2025, 6, 2))))
    assert june.pledges == 1 and june.pledged == (("XOF", Decimal("5000000.00")),)
    assert daily.tallies_for(as_of_now()).get("all").value_usd == Decimal("1053000.00") + Decimal("19250.00")
    assert money_pending(daily.tallies_for(as_of_date(MARCH))).pledges == 3
    for day in (MARCH, datetime.date(2025, 5, 31), datetime.date(2025, 6, 1), datetime.date(2025, 6, 2)):
        assert daily.tallies_for(as_of_date(day)).counts == for_pages(tallies_count(as_of_date(day))).counts, day
    page = client.get(reverse("explore:dashboard")).content.decode()
    assert "1 pledge whose value awaits an exchange rate (XOF\u00a05,000,000)" in page


def test_converting_forgets_today_s_stored_figures_which_then_count_the_value(shillings, tmp_path):
    today = as_of_now()
    assert money_pending(daily.tallies_for(today)).pledges == 3
    assert TalliedDay.objects.filter(day=today.date, place="").exists()

    rates_csv_load(tmp_path, [("KES", 2024, "0.0077")])

    assert not TalliedDay.objects.filter(day=today.date).exists()
    now = as_of_now()
    assert money_pending(daily.tallies_for(now)).pledges == 1
    assert daily.tallies_for(now).counts == for_pages(tallies_count(now)).counts


def test_a_place_s_stored_tallies_carry_its_own_pending_values(shillings, countries):
    kenya = daily.tallies_for(as_of_date(MARCH), Scope(country=countries["KEN"]))
    france = daily.tallies_for(as_of_date(MARCH), Scope(country=countries["FRA"]))

    assert money_pending(kenya).pledges == 3
    assert not money_pending(france).anything


def test_money_disbursed_awaiting_a_rate_in_an_accepted_report_is_noted_too(shillings, pledger_a, reviewer):
    with at(2025, 4, 1, 10):
        report = report_create(actor=pledger_a, pledge=shillings, data={
            "period_end": datetime.date(2025, 3, 31), "implementation_status": "on_track", "share_delivered": "10",
            "disbursed_amount": "300000", "disbursed_currency": "KES", "disbursed_year": 2025,
            "narrative": "Ten schools.", "challenges": "", "targets": [{"target": shillings.targets.get(),
                                                                        "actual_value": "10"}],
        })
        report_accept(actor=reviewer, report=report_submit(actor=pledger_a, report=report),
                      verification_level="documented")

    pending = money_pending(daily.tallies_for(as_of_date(datetime.date(2025, 4, 2))))

    assert pending.reports == 1 and pending.disbursed == (("KES", Decimal("300000.00")),)
