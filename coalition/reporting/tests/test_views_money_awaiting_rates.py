"""The secretariat's list of values awaiting an exchange rate (issue 15): pledges and reports by
currency and year, each linked to its review page; reviewers only."""

import pytest
from django.urls import reverse

from coalition.pledges.services import pledge_create
from coalition.reference.models import Currency

URL = reverse("reporting:money_awaiting_rates")


@pytest.fixture
def awaiting(pledger_a, pledge_data):
    Currency.objects.create(code="KES", name_en="Kenyan Shilling")
    return pledge_create(actor=pledger_a, data={**pledge_data, "title": "Shilling schools", "value_amount": "2000000",
                                                "value_currency": "KES", "value_year": 2024})


def test_a_reviewer_sees_each_value_awaiting_a_rate_by_currency_and_year(client, reviewer, awaiting):
    client.force_login(reviewer)

    page = client.get(URL).content.decode()

    assert "KES" in page and "2024" in page and "2,000,000" in page
    assert reverse("pledges:review_detail", args=[awaiting.pk]) in page
    assert "rates-csv" in page


def test_the_follow_up_page_links_to_it(client, reviewer):
    client.force_login(reviewer)

    assert URL in client.get(reverse("reporting:followup")).content.decode()


@pytest.mark.parametrize("persona", ["pledger_a", "member_state_focal"])
def test_pledgers_and_others_are_refused(client, persona, request, awaiting):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, awaiting):
    response = client.get(URL)

    assert response.status_code == 302 and "login" in response["Location"]
