"""A pledger's figure is never refused for lack of reference data (issue 15): a value in a known
currency with no rate for its year is kept as stated, goes through the whole cycle, and every
page says "USD pending a rate"; only an unknown currency code is an error."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coalition.pledges.forms import ValueForm
from coalition.pledges.models import Pledge, Status
from coalition.pledges.services import pledge_create
from coalition.reference.models import Currency
from coalition.tests.builders import publish


@pytest.fixture
def shillings(pledge_data):
    Currency.objects.create(code="KES", name_en="Kenyan Shilling")
    return {**pledge_data, "value_amount": "2000000", "value_currency": "KES", "value_year": 2024}


def test_a_pledge_in_a_currency_without_any_rate_is_saved_submitted_and_published_with_its_value_pending(
    pledger_a, reviewer, shillings,
):
    pledge = publish(pledger_a, reviewer, shillings)

    pledge.refresh_from_db()
    assert pledge.status == Status.PUBLISHED
    assert (pledge.value_amount, pledge.value_currency.code, pledge.value_year) == (Decimal("2000000.00"), "KES", 2024)
    assert pledge.value_usd is None
    assert pledge.value_pending
    assert not pledge.value_usd_provisional


def test_a_known_currency_in_a_year_without_a_rate_is_pending_too(pledger_a, pledge_data):
    pledge = pledge_create(actor=pledger_a, data={**pledge_data, "value_year": 2019})  # EUR has 2022 only

    assert pledge.value_usd is None and pledge.value_pending


def test_an_unknown_currency_code_is_still_refused_on_its_field(pledger_a, pledge_data):
    with pytest.raises(ValidationError) as error:
        pledge_create(actor=pledger_a, data={**pledge_data, "value_currency": "KSH"})

    assert list(error.value.message_dict) == ["value_currency"]
    assert not Pledge.objects.exists()


def test_the_pledger_s_review_and_public_pages_say_usd_pending_a_rate(client, pledger_a, reviewer, shillings):
    pledge = publish(pledger_a, reviewer, shillings)

    for user, url in ((pledger_a, reverse("pledges:preview", args=[pledge.pk])),
                      (reviewer, reverse("pledges:review_detail", args=[pledge.pk])),
                      (None, reverse("explore:pledge", args=[pledge.pk]))):
        client.logout()
        if user is not None:
            client.force_login(user)
        page = client.get(url).content.decode()
        assert "USD pending a rate" in page, url
        assert "2,000,000" in page, url


def test_a_converted_value_is_shown_in_us_dollars(client, pledger_a, reviewer, pledge_data):
    pledge = publish(pledger_a, reviewer, pledge_data)  # 1,000,000 EUR of 2022

    page = client.get(reverse("explore:pledge", args=[pledge.pk])).content.decode()

    assert "$1,053,000" in page
    assert "USD pending a rate" not in page and "provisional rate" not in page


def test_the_value_step_of_the_form_offers_every_currency_rate_or_not(shillings):
    form = ValueForm(data={"value_amount": "2000000", "value_currency": "KES", "value_year": "2024"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["value_currency"].code == "KES"
