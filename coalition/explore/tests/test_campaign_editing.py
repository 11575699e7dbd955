"""The secretariat edits campaigns on its own pages and in the admin, both through the services;
everyone else is refused on every edit endpoint."""

import datetime

import pytest
from django.urls import reverse

from coalition.explore.tests.campaign_fixtures import drive  # noqa: F401
from coalition.pledges.models import Campaign


def _form(initiative, **extra) -> dict:
    return {"initiative": initiative.pk, "name_en": "School connectivity pledge drive", "name_fr": "", "slug": "",
            "host": "Giga, UNICEF and ITU", "start_date": "2025-09-22", "end_date": "2025-09-26", "location": "New York",
            "country": "", "url": "", "description": "", "description_fr": "", "goal_pledges": "50",
            "goal_usd": "", **extra}


@pytest.fixture
def endpoints(drive):
    return [reverse("pledges:campaign_manage"), reverse("pledges:campaign_new"),
            reverse("pledges:campaign_edit", args=[drive.slug])]


def test_anonymous_visitors_are_sent_to_sign_in_on_every_edit_page(client, endpoints, initiative):
    for url in endpoints:
        assert client.get(url).status_code == 302
        assert client.post(url, _form(initiative)).status_code == 302
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("person", ["pledger_a", "member_state_focal"])
def test_pledgers_and_member_states_are_refused_on_every_edit_page(client, request, person, endpoints, initiative, drive):
    client.force_login(request.getfixturevalue(person))

    for url in endpoints:
        assert client.get(url).status_code == 403
        assert client.post(url, _form(initiative, goal_pledges="1")).status_code == 403
    drive.refresh_from_db()
    assert Campaign.objects.count() == 1 and drive.goal_pledges == 10


def test_a_reviewer_records_a_campaign(client, reviewer, initiative):
    client.force_login(reviewer)

    response = client.post(reverse("pledges:campaign_new"), _form(initiative))

    campaign = Campaign.objects.get(slug="school-connectivity-pledge-drive")
    assert response.status_code == 302 and response["Location"] == reverse("pledges:campaign_edit", args=[campaign.slug])
    assert (campaign.goal_pledges, campaign.goal_usd, campaign.host) == (50, None, "Giga, UNICEF and ITU")
    assert campaign.history.get().history_user == reviewer


def test_a_reviewer_changes_a_goal_and_sees_the_history(client, reviewer, drive, initiative):
    client.force_login(reviewer)
    url = reverse("pledges:campaign_edit", args=[drive.slug])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["goal_pledges"] == 10

    form = {**_form(initiative, slug=drive.slug, name_en=drive.name_en, start_date="2024-02-10"), "goal_usd": "3000000"}
    response = client.post(url, form, follow=True)

    drive.refresh_from_db()
    assert drive.goal_usd == 3_000_000 and drive.goal_pledges == 50
    assert "Goal: estimated value (US$)" in response.text  # the change, in the history table


def test_the_services_message_lands_on_its_field(client, reviewer, initiative):
    client.force_login(reviewer)

    response = client.post(reverse("pledges:campaign_new"), _form(initiative, end_date="2025-09-01", goal_pledges="-3"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end_date"] == ["The campaign cannot end before it starts."]
    assert "goal_pledges" in form.errors
    assert not Campaign.objects.filter(name_en="School connectivity pledge drive").exists()


def test_the_admin_writes_campaigns_through_the_services(client, reviewer, initiative):
    client.force_login(reviewer)

    response = client.post(reverse("admin:pledges_campaign_add"), {
        **_form(initiative, slug="giga-2025"), "end_date": "2025-09-26",
    })

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    campaign = Campaign.objects.get(slug="giga-2025")
    version = campaign.history.get()
    assert (version.history_user, version.history_change_reason) == (reviewer, "created")


def test_the_admin_shows_the_services_rule_on_its_field(client, reviewer, drive, initiative):
    client.force_login(reviewer)

    response = client.post(reverse("admin:pledges_campaign_change", args=[drive.pk]), {
        **_form(initiative, slug=drive.slug), "start_date": "2024-02-10", "end_date": "2024-01-01",
    })

    assert response.status_code == 200
    assert "The campaign cannot end before it starts." in response.text
    drive.refresh_from_db()
    assert drive.end_date == datetime.date(2024, 2, 12)


def test_pledgers_cannot_reach_the_campaign_admin(client, pledger_a, drive):
    client.force_login(pledger_a)

    assert client.get(reverse("admin:pledges_campaign_change", args=[drive.pk])).status_code == 302
