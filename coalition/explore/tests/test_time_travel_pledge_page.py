"""The pledge page with `?as_of=`: the pledge as it stood at the end of that day — its title,
partners and links, the reports accepted by then and its reporting status — or a 404 that says
when it was published; a bad date shows today's page with the message and a 400."""

import datetime

import pytest
from django.urls import reverse

from coalition.explore.tests.places_fixtures import at, groups, registry  # noqa: F401 (fixtures)
from coalition.pledges.content import revision_data_load
from coalition.pledges.services import revision_publish, revision_start, revision_submit, revision_update


def _page(client, pledge, as_of=""):
    url = reverse("explore:pledge", args=[pledge.pk])
    return client.get(url + (f"?as_of={as_of}" if as_of else ""))


@pytest.fixture
def renamed(registry, pledger_b, reviewer):
    """Nepal's pledge retitled on 10 January 2025."""
    nepal = registry["nepal"]
    with at(2025, 1, 10, 10):
        revision = revision_start(actor=pledger_b, pledge=nepal, reason="A wider plan")
        revision = revision_update(actor=pledger_b, revision=revision,
                                   data={**revision_data_load(revision.data), "title": "Himalayan broadband for all"})
        revision_publish(actor=reviewer, revision=revision_submit(actor=pledger_b, revision=revision))
    return nepal


def test_the_page_shows_the_old_title_as_of_a_day_before_the_edit(client, renamed):
    before = _page(client, renamed, "2024-12-31")
    after = _page(client, renamed, "2025-01-10")
    today = _page(client, renamed)

    assert before.status_code == 200
    assert "<h1 id=\"pledge-title\">Himalayan broadband</h1>" in before.text
    assert "as it stood at the end of" in before.text and "31 December 2024" in before.text
    assert "Himalayan broadband for all" in after.text and "Himalayan broadband for all" in today.text
    assert "changed: title" not in before.text and "changed: title" in today.text


def test_the_reports_are_those_accepted_by_then(client, registry):
    nepal = registry["nepal"]
    before = _page(client, nepal, "2024-11-19")
    after = _page(client, nepal, "2024-11-20")

    assert "Two valleys connected." not in before.text and "No progress report accepted by that date." in before.text
    assert "Two valleys connected." in after.text and "delivered; $90,000 disbursed" in after.text
    assert after.context["delivery"].report is not None and after.context["reports"][0].actuals[0].actual_value == 150


def test_partners_and_countries_are_those_of_the_day_and_link_to_the_same_day(client, registry, entity_a):
    response = _page(client, registry["nepal"], "2024-12-31")

    assert [p.entity_name for p in response.context["partners"]] == [entity_a.name]
    assert f'href="/entities/{entity_a.pk}/?as_of=2024-12-31"' in response.text
    assert "/countries/NPL/?as_of=2024-12-31" in response.text


def test_the_reporting_status_is_the_days(client, registry, settings):
    nepal = registry["nepal"]
    response = _page(client, nepal, "2024-06-01")

    assert response.context["reporting_status"] == "on_time"


def test_a_pledge_withdrawn_since_is_shown_as_it_was_and_says_it_is_no_longer_published(client, registry):
    response = _page(client, registry["kenya"], "2025-01-01")

    assert response.status_code == 200 and "Kenya schools online" in response.text
    assert "It is no longer published." in response.text
    assert _page(client, registry["kenya"]).status_code == 404


def test_a_pledge_published_later_is_a_404_saying_when_it_was_published(client, registry):
    response = _page(client, registry["regional"], "2025-01-01")

    assert response.status_code == 404
    assert "This pledge was published on 1 April 2025" in response.text
    assert f"/pledges/{registry['regional'].pk}/?as_of=2025-04-01" in response.text


def test_a_pledge_never_published_is_a_plain_404(client, registry):
    assert client.get(reverse("explore:pledge", args=[999999]) + "?as_of=2025-01-01").status_code == 404


def test_a_bad_date_shows_today_with_the_message_and_a_400(client, registry):
    response = _page(client, registry["nepal"], "2025-13-01")

    assert response.status_code == 400
    assert "is not a date" in response.text and "Himalayan broadband" in response.text
    assert response.context["as_of"].is_today


def test_today_and_a_future_date_are_the_live_page(client, registry):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = _page(client, registry["nepal"], tomorrow)

    assert response.status_code == 200 and response.context["as_of"].is_today
