"""The API's writes go through the web's services: the same permissions, the same messages."""

import pytest
from django.test import Client

from coalition.accounts.models import ApiToken
from coalition.accounts.services import api_token_create
from coalition.pledges.models import Campaign, Pledge, Status
from coalition.reporting.models import ProgressReport


def _bearer(user, scope=ApiToken.Scope.WRITE) -> dict:
    _token, raw = api_token_create(actor=user, name=f"t-{scope}-{ApiToken.objects.count()}", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def body(initiative, entity_a, countries, currencies):
    return {"initiative": initiative.slug, "lead_entity": entity_a.pk, "title": "Connect 500 rural schools",
            "description": "Fibre and satellite links.", "pledge_type": "programmatic", "scope": "national",
            "beneficiary_countries": ["KEN"], "framework_nodes": ["FA1.1"], "value_amount": "1000000",
            "value_currency": "EUR", "value_year": 2022, "start_date": "2023-01-01", "end_date": "2026-12-31",
            "targets": [{"description": "Schools connected", "unit": "schools", "target_value": "500"}]}


def test_a_pledger_drafts_and_submits_a_pledge(client, pledger_a, body):
    auth = _bearer(pledger_a)

    drafted = client.post("/api/v1/pledges/drafts/", body, content_type="application/json", **auth)
    assert drafted.status_code == 201, drafted.content
    pledge = Pledge.objects.get(pk=drafted.json()["id"])
    assert pledge.status == Status.DRAFT and pledge.created_by == pledger_a

    submitted = client.post(f"/api/v1/pledges/{pledge.pk}/submit/", **auth)
    assert submitted.status_code == 200 and submitted.json()["status"] == Status.SUBMITTED


def test_the_api_gives_the_web_forms_message_for_the_same_bad_input(client, pledger_a, body, initiative, other_initiative):
    Campaign.objects.create(initiative=other_initiative, slug="elsewhere", name_en="Elsewhere", start_date="2024-01-01")
    web = Client()
    web.force_login(pledger_a)
    page = web.post("/pledges/new/", {"lead_entity": body["lead_entity"], "initiative": initiative.pk,
                                      "title": "Schools", "pledge_type": "programmatic", "campaign": Campaign.objects.get().pk})

    response = client.post("/api/v1/pledges/drafts/", {**body, "campaign": "elsewhere"}, content_type="application/json",
                           **_bearer(pledger_a))

    assert response.status_code == 400
    message = response.json()["errors"]["campaign"][0]
    assert message == "This campaign belongs to another initiative."
    assert message in page.text
    assert not Pledge.objects.exists()


def test_an_unknown_code_is_refused_on_its_field(client, pledger_a, body):
    response = client.post("/api/v1/pledges/drafts/", {**body, "beneficiary_countries": ["ATL"]},
                           content_type="application/json", **_bearer(pledger_a))

    assert response.status_code == 400 and "ATL" in response.json()["errors"]["beneficiary_countries"][0]


def test_a_malformed_body_is_a_400_problem_naming_the_field(client, pledger_a, body):
    response = client.post("/api/v1/pledges/drafts/", {**body, "lead_entity": "many"}, content_type="application/json",
                           **_bearer(pledger_a))

    assert response.status_code == 400 and "lead_entity" in response.json()["errors"]


def test_the_wrong_person_is_refused(client, pledger_b, body):
    response = client.post("/api/v1/pledges/drafts/", body, content_type="application/json", **_bearer(pledger_b))

    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert not Pledge.objects.exists()


def test_anonymous_writes_need_a_token(client, body):
    response = client.post("/api/v1/pledges/drafts/", body, content_type="application/json")

    assert response.status_code == 401 and response.json()["status"] == 401


def test_a_read_token_cannot_write(client, pledger_a, body):
    response = client.post("/api/v1/pledges/drafts/", body, content_type="application/json",
                           **_bearer(pledger_a, ApiToken.Scope.READ))

    assert response.status_code == 403 and not Pledge.objects.exists()


def test_another_entitys_pledger_cannot_submit_a_draft(client, pledger_a, pledger_b, body):
    pledge_id = client.post("/api/v1/pledges/drafts/", body, content_type="application/json", **_bearer(pledger_a)).json()["id"]

    assert client.post(f"/api/v1/pledges/{pledge_id}/submit/", **_bearer(pledger_b)).status_code == 403
    assert Pledge.objects.get(pk=pledge_id).status == Status.DRAFT


def test_a_pledger_reports_on_a_published_pledge_and_only_they_may(client, published, pledger_a, pledger_b):
    report = {"period_end": "2024-12-31", "implementation_status": "on_track", "share_delivered": "40",
              "narrative": "Two hundred schools connected.",
              "targets": [{"target": published.targets.get().pk, "actual_value": "200"}],
              "evidence": [{"title": "Ministry note", "url": "https://example.org/note"}]}

    refused = client.post(f"/api/v1/pledges/{published.pk}/reports/", report, content_type="application/json",
                          **_bearer(pledger_b))
    assert refused.status_code == 403
    made = client.post(f"/api/v1/pledges/{published.pk}/reports/", report, content_type="application/json",
                       **_bearer(pledger_a))
    assert made.status_code == 201, made.content
    again = client.post(f"/api/v1/pledges/{published.pk}/reports/", report, content_type="application/json",
                        **_bearer(pledger_a))
    assert again.status_code == 400 and "period_end" in again.json()["errors"]
    submitted = client.post(f"/api/v1/reports/{made.json()['id']}/submit/", **_bearer(pledger_a))
    assert submitted.status_code == 200, submitted.content
    assert ProgressReport.objects.get().status == submitted.json()["status"] != "draft"


def test_a_nul_character_in_a_body_is_refused_before_anything_is_written(client, pledger_a, body):
    response = client.post("/api/v1/pledges/drafts/", {**body, "beneficiary_countries": ["K\u0000E"]},
                           content_type="application/json", **_bearer(pledger_a))

    assert response.status_code == 400 and not Pledge.objects.exists()
