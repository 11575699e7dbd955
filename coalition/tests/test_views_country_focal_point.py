"""A member-state focal point gets their country's pledges, and takes part in their conversation."""

import pytest
from django.urls import reverse

from coalition.pledges.services import pledge_create, pledge_submit


def test_the_account_page_leads_to_the_countrys_pledges(client, country_focal):
    client.force_login(country_focal)

    page = client.get(reverse("accounts:home")).text

    assert 'href="/pledges/for/KEN/"' in page
    assert "Pledges for Kenya" in page


def test_the_country_list_shows_published_pledges_for_the_country_only(
    client, country_focal, published, pledger_a, pledge_data, countries,
):
    pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data={**pledge_data, "title": "Not yet"}))
    pledge_create(actor=pledger_a, data={**pledge_data, "title": "Nepal only", "beneficiary_countries": [countries["NPL"]]})
    client.force_login(country_focal)

    response = client.get(reverse("pledges:country_pledges", args=["KEN"]))

    assert [p.title for p in response.context["page"]] == [published.title]
    assert f'href="/pledges/{published.pk}/discussion/"' in response.text


@pytest.mark.parametrize("who", ["pledger_a", "newcomer", "member_state_focal"])
def test_other_people_do_not_get_a_countrys_list(client, request, who, country_focal):
    user = request.getfixturevalue(who)
    client.force_login(user)

    assert client.get(reverse("pledges:country_pledges", args=["NPL" if user == country_focal else "KEN"])).status_code == 403
    assert client.get(reverse("pledges:country_pledges", args=["NPL"])).status_code == 403


def test_the_secretariat_sees_any_countrys_list(client, reviewer, countries):
    client.force_login(reviewer)

    assert client.get(reverse("pledges:country_pledges", args=["npl"])).status_code == 200
