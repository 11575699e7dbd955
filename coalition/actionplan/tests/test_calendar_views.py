"""The calendar page: published activities and meetings, coming (soonest first) then past (newest
first), narrowed by kind, country and year, and as they were published on an earlier day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.actionplan.models import Activity, ReviewStatus
from coalition.actionplan.services.meetings import meeting_save
from coalition.common.versions import save_with_version

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def make_activity(*, title, start, end=None, kind="workshop", host=None, countries=(), place="", online=False,
                  at=None, status=ReviewStatus.PUBLISHED) -> Activity:
    """An activity written as the services leave it: a version at `at` (now by default), its
    countries in the same instant's version."""
    at = at or timezone.now()
    activity = Activity(kind=kind, title=title, start_date=start, end_date=end, host_country=host, place=place,
                        online=online, status=status, published_at=at if status == ReviewStatus.PUBLISHED else None)
    save_with_version(activity, actor=None, reason="recorded", at=at)
    if countries:
        activity._history_date = at
        activity.countries.set(countries)
        del activity._history_date
    return activity


def make_meeting(actor, *, slug, start, end=None, kind="committee", **fields):
    return meeting_save(actor=actor, data={"slug": slug, "kind": kind, "name_en": fields.pop("name_en", slug.title()),
                                           "start_date": start, "end_date": end, **fields})


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


@pytest.fixture
def calendar(reviewer, countries):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    return {
        "coming_workshop": make_activity(title="Coming workshop", start=days(20), host=countries["NPL"], place="Kathmandu",
                                         at=long_ago),
        "under_way": make_activity(title="Training under way", kind="training", start=days(-1), end=days(1), online=True,
                                   countries=[countries["BTN"]], at=long_ago),
        "past_study": make_activity(title="Past study", kind="study", start=datetime.date(2024, 3, 1),
                                    end=datetime.date(2024, 6, 30), at=long_ago),
        "draft": make_activity(title="Draft workshop", start=days(5), status=ReviewStatus.DRAFT, at=long_ago),
        "committee": make_meeting(reviewer, slug="cictsti-5", start=days(40), name_en="Committee, fifth session",
                                  host_country="VUT"),
        "conference": make_meeting(reviewer, slug="ministerial-conference-2024", kind="ministerial",
                                   start=datetime.date(2024, 9, 3), end=datetime.date(2024, 9, 5),
                                   name_en="Ministerial conference 2024", place="Astana", illustrative=True),
    }


def test_coming_entries_come_soonest_first_then_past_ones_newest_first(client, calendar):
    response = client.get(reverse("actionplan:calendar"))

    assert response.status_code == 200
    assert titles(response.context["coming"]) == ["Training under way", "Coming workshop", "Committee, fifth session"]
    assert titles(response.context["past"]) == ["Ministerial conference 2024", "Past study"]
    text = response.text
    assert text.index("Coming workshop") < text.index("Ministerial conference 2024")


def test_an_activity_not_published_is_not_in_the_calendar(client, calendar):
    response = client.get(reverse("actionplan:calendar"))

    assert "Draft workshop" not in response.text


def test_each_entry_shows_its_dates_place_kind_and_links_to_its_page(client, calendar):
    text = client.get(reverse("actionplan:calendar")).text

    assert reverse("actionplan:activity", args=[calendar["coming_workshop"].pk]) in text
    assert reverse("actionplan:meeting", args=["ministerial-conference-2024"]) in text
    assert "Kathmandu, Nepal" in text and "Workshop" in text and "Online" in text
    assert '<time datetime="2024-03-01">1 March</time> – <time datetime="2024-06-30">30 June 2024</time>' in text
    assert "badge--illustrative" in text


@pytest.mark.parametrize("kind,coming,past", [
    ("workshop", ["Coming workshop"], []),
    ("study", [], ["Past study"]),
    ("meeting", ["Committee, fifth session"], ["Ministerial conference 2024"]),
])
def test_the_kind_filter_keeps_one_kind_of_activity_or_the_meetings(client, calendar, kind, coming, past):
    response = client.get(reverse("actionplan:calendar"), {"kind": kind})

    assert titles(response.context["coming"]) == coming and titles(response.context["past"]) == past


def test_the_country_filter_keeps_entries_the_country_hosts_or_takes_part_in(client, calendar):
    nepal = client.get(reverse("actionplan:calendar"), {"country": "NPL"})
    bhutan = client.get(reverse("actionplan:calendar"), {"country": "btn"})
    vanuatu = client.get(reverse("actionplan:calendar"), {"country": "VUT"})

    assert titles(nepal.context["coming"]) == ["Coming workshop"] and titles(nepal.context["past"]) == []
    assert titles(bhutan.context["coming"]) == ["Training under way"]
    assert titles(vanuatu.context["coming"]) == ["Committee, fifth session"]


def test_the_country_choices_are_those_of_the_calendar(client, calendar):
    countries = client.get(reverse("actionplan:calendar")).context["countries"]

    assert sorted(country.iso3 for country in countries) == ["BTN", "NPL", "VUT"]


def test_the_year_filter_keeps_what_was_held_that_year(client, calendar):
    response = client.get(reverse("actionplan:calendar"), {"year": "2024"})

    assert titles(response.context["coming"]) == []
    assert titles(response.context["past"]) == ["Ministerial conference 2024", "Past study"]
    assert 2024 in response.context["years"]


@pytest.mark.parametrize("params,message", [
    ({"kind": "party"}, "Kind: no such kind “party”; ignored."),
    ({"country": "XXX"}, "Country: no country has the code “XXX”; ignored."),
    ({"year": "twenty"}, "Year: “twenty” is not a year; ignored."),
])
def test_a_filter_value_that_is_not_one_is_named_and_ignored(client, calendar, params, message):
    response = client.get(reverse("actionplan:calendar"), params)

    assert response.status_code == 200 and message in response.text
    assert len(response.context["coming"]) == 3


def test_an_activity_published_today_is_absent_from_the_calendar_as_of_yesterday(client, calendar, countries):
    make_activity(title="Published today", start=days(10))
    yesterday = days(-1).isoformat()

    today = client.get(reverse("actionplan:calendar"))
    then = client.get(reverse("actionplan:calendar"), {"as_of": yesterday})

    assert "Published today" in titles(today.context["coming"])
    assert "Published today" not in titles(then.context["coming"]) and "Published today" not in then.text
    assert "Committee, fifth session" not in titles(then.context["coming"])  # recorded today too
    assert "Coming workshop" in titles(then.context["coming"])


def test_an_activity_withdrawn_since_is_shown_on_a_day_it_was_published(client, calendar):
    activity = calendar["coming_workshop"]
    activity.status = ReviewStatus.WITHDRAWN
    save_with_version(activity, actor=None, reason="withdrawn", at=timezone.now())
    earlier = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()

    assert "Coming workshop" not in titles(client.get(reverse("actionplan:calendar")).context["coming"])
    assert "Coming workshop" in titles(client.get(reverse("actionplan:calendar"), {"as_of": earlier}).context["coming"])


def test_past_entries_come_a_page_at_a_time_merged_in_date_order(client, reviewer, countries):
    at = timezone.now() - datetime.timedelta(days=1)
    for n in range(20):
        make_activity(title=f"Activity {n:02}", start=datetime.date(2023, 1, 1) + datetime.timedelta(days=2 * n), at=at)
    for n in range(10):
        make_meeting(reviewer, slug=f"meeting-{n:02}", start=datetime.date(2023, 1, 2) + datetime.timedelta(days=4 * n),
                     name_en=f"Meeting {n:02}")

    first = client.get(reverse("actionplan:calendar"))
    second = client.get(reverse("actionplan:calendar"), {"page": "2"})

    shown = [*first.context["past"], *second.context["past"]]
    assert first.context["past"].paginator.count == 30 and len(second.context["past"]) == 5
    assert [entry.start for entry in shown] == sorted((entry.start for entry in shown), reverse=True)
    assert len({(entry.source, entry.pk) for entry in shown}) == 30
    assert "page=2" in first.text


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "9999"}, {"page": "-1"}, {"kind": "x" * 500},
                                    {"year": "99999999999999999999"}, {"country": "\u00e9\u00e9\u00e9"}])
def test_odd_input_never_fails(client, calendar, params):
    assert client.get(reverse("actionplan:calendar"), params).status_code == 200


def test_a_bad_date_shows_the_message_with_a_400(client, calendar):
    response = client.get(reverse("actionplan:calendar"), {"as_of": "yesterday"})

    assert response.status_code == 400 and "is not a date" in response.text
    assert len(response.context["coming"]) == 3


def test_the_page_links_to_the_feed_with_the_same_filters(client, calendar):
    response = client.get(reverse("actionplan:calendar"), {"kind": "workshop", "country": "NPL", "as_of": "2025-01-01"})

    assert response.context["feed_url"] == reverse("actionplan:calendar_ics") + "?kind=workshop&country=NPL"
    assert 'type="text/calendar"' in response.text


@pytest.mark.parametrize("name", ["actionplan:calendar", "actionplan:calendar_ics"])
def test_writing_methods_are_refused(client, calendar, name):
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.parametrize("start,end,shown", [
    (datetime.date(2024, 9, 3), datetime.date(2024, 9, 5), "3–5 September 2024"),
    (datetime.date(2022, 8, 30), datetime.date(2022, 9, 1), "30 August – 1 September 2022"),
    (datetime.date(2025, 12, 30), datetime.date(2026, 1, 2), "30 December 2025 – 2 January 2026"),
    (datetime.date(2025, 5, 6), None, "6 May 2025"),
    (datetime.date(2025, 5, 6), datetime.date(2025, 5, 6), "6 May 2025"),
])
def test_dates_are_written_as_short_as_they_read(start, end, shown):
    from django.template.loader import render_to_string
    from django.utils.html import strip_tags

    assert strip_tags(render_to_string("actionplan/calendar_dates.html", {"start": start, "end": end})).strip() == shown


def test_the_number_of_queries_does_not_grow_with_the_entries(client, reviewer, countries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("actionplan:calendar")).status_code == 200
        return len(captured)

    make_activity(title="One", start=days(3), host=countries["NPL"], countries=[countries["BTN"]])
    make_meeting(reviewer, slug="one", start=days(-30), host_country="VUT")
    few = queries()
    for n in range(12):
        make_activity(title=f"More {n}", start=days(n - 6), host=countries["KEN"], countries=[countries["FRA"]])
        make_meeting(reviewer, slug=f"more-{n}", start=days(n - 20), host_country="NPL")

    assert queries() == few
