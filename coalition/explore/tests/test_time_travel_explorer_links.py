"""The explorer with `?as_of=`: the pledges published at the end of that day, each as it stood,
every link of the page carrying the day; a bad date shows today with the message and a 400; the
selection download holds the same pledges (a bad date refused by name); the API lists them too."""

import datetime
import re

from django.http import QueryDict
from django.urls import reverse

from coalition.common.asof import as_of_date
from coalition.explore.explorer import explorer_search
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)

EXPLORER = "/pledges/"


def _hrefs(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'(?:href|hx-get)="([^"]+)"', html)]


def test_a_past_day_lists_the_pledges_published_then_as_they_stood(client, registry):
    response = client.get(EXPLORER + "?as_of=2024-12-31")

    assert response.status_code == 200
    titles = [row.title for row in response.context["result"].page.object_list]
    assert titles == ["Himalayan broadband", "Kenya schools online"]  # newest first; the regional one came later
    assert response.context["result"].total == 2
    assert "Pledges as of the end of" in response.text and "31 December 2024" in response.text
    assert 'href="/pledges/"' in response.text  # back to today


def test_rows_link_to_the_pledge_entity_and_country_pages_of_the_same_day(client, registry, entity_b):
    response = client.get(EXPLORER + "?as_of=2024-12-31")

    hrefs = _hrefs(response.text)
    assert f"/pledges/{registry['nepal'].pk}/?as_of=2024-12-31" in hrefs
    assert f"/entities/{entity_b.pk}/?as_of=2024-12-31" in hrefs
    assert "/countries/NPL/?as_of=2024-12-31" in hrefs


def test_every_explorer_link_of_a_past_page_carries_the_day(client, registry):
    response = client.get(EXPLORER + "?as_of=2024-12-31&country=KEN&country=NPL&sort=title")
    result = response.context["result"]

    links = [href for href in _hrefs(response.text) if href.startswith(EXPLORER + "?")]
    assert result.chips and links
    back = {href for href in links if "as_of" not in href}
    assert back == {EXPLORER + "?" + "country=KEN&country=NPL&sort=title"}  # "back to today", the same filters
    assert all("as_of=2024-12-31" in href for href in links if href not in back)
    assert len([href for href in links if href not in back]) >= len(result.chips) + 1  # each chip, "clear all"
    assert 'name="as_of" value="2024-12-31"' in response.text  # the form keeps the day


def test_page_cursors_carry_the_day(registry):
    day = as_of_date(datetime.date(2024, 12, 31))
    result = explorer_search(params=QueryDict("as_of=2024-12-31"), as_of=day, page_size=1)

    assert result.page.next_query.startswith("?as_of=2024-12-31&after=")
    following = explorer_search(params=QueryDict(result.page.next_query[1:]), as_of=day, page_size=1)
    assert [row.title for row in following.page.object_list] == ["Kenya schools online"]
    assert following.page.previous_query == "?as_of=2024-12-31"


def test_a_bad_date_shows_today_with_the_message_and_a_400(client, registry):
    response = client.get(EXPLORER + "?as_of=yesterday")

    assert response.status_code == 400
    assert "is not a date" in response.text
    assert response.context["result"].as_of.is_today
    assert response.context["result"].total == 2  # today's: the Kenyan pledge was withdrawn
    assert response.context["filters"].querystring() == "?"  # no link of the explorer carries the bad date
    assert 'name="as_of" value=""' in response.text


def test_a_search_on_a_past_day_says_it_matches_todays_words(client, registry):
    response = client.get(EXPLORER + "?as_of=2024-12-31&q=broadband")

    assert [row.title for row in response.context["result"].page.object_list] == ["Himalayan broadband"]
    assert "as they read today" in response.text


def test_the_selection_download_holds_the_days_pledges_and_refuses_a_bad_date_by_name(client, registry):
    url = reverse("opendata:selection", args=["csv"])

    past = client.get(url + "?as_of=2024-12-31")
    bad = client.get(url + "?as_of=someday")

    assert past.status_code == 200 and past["Content-Disposition"].endswith('pledges-2024-12-31-en.csv"')
    ids = {int(line.split(",")[0]) for line in b"".join(past.streaming_content).decode().splitlines()[1:]}
    assert ids == {registry["kenya"].pk, registry["nepal"].pk}
    assert bad.status_code == 400 and bad.content.decode().startswith("as_of:")
    assert client.get(url).status_code == 200


def test_a_past_explorer_page_offers_the_downloads_of_that_day(client, registry):
    response = client.get(EXPLORER + "?as_of=2024-12-31")

    assert "download.csv?as_of=2024-12-31" in response.text
    assert "download.json?as_of=2024-12-31" in response.text


def test_the_api_lists_the_pledges_of_the_day_as_the_explorer_does(client, registry):
    body = client.get("/api/v1/pledges/?as_of=2024-12-31").json()

    assert body["as_of"] == "2024-12-31"
    assert [row["title"] for row in body["results"]] == ["Himalayan broadband", "Kenya schools online"]
    assert {row["reporting_status"] for row in body["results"]} == {"on_time"}
    withdrawn_since = client.get(f"/api/v1/pledges/{registry['kenya'].pk}/?as_of=2024-12-31")
    assert withdrawn_since.status_code == 200 and withdrawn_since.json()["title"] == "Kenya schools online"


def test_an_htmx_swap_pushes_an_address_with_the_day(client, registry):
    response = client.get(EXPLORER + "?as_of=2024-12-31&type=financial", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Push-Url"] == EXPLORER + "?as_of=2024-12-31&type=financial"
    assert "Pledges as of the end of" in response.text
