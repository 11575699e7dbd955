"""The API's report archive: what the archive page lists, as of a date, with each download's
address and SHA-256; builds that are not published are not there."""

import datetime
import hashlib

import time_machine
from django.utils import timezone

from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)
from coalition.reports import services

DAY = datetime.date(2025, 7, 1)


def build(actor, country="NPL", language="en"):
    return services.report_request(actor=actor, kind="country-profile", language=language, as_of=DAY,
                                   params={"country": country})


def test_the_archive_lists_published_reports_with_their_downloads_and_checksums(client, registry, reviewer):  # noqa: F811
    published = services.report_publish(actor=reviewer, build=build(reviewer))
    build(reviewer, country="KEN")  # built, not published

    response = client.get("/api/v1/published-reports/")

    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert (row["id"], row["kind"], row["language"], row["report_as_of"]) == (published.pk, "country-profile", "en",
                                                                               "2025-07-01")
    assert row["params"] == {"country": "NPL"} and row["title"] == "Country profile: Nepal"
    downloads = {download["format"]: download for download in row["downloads"]}
    assert set(downloads) == {"pdf", "json"}
    pdf = client.get(downloads["pdf"]["url"])
    assert hashlib.sha256(pdf.content).hexdigest() == downloads["pdf"]["sha256"]
    assert len(pdf.content) == downloads["pdf"]["size"]
    assert client.get(f"/api/v1/published-reports/{published.pk}/").json()["downloads"] == row["downloads"]


def test_a_build_not_published_is_not_found(client, registry, reviewer):  # noqa: F811
    unpublished = build(reviewer)

    response = client.get(f"/api/v1/published-reports/{unpublished.pk}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_withdrawn_report_is_listed_as_of_a_day_it_was_in_the_archive(client, registry, reviewer):  # noqa: F811
    report = build(reviewer)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        services.report_publish(actor=reviewer, build=report)
    services.report_withdraw(actor=reviewer, build=report)
    five_days_ago = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()

    assert client.get("/api/v1/published-reports/").json()["results"] == []
    earlier = client.get(f"/api/v1/published-reports/?as_of={five_days_ago}").json()
    assert [row["id"] for row in earlier["results"]] == [report.pk]
    assert earlier["as_of"] == five_days_ago


def test_the_list_filters_by_kind_and_language(client, registry, reviewer):  # noqa: F811
    english = services.report_publish(actor=reviewer, build=build(reviewer))
    french = services.report_publish(actor=reviewer, build=build(reviewer, language="fr"))

    def ids(query):
        return [row["id"] for row in client.get(f"/api/v1/published-reports/?{query}").json()["results"]]

    assert ids("language=fr") == [french.pk]
    assert ids("kind=country-profile") == [english.pk, french.pk]
    assert ids("kind=annual") == []
    assert client.get("/api/v1/published-reports/?kind=yearly").status_code == 400


def test_an_unchanged_archive_answers_304_and_a_publication_changes_it(client, registry, reviewer):  # noqa: F811
    first = client.get("/api/v1/published-reports/")
    etag = first["ETag"]

    assert client.get("/api/v1/published-reports/", headers={"If-None-Match": etag}).status_code == 304
    services.report_publish(actor=reviewer, build=build(reviewer))
    assert client.get("/api/v1/published-reports/", headers={"If-None-Match": etag}).status_code == 200
