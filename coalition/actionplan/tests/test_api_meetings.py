"""The API's meetings: what the meeting page shows, as data."""

from coalition.actionplan.tests.test_meetings_views import conference  # noqa: F401 (fixture)


def test_the_meeting_list_and_detail_give_what_the_page_shows(client, conference):  # noqa: F811
    listed = client.get("/api/v1/meetings/?kind=ministerial&year=2024")

    assert listed.status_code == 200, listed.content
    [row] = listed.json()["results"]
    assert (row["slug"], row["start_date"], row["end_date"], row["host_country"]) == (
        "ministerial-conference-2024", "2024-09-03", "2024-09-05", "NPL")
    assert row["illustrative"] is True and row["page"].endswith("/meetings/ministerial-conference-2024/")
    assert client.get("/api/v1/meetings/?year=2023").json()["results"] == []

    detail = client.get("/api/v1/meetings/ministerial-conference-2024/").json()
    assert detail["agenda"] == ["Opening of the conference", "Ministerial segment"]
    assert detail["decisions"] == ["Endorsed the Astana Ministerial Declaration."]
    assert detail["countries"] == ["BTN", "VUT"]
    assert detail["documents"] == [{"symbol": "ESCAP/MCDIT/2024/1", "title": "Provisional agenda",
                                    "url": "https://example.org/agenda"}]


def test_an_unknown_meeting_is_a_problem_and_a_bad_kind_is_refused(client, conference):  # noqa: F811
    missing = client.get("/api/v1/meetings/commission-99/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/meetings/?kind=picnic").status_code == 400


def test_a_year_outside_the_calendar_is_refused_naming_the_field(client, conference):  # noqa: F811
    response = client.get("/api/v1/meetings/?year=0")

    assert response.status_code == 400
    assert "year" in str(response.json()["errors"])
