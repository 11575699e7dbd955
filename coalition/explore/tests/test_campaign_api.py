"""The API's campaigns: public reads as of a date, and writes for the secretariat's tokens only."""

import pytest

from coalition.accounts.models import ApiToken
from coalition.accounts.services import api_token_create
from coalition.explore.tests.campaign_fixtures import drive, drive_pledges  # noqa: F401
from coalition.pledges.models import Campaign


def _bearer(user, scope=ApiToken.Scope.WRITE) -> dict:
    _token, raw = api_token_create(actor=user, name=f"t-{scope}-{ApiToken.objects.count()}", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_anyone_reads_the_campaigns_with_their_figures_and_goals(client, drive_pledges, drive):
    response = client.get("/api/v1/campaigns/")

    assert response.status_code == 200
    row = next(r for r in response.json()["results"] if r["slug"] == drive.slug)
    assert (row["pledges"], row["value_usd"]) == (2, "1353000.00")
    assert row["goal"] == {"pledges": 10, "value_usd": "2000000.00"}
    assert row["share_of_goal_pledges"] == "0.2000"
    assert row["host"] == "Fifth UN Conference on the LDCs, Doha"


def test_the_list_as_of_a_date_counts_what_was_published_then(client, drive_pledges, drive):
    body = client.get("/api/v1/campaigns/", {"as_of": "2024-04-30"}).json()

    row = next(r for r in body["results"] if r["slug"] == drive.slug)
    assert body["as_of"] == "2024-04-30"
    assert (row["pledges"], row["goal"]["pledges"]) == (1, 4)


def test_one_campaign_reads_with_its_months(client, drive_pledges, drive):
    body = client.get(f"/api/v1/campaigns/{drive.slug}/", {"as_of": "2024-05-31"}).json()

    assert [(m["month"], m["cumulative_pledges"]) for m in body["months"]] == [
        ("2024-03", 1), ("2024-04", 1), ("2024-05", 2)]
    assert body["description_fr"] == "Des engagements pour les pays les moins avancés."


def test_an_unknown_campaign_is_a_404_problem(client, db):
    response = client.get("/api/v1/campaigns/nowhere/")

    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


@pytest.fixture
def body(initiative):
    return {"initiative": initiative.slug, "name_en": "School connectivity drive", "start_date": "2025-09-22",
            "goal_pledges": 50, "country": "KEN"}


def test_the_secretariat_records_and_changes_a_campaign(client, reviewer, body, countries):
    auth = _bearer(reviewer)

    created = client.post("/api/v1/campaigns/", body, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "school-connectivity-drive" and created.json()["country"] == "KEN"

    changed = client.patch("/api/v1/campaigns/school-connectivity-drive/", {"goal_usd": "1000000"},
                           content_type="application/json", **auth)
    assert changed.status_code == 200
    campaign = Campaign.objects.get(slug="school-connectivity-drive")
    assert (campaign.goal_pledges, campaign.goal_usd) == (50, 1_000_000)
    assert [v.history_user for v in campaign.history.all()] == [reviewer, reviewer]


def test_a_refused_field_is_a_400_naming_it(client, reviewer, body, countries):
    response = client.post("/api/v1/campaigns/", {**body, "goal_pledges": -1}, content_type="application/json",
                           **_bearer(reviewer))

    assert response.status_code == 400 and list(response.json()["errors"]) == ["goal_pledges"]


def test_writes_without_a_token_are_refused(client, body, drive):
    assert client.post("/api/v1/campaigns/", body, content_type="application/json").status_code == 401
    assert client.patch(f"/api/v1/campaigns/{drive.slug}/", {"goal_pledges": 1},
                        content_type="application/json").status_code == 401
    assert Campaign.objects.count() == 1


def test_a_pledgers_token_is_refused(client, pledger_a, body, drive):
    auth = _bearer(pledger_a)

    assert client.post("/api/v1/campaigns/", body, content_type="application/json", **auth).status_code == 403
    assert client.patch(f"/api/v1/campaigns/{drive.slug}/", {"goal_pledges": 1}, content_type="application/json",
                        **auth).status_code == 403
    drive.refresh_from_db()
    assert Campaign.objects.count() == 1 and drive.goal_pledges == 10


def test_a_read_token_cannot_write_even_for_the_secretariat(client, reviewer, body):
    response = client.post("/api/v1/campaigns/", body, content_type="application/json",
                           **_bearer(reviewer, ApiToken.Scope.READ))

    assert response.status_code == 403 and not Campaign.objects.exists()
