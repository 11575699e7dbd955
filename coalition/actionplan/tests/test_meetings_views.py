"""The meetings' pages: a meeting's page (what it is, its agenda, documents, decisions, countries and
the pledges of its campaign as of a date), the list of meetings, and the admin that writes them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from coalition.actionplan.models import Meeting
from coalition.actionplan.services.meetings import meeting_save
from coalition.pledges.models import Campaign
from coalition.tests import builders


@pytest.fixture
def conference(reviewer, countries):
    return meeting_save(actor=reviewer, data={
        "slug": "ministerial-conference-2024", "kind": "ministerial",
        "name_en": "Asia-Pacific Ministerial Conference on Digital Inclusion and Transformation",
        "name_fr": "Conférence ministérielle Asie-Pacifique sur l'inclusion et la transformation numériques",
        "body": "ESCAP and the Government of Kazakhstan", "start_date": datetime.date(2024, 9, 3),
        "end_date": datetime.date(2024, 9, 5), "place": "Astana", "host_country": "NPL", "online": True,
        "summary_en": "Ministers endorsed a declaration.", "agenda": ["Opening of the conference", "Ministerial segment"],
        "decisions": ["Endorsed the Astana Ministerial Declaration."], "countries": ["BTN", "VUT"],
        "illustrative": True,
        "documents": [{"symbol": "ESCAP/MCDIT/2024/1", "title": "Provisional agenda", "url": "https://example.org/agenda"}],
    })


@pytest.fixture
def campaign_pledge(conference, initiative, pledger_a, reviewer, pledge_data):
    """A campaign for the conference and one pledge announced under it, published on 10 September 2024."""
    campaign = Campaign.objects.create(initiative=initiative, slug="escap-ministerial-2024", name_en="Ministerial 2024",
                                       start_date=datetime.date(2024, 9, 3))
    meeting_save(actor=reviewer, meeting=conference, data={
        **{name: getattr(conference, name) for name in ("slug", "kind", "name_en", "name_fr", "body", "start_date",
                                                        "end_date", "place", "host_country", "online", "summary_en",
                                                        "agenda", "decisions", "illustrative")},
        "countries": list(conference.countries.all()), "campaign": campaign,
    })
    with time_machine.travel(datetime.datetime(2024, 9, 10, 12, tzinfo=datetime.UTC), tick=False):
        pledge = builders.publish(pledger_a, reviewer, {**pledge_data, "campaign": campaign})
    return campaign, pledge


def test_a_meeting_page_shows_what_it_is_when_where_and_what_was_decided(client, conference):
    response = client.get(reverse("actionplan:meeting", args=["ministerial-conference-2024"]))

    assert response.status_code == 200
    text = response.text
    assert "Asia-Pacific Ministerial Conference on Digital Inclusion and Transformation" in text
    assert "Ministerial conference" in text and "ESCAP and the Government of Kazakhstan" in text
    assert '<time datetime="2024-09-03">3</time>–<time datetime="2024-09-05">5 September 2024</time>' in text
    assert "Astana" in text and reverse("explore:country", args=["NPL"]) in text and ", and online" in text
    assert "Opening of the conference" in text and "Endorsed the Astana Ministerial Declaration." in text
    assert "ESCAP/MCDIT/2024/1" in text and 'href="https://example.org/agenda"' in text
    assert reverse("explore:country", args=["BTN"]) in text and "Vanuatu" in text
    assert "Parts of this record are illustrative" in text
    assert response.context["agenda"] == ["Opening of the conference", "Ministerial segment"]


def test_a_meeting_page_reads_in_french(client, conference):
    with translation.override("fr"):
        response = client.get(reverse("actionplan:meeting", args=["ministerial-conference-2024"]), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Conférence ministérielle Asie-Pacifique sur l&#x27;inclusion et la transformation numériques" in response.text


def test_a_meeting_not_marked_illustrative_carries_no_mark(client, conference, reviewer):
    conference.illustrative = False
    Meeting.objects.filter(pk=conference.pk).update(illustrative=False)

    response = client.get(reverse("actionplan:meeting", args=["ministerial-conference-2024"]))

    assert "Parts of this record are illustrative" not in response.text and "badge--illustrative" not in response.text


@pytest.mark.parametrize("slug", ["no-such-meeting", "MINISTERIAL-CONFERENCE-2024"])
def test_an_unknown_meeting_is_not_found(client, conference, slug):
    assert client.get(reverse("actionplan:meeting", args=[slug])).status_code == 404


def test_a_path_that_is_not_a_slug_is_not_found(client, conference):
    assert client.get("/meetings/a%20b/").status_code == 404


def test_the_campaign_pledges_are_counted_as_of_the_date_with_a_link_to_the_explorer(client, campaign_pledge):
    campaign, pledge = campaign_pledge
    url = reverse("actionplan:meeting", args=["ministerial-conference-2024"])

    today = client.get(url)
    before = client.get(url, {"as_of": "2024-09-09"})

    figures = today.context["pledges"]
    assert (figures.pledges, figures.with_value, figures.awaiting_rate) == (1, 1, 0)
    assert figures.value_usd == pledge.value_usd
    assert before.context["pledges"].pledges == 0 and before.context["pledges"].value_usd == 0
    assert reverse("explore:explorer") + "?campaign=escap-ministerial-2024" in today.text
    assert "9 September 2024" in before.text


def test_a_meeting_without_a_campaign_shows_no_pledge_figures(client, conference):
    response = client.get(reverse("actionplan:meeting", args=["ministerial-conference-2024"]))

    assert response.context["pledges"] is None and "Pledges announced here" not in response.text


def test_a_bad_date_shows_the_message_with_a_400(client, conference):
    response = client.get(reverse("actionplan:meeting", args=["ministerial-conference-2024"]), {"as_of": "31/12/2024"})

    assert response.status_code == 400 and "is not a date: write it as YYYY-MM-DD" in response.text


def test_a_meeting_may_have_its_own_template_filling_the_reports_block(client, conference, tmp_path, settings):
    folder = tmp_path / "actionplan"
    folder.mkdir()
    (folder / "meeting_page_ministerial-conference-2024.html").write_text(
        '{% extends "actionplan/meeting_detail.html" %}{% block secretariat_reports_on %}'
        '<section id="reports-on">What the secretariat reports on</section>{% endblock %}')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    response = client.get(reverse("actionplan:meeting", args=["ministerial-conference-2024"]))

    assert '<section id="reports-on">What the secretariat reports on</section>' in response.text
    assert "Endorsed the Astana Ministerial Declaration." in response.text


def test_a_slug_named_like_another_template_still_shows_the_meeting_page(client, reviewer, countries):
    meeting_save(actor=reviewer, data={"slug": "list", "kind": "other", "name_en": "A meeting called list",
                                       "start_date": datetime.date(2025, 1, 1)})

    response = client.get(reverse("actionplan:meeting", args=["list"]))

    assert response.status_code == 200 and "A meeting called list" in response.text


def test_the_list_shows_coming_meetings_then_past_ones(client, conference, reviewer):
    meeting_save(actor=reviewer, data={"slug": "commission-82", "kind": "commission", "name_en": "Commission, 82nd session",
                                       "start_date": timezone.localdate() + datetime.timedelta(days=30)})

    response = client.get(reverse("actionplan:meetings"))

    assert response.status_code == 200
    assert [entry.pk for entry in response.context["coming"]] == [Meeting.objects.get(slug="commission-82").pk]
    assert [entry.pk for entry in response.context["past"]] == [conference.pk]
    assert reverse("actionplan:meeting", args=["commission-82"]) in response.text
    assert response.text.index("Commission, 82nd session") < response.text.index("Asia-Pacific Ministerial Conference")


def test_the_list_as_of_an_earlier_day_leaves_out_meetings_recorded_since(client, conference):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    response = client.get(reverse("actionplan:meetings"), {"as_of": yesterday})

    assert list(response.context["coming"]) == [] and list(response.context["past"]) == []
    assert "No meeting is recorded yet." in response.text


@pytest.mark.parametrize("name,args", [("actionplan:meetings", []), ("actionplan:meeting", ["ministerial-conference-2024"])])
def test_writing_methods_are_refused(client, conference, name, args):
    assert client.post(reverse(name, args=args)).status_code == 405


# --- The admin ------------------------------------------------------------------------------------


def admin_post(countries, **changes):
    data = {
        "kind": "steering_committee", "name_en": "AP-IS Steering Committee, ninth session", "name_fr": "", "slug": "sc-9",
        "body": "", "plan": "", "start_date": "2025-12-04", "end_date": "2025-12-05", "place": "", "host_country": "",
        "url": "", "summary_en": "", "summary_fr": "", "agenda": "Opening\nDraft plan", "decisions": "",
        "countries": [countries["NPL"].pk], "campaign": "",
        "documents-TOTAL_FORMS": "1", "documents-INITIAL_FORMS": "0", "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000", "documents-0-order": "0", "documents-0-symbol": "X/1",
        "documents-0-title": "Provisional agenda", "documents-0-url": "",
    }
    return {**data, **changes}


def test_a_reviewer_records_a_meeting_and_its_documents_in_the_admin(client, reviewer, countries):
    client.force_login(reviewer)

    response = client.post(reverse("admin:actionplan_meeting_add"), admin_post(countries))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    meeting = Meeting.objects.get(slug="sc-9")
    assert meeting.documents.get().symbol == "X/1" and list(meeting.countries.all()) == [countries["NPL"]]
    assert Meeting.history.filter(id=meeting.pk).first().history_user == reviewer


def test_the_admin_shows_the_services_errors_beside_their_fields(client, reviewer, countries):
    client.force_login(reviewer)

    response = client.post(reverse("admin:actionplan_meeting_add"), admin_post(countries, end_date="2025-12-01"))

    assert response.status_code == 200
    assert "cannot end (2025-12-01) before it starts (2025-12-04)" in response.text
    assert not Meeting.objects.exists()


def test_a_reviewer_edits_a_meeting_in_the_admin_through_the_service(client, reviewer, conference, countries):
    client.force_login(reviewer)
    url = reverse("admin:actionplan_meeting_change", args=[conference.pk])

    response = client.post(url, admin_post(countries, slug=conference.slug, **{
        "documents-INITIAL_FORMS": "0", "documents-0-title": "Declaration"}))

    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.kind == "steering_committee" and [d.title for d in conference.documents.all()] == ["Declaration"]


@pytest.mark.parametrize("persona", ["pledger_a", "country_focal"])
def test_a_pledger_or_a_focal_point_cannot_open_the_meetings_admin(client, request, persona, conference):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    client.force_login(user)

    assert client.get(reverse("admin:actionplan_meeting_changelist")).status_code == 403
    assert client.post(reverse("admin:actionplan_meeting_add"), {}).status_code == 403
    assert Meeting.objects.count() == 1
