"""Values awaiting a rate are converted as soon as one is stored (issue 15): by a rates-csv load, an
ECB load or an administrator's edit, in the same transaction, each converted pledge getting one
version (its links kept) so the registry as of any day stays right, in a few queries whatever the
number of pledges."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.pledges.models import Pledge
from coalition.pledges.services import pledge_create
from coalition.pledges.services.money import CONVERTED, pledge_values_convert
from coalition.reference.models import Currency, ExchangeRate, ImportRun
from coalition.reference.services import exchange_rate_save
from coalition.reference.testing import rates_csv_load
from coalition.tests.builders import publish

RATE = Decimal("0.0077")


@pytest.fixture
def kes(currencies):
    return Currency.objects.create(code="KES", name_en="Kenyan Shilling")


@pytest.fixture
def shillings(pledge_data, kes):
    return {**pledge_data, "value_amount": "2000000", "value_currency": "KES", "value_year": 2024}


@pytest.fixture
def pending(pledger_a, reviewer, shillings):
    return publish(pledger_a, reviewer, shillings)


def test_loading_a_kes_rate_through_rates_csv_converts_the_pending_value(pending, tmp_path):
    run = rates_csv_load(tmp_path, [("KES", 2024, RATE)])

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    pending.refresh_from_db()
    assert pending.value_usd == Decimal("15400.00")
    assert not pending.value_pending and not pending.value_usd_provisional


def test_the_conversion_writes_one_version_that_keeps_the_links_and_closes_the_one_before(pending, tmp_path):
    before = list(pending.history.order_by("history_date", "history_id"))

    rates_csv_load(tmp_path, [("KES", 2024, RATE)])

    versions = list(pending.history.order_by("history_date", "history_id"))
    assert len(versions) == len(before) + 1
    previous, latest = versions[-2:]
    assert latest.history_change_reason == CONVERTED and latest.history_type == "~"
    assert latest.value_usd == Decimal("15400.00") and previous.value_usd is None
    assert previous.valid_to == latest.history_date and latest.valid_to is None
    assert list(latest.beneficiary_countries.values_list("country__iso3", flat=True)) == ["KEN"]
    assert list(latest.framework_nodes.values_list("frameworknode__code", flat=True)) == ["FA1.1"]
    pending.refresh_from_db()
    assert pending.version == previous.version  # nobody edited the content: open forms stay valid


def test_an_administrator_saving_a_rate_in_the_admin_converts_the_pending_value(client, administrator, pending, kes):
    client.force_login(administrator)

    response = client.post(reverse("admin:reference_exchangerate_add"), {
        "currency": kes.pk, "year": "2024", "usd_per_unit": "0.0077", "source": "IMF IFS", "observations": "",
    })

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.value_usd == Decimal("15400.00")
    assert pending.history.latest("history_date", "history_id").history_user == administrator


def test_a_pledger_cannot_save_a_rate_through_the_service(pledger_a, kes):
    with pytest.raises(PermissionDenied):
        exchange_rate_save(actor=pledger_a, rate=ExchangeRate(currency=kes, year=2024, usd_per_unit=RATE, source="x"))
    assert not ExchangeRate.objects.filter(currency=kes).exists()


def test_values_still_without_a_rate_and_values_already_converted_are_left_alone(pending, pledger_a, pledge_data,
                                                                                 tmp_path):
    euros = pledge_create(actor=pledger_a, data=pledge_data)  # EUR 2022: converted at creation
    versions = euros.history.count()

    rates_csv_load(tmp_path, [("KES", 2023, RATE)])  # not the pending value's year

    pending.refresh_from_db()
    assert pending.value_usd is None
    assert euros.history.count() == versions
    assert pledge_values_convert() == 0


def test_converting_costs_the_same_queries_for_two_pledges_or_six(pledger_a, shillings, kes):
    def queries_for(count):
        Pledge.objects.all().delete()
        ExchangeRate.objects.filter(currency=kes).delete()
        for number in range(count):
            pledge_create(actor=pledger_a, data={**shillings, "title": f"Schools {number}"})
            pledge_create(actor=pledger_a, data={**shillings, "title": f"Later {number}", "value_year": 2025})
        ExchangeRate.objects.create(currency=kes, year=2024, usd_per_unit=RATE, source="test")  # no signal
        with CaptureQueriesContext(connection) as queries:
            assert pledge_values_convert() == count  # the 2025 values still wait
        return len(queries)

    assert queries_for(2) == queries_for(6)


def test_a_provisional_value_is_recomputed_when_the_year_s_final_rate_replaces_it(pledger_a, shillings, kes, tmp_path):
    ExchangeRate.objects.create(currency=kes, year=2024, usd_per_unit=Decimal("0.0070"), source="test", provisional=True)
    pledge = pledge_create(actor=pledger_a, data=shillings)
    assert (pledge.value_usd, pledge.value_usd_provisional) == (Decimal("14000.00"), True)

    rates_csv_load(tmp_path, [("KES", 2024, RATE)])

    pledge.refresh_from_db()
    assert (pledge.value_usd, pledge.value_usd_provisional) == (Decimal("15400.00"), False)
    assert ExchangeRate.objects.get(currency=kes, year=2024).provisional is False


def test_the_value_year_may_be_in_the_future_and_waits_for_its_rate(pledger_a, shillings):
    pledge = pledge_create(actor=pledger_a, data={**shillings, "value_year": datetime.date.today().year + 3})

    assert pledge.value_pending
