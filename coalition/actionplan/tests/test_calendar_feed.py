"""The calendar's iCalendar feed: read back with `icalendar`, it holds one all-day event per published
activity and meeting, with stable UIDs, the page's address, the place and the description, and
follows the page's filters and `as_of`."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coalition.actionplan.models import ReviewStatus
from coalition.actionplan.tests.test_calendar_views import days, make_activity, make_meeting


@pytest.fixture(autouse=True)
def site(settings):
    settings.COALITION_SITE_URL = "https://coalition.example.org"


@pytest.fixture
def entries(reviewer, countries):
    at = timezone.now() - datetime.timedelta(days=3)
    return {
        "workshop": make_activity(title="Regional workshop on broadband policy", start=datetime.date(2026, 3, 10),
                                  end=datetime.date(2026, 3, 12), host=countries["NPL"], place="Kathmandu", online=True,
                                  at=at),
        "study": make_activity(title="Study on rural connectivity", kind="study", start=datetime.date(2025, 5, 6), at=at),
        "draft": make_activity(title="Draft", start=datetime.date(2026, 1, 1), status=ReviewStatus.SUBMITTED, at=at),
        "conference": make_meeting(reviewer, slug="ministerial-conference-2024", kind="ministerial",
                                   start=datetime.date(2024, 9, 3), end=datetime.date(2024, 9, 5),
                                   name_en="Asia-Pacific Ministerial Conference", place="Astana",
                                   summary_en="Ministers endorsed a declaration.", illustrative=True),
    }


def feed(client, **params):
    response = client.get(reverse("actionplan:calendar_ics"), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_holds_one_all_day_event_per_published_activity_and_meeting(client, entries):
    found = events(feed(client))

    workshop, study, conference = entries["workshop"], entries["study"], entries["conference"]
    assert set(found) == {f"activity-{workshop.pk}@coalition.example.org", f"activity-{study.pk}@coalition.example.org",
                          f"meeting-{conference.pk}@coalition.example.org"}
    event = found[f"activity-{workshop.pk}@coalition.example.org"]
    assert str(event["SUMMARY"]) == "Regional workshop on broadband policy"
    assert event.decoded("DTSTART") == datetime.date(2026, 3, 10)
    assert event.decoded("DTEND") == datetime.date(2026, 3, 13)  # the day after the last: DTEND is exclusive
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert str(event["URL"]) == "http://testserver" + reverse("actionplan:activity", args=[workshop.pk])
    assert str(event["LOCATION"]) == "Kathmandu, Nepal, and online"
    assert "http://testserver/activities/" in str(event["DESCRIPTION"])
    version = workshop.history.order_by("-history_date", "-history_id").first()
    assert event.decoded("LAST-MODIFIED") == version.history_date.replace(microsecond=0)  # iCalendar counts seconds
    assert event.decoded("DTSTAMP") == version.history_date.replace(microsecond=0)


def test_a_one_day_activity_ends_the_next_day(client, entries):
    event = events(feed(client))[f"activity-{entries['study'].pk}@coalition.example.org"]

    assert event.decoded("DTSTART") == datetime.date(2025, 5, 6) and event.decoded("DTEND") == datetime.date(2025, 5, 7)
    assert "LOCATION" not in event


def test_a_meeting_links_to_its_page_and_says_when_it_is_illustrative(client, entries):
    event = events(feed(client))[f"meeting-{entries['conference'].pk}@coalition.example.org"]

    assert str(event["URL"]) == "http://testserver/meetings/ministerial-conference-2024/"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Illustrative record") and "Ministers endorsed a declaration." in description
    assert str(event["LOCATION"]) == "Astana"
    assert event.decoded("DTEND") == datetime.date(2024, 9, 6)


def test_the_uids_stay_the_same_from_one_download_to_the_next(client, entries):
    assert set(events(feed(client))) == set(events(feed(client)))


def test_the_feed_follows_the_filters_of_the_query_string(client, entries):
    meetings = events(feed(client, kind="meeting"))
    nepal = events(feed(client, country="NPL"))
    in_2025 = events(feed(client, year="2025"))

    assert list(meetings) == [f"meeting-{entries['conference'].pk}@coalition.example.org"]
    assert list(nepal) == [f"activity-{entries['workshop'].pk}@coalition.example.org"]
    assert list(in_2025) == [f"activity-{entries['study'].pk}@coalition.example.org"]


def test_an_activity_published_today_is_absent_from_the_feed_as_of_yesterday(client, entries):
    today = make_activity(title="Published today", start=days(15))
    uid = f"activity-{today.pk}@coalition.example.org"

    assert uid in events(feed(client))
    assert uid not in events(feed(client, as_of=days(-1).isoformat()))


@pytest.mark.parametrize("params,message", [
    ({"kind": "party"}, "no such kind"), ({"country": "XX"}, "no country has the code"), ({"as_of": "soon"}, "is not a date"),
])
def test_a_bad_filter_or_date_is_refused_with_a_400_naming_it(client, entries, params, message):
    response = client.get(reverse("actionplan:calendar_ics"), params)

    assert response.status_code == 400 and message in response.text
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_the_feed_is_named_after_its_filters(client, entries):
    assert str(feed(client, kind="meeting", country="NPL")["X-WR-CALNAME"]) == \
        "Action plan calendar · Meetings and conferences · Nepal"
