"""The API's reads: the explorer's filters by one definition, as_of, cursor pages, conditional
requests and problem details (docs/api.md)."""

import datetime

import pytest
import time_machine
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from coalition.accounts.services import api_token_create
from coalition.explore.explorer import explorer_selection
from coalition.pledges.content import revision_data_load
from coalition.pledges.services import revision_publish, revision_start, revision_submit, revision_update
from coalition.tests import builders


@pytest.fixture
def registry(pledger_a, pledger_b, reviewer, pledge_data, entity_b, countries, country_groups):
    pledges = [builders.publish(pledger_a, reviewer, {**pledge_data, "title": f"Connect schools {n}"}) for n in range(5)]
    pledges.append(builders.publish(pledger_b, reviewer, {
        **pledge_data, "lead_entity": entity_b, "title": "Train women in Nepal", "pledge_type": "financial",
        "beneficiary_countries": [countries["NPL"]]}))
    return pledges


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("query", ["", "type=financial", "country=NPL", "group=LDC&type=programmatic", "q=schools",
                                   "sort=oldest&country=KEN", "status=due"])
def test_the_pledge_list_selects_what_the_explorer_selects(client, registry, query):
    response = client.get(f"/api/v1/pledges/?{query}&limit=100")

    assert response.status_code == 200, response.content
    expected = explorer_selection(params=QueryDict(query)).pledges.values_list("id", flat=True)
    assert sorted(_ids(response)) == sorted(expected)


def test_a_filter_the_explorer_would_ignore_is_refused_with_a_problem(client, registry):
    response = client.get("/api/v1/pledges/?country=XXX&value_min=abc")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(problem)
    assert problem["status"] == 400 and len(problem["errors"]["filters"]) == 2


def test_a_bad_as_of_is_a_problem_naming_the_field(client, registry):
    response = client.get("/api/v1/pledges/?as_of=yesterday")

    assert response.status_code == 400 and "as_of" in response.json()["errors"]


def test_pages_walk_every_pledge_once_forward_and_back(client, registry):
    seen, url, pages = [], "/api/v1/pledges/?limit=2", []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.json())
        seen += _ids(response)
        url = response.json()["next"]
        if url:
            assert f'<{url}>; rel="next"' in response["Link"]
    assert sorted(seen) == sorted(p.id for p in registry) and len(seen) == len(set(seen))
    back = client.get(pages[-1]["previous"]).json()
    assert _ids_of(back) == _ids_of(pages[-2])


def _ids_of(body) -> list[int]:
    return [row["id"] for row in body["results"]]


def test_a_damaged_cursor_is_refused(client, registry):
    assert client.get("/api/v1/pledges/?after=garbage").status_code == 400
    assert client.get("/api/v1/entities/?after=garbage").status_code == 400


def test_as_of_a_past_date_lists_what_was_published_then(client, registry):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    response = client.get(f"/api/v1/pledges/?as_of={yesterday}")

    assert response.status_code == 200 and response.json()["results"] == []
    assert response.json()["as_of"] == yesterday
    assert client.get(f"/api/v1/pledges/{registry[0].id}/?as_of={yesterday}").status_code == 404
    assert client.get(f"/api/v1/figures/?as_of={yesterday}").json()["pledges"] == 0


def test_a_matching_etag_gets_304_and_a_change_a_new_answer(client, registry, pledger_a, reviewer, pledge_data):
    first = client.get("/api/v1/pledges/?country=KEN")
    etag = first["ETag"]
    assert etag.startswith('W/"') and first["Last-Modified"]

    assert client.get("/api/v1/pledges/?country=KEN", HTTP_IF_NONE_MATCH=etag).status_code == 304
    builders.publish(pledger_a, reviewer, {**pledge_data, "title": "One more"})
    again = client.get("/api/v1/pledges/?country=KEN", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert len(again.json()["results"]) == len(first.json()["results"]) + 1


def test_every_read_answers_with_its_as_of(client, registry, country_groups):
    for url in ("/api/v1/pledges/", f"/api/v1/pledges/{registry[0].id}/", "/api/v1/entities/",
                f"/api/v1/entities/{registry[0].lead_entity_id}/", "/api/v1/countries/", "/api/v1/countries/KEN/",
                "/api/v1/groups/", "/api/v1/groups/LDC/", "/api/v1/figures/", "/api/v1/breakdowns/type/",
                "/api/v1/indicators/", "/api/v1/plans/", "/api/v1/activities/", "/api/v1/practices/"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert response.json()["as_of"] == timezone.localdate().isoformat(), url


def test_a_missing_object_is_a_404_problem(client, registry):
    response = client.get("/api/v1/pledges/999999/")

    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_labels_follow_lang(client, registry):
    english = client.get("/api/v1/breakdowns/type/?lang=en").json()
    french = client.get("/api/v1/breakdowns/type/?lang=fr").json()

    assert english["title"] != french["title"]
    assert client.get("/api/v1/figures/?lang=de").status_code == 400


def test_a_revoked_or_expired_or_unknown_token_is_refused_even_on_reads(client, registry, pledger_a):
    token, raw = api_token_create(actor=pledger_a, name="expiring",
                                  expires_at=timezone.now() + datetime.timedelta(seconds=1))
    assert client.get("/api/v1/figures/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save()

    response = client.get("/api/v1/figures/", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
    assert client.get("/api/v1/figures/", HTTP_AUTHORIZATION="Bearer coa_nothing").status_code == 401


def test_rate_limits_count_per_token_and_per_address(settings, registry, pledger_a):
    settings.API_RATE_PER_TOKEN, settings.API_RATE_PER_ADDRESS = "3/min", "2/min"
    _token, raw = api_token_create(actor=pledger_a, name="limited")
    here, there = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")

    # Within one minute's window: a run that crossed into the next minute would start counting anew.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, 5, tzinfo=datetime.UTC), tick=False):
        assert [here.get("/api/v1/figures/").status_code for _ in range(3)] == [200, 200, 429]
        assert there.get("/api/v1/figures/").status_code == 200
        refused = here.get("/api/v1/figures/")
        assert refused["Content-Type"] == "application/problem+json" and int(refused["Retry-After"]) >= 1
        with_token = [here.get("/api/v1/figures/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code for _ in range(4)]
        assert with_token == [200, 200, 200, 429]


def test_the_docs_page_loads_swagger_from_the_sites_own_static_files(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in response.text
    assert "cdn" not in response.text.lower() and "https://" not in response.text
    assert client.get("/api/v1/openapi.json").json()["openapi"].startswith("3.1")


def test_lists_ask_the_same_number_of_queries_whatever_their_length(client, registry, pledger_a, reviewer, pledge_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = ["/api/v1/pledges/?limit=100&country=KEN", "/api/v1/entities/", "/api/v1/practices/", "/api/v1/activities/"]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for n in range(4):
        builders.publish(pledger_a, reviewer, {**pledge_data, "title": f"More {n}"})
    assert counts() == before


def test_a_past_as_of_lists_each_pledge_as_its_version_of_that_day_said_countries_included(
        client, pledger_a, reviewer, pledge_data, countries):
    with time_machine.travel(datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        pledge = builders.publish(pledger_a, reviewer, {**pledge_data, "title": "Connect rural schools",
                                                        "beneficiary_countries": [countries["KEN"]]})
    with time_machine.travel(datetime.datetime(2024, 6, 1, 10, tzinfo=datetime.UTC), tick=False):
        revision = revision_start(actor=pledger_a, pledge=pledge, reason="Nepal joins.")
        revision_update(actor=pledger_a, revision=revision, data={
            **revision_data_load(revision.data), "title": "Connect rural schools in two countries", "scope": "multi_country",
            "beneficiary_countries": [countries["KEN"], countries["NPL"]]})
        revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_a, revision=revision))

    before, after = (client.get(f"/api/v1/pledges/?as_of={day}").json()["results"] for day in ("2024-04-01", "2024-07-01"))

    assert [(row["title"], row["countries"]) for row in before] == [("Connect rural schools", ["KEN"])]
    assert [(row["title"], row["countries"]) for row in after] == [("Connect rural schools in two countries", ["KEN", "NPL"])]
    detail = client.get(f"/api/v1/pledges/{pledge.pk}/?as_of=2024-04-01").json()
    assert detail["countries"] == ["KEN"]
