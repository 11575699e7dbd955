"""The activity pages: the public page, the forms, the moves and the documents, and who is refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coalition.actionplan.models import Activity, ReviewStatus
from coalition.actionplan.services.activities import activity_document_add, participation_record
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.actionplan.tests.activity_fixtures import publish_participation, record_activity

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def draft(wg_lead, reviewer, activity_data):
    return record_activity(wg_lead, reviewer, activity_data, publish=False)


def _form(activity_data, **changes) -> dict:
    """The activity form as a browser posts it."""
    data = {**activity_data, **changes}
    return {
        "kind": data["kind"], "title": data["title"], "description": data["description"],
        "start_date": data["start_date"].isoformat(), "end_date": data["end_date"].isoformat() if data["end_date"] else "",
        "online": "on" if data["online"] else "", "place": data["place"], "host_country": "",
        "organisers": [e.pk for e in data["organisers"]], "partners": [e.pk for e in data["partners"]],
        "countries": [c.pk for c in data["countries"]], "actions": [a.pk for a in data["actions"]],
        "framework_nodes": [], "outputs": data["outputs"],
    }


def test_the_public_page_shows_the_activity_and_its_participation(client, published_activity, reviewer, countries,
                                                                   country_groups, django_assert_max_num_queries):
    publish_participation(reviewer, reviewer, published_activity, countries["NPL"], women=3, men=1)
    publish_participation(reviewer, reviewer, published_activity, countries["VUT"], other=2)
    with django_assert_max_num_queries(12):  # however many countries took part
        response = client.get(reverse("actionplan:activity", args=[published_activity.pk]))
    assert response.status_code == 200
    page = response.text
    assert published_activity.title in page and "Nepal" in page and "Figures as of" in page
    assert "Ministry of ICT, Kenya" in page and "Broadband mapping" in page
    stats = response.context["stats"]
    assert stats.total == 6 and stats.group("LLDC").participants == 4 and stats.group("SIDS").participants == 2


def test_as_of_a_day_before_publication_the_page_is_not_found(client, published_activity):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert client.get(reverse("actionplan:activity", args=[published_activity.pk]), {"as_of": yesterday}).status_code == 404


def test_a_garbled_date_shows_todays_page_with_the_error(client, published_activity):
    response = client.get(reverse("actionplan:activity", args=[published_activity.pk]), {"as_of": "yesterday"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.text


@pytest.mark.parametrize("who", [None, "pledger_a", "country_focal"])
def test_a_draft_is_not_found_for_anyone_but_its_authors_and_reviewers(client, request, draft, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("actionplan:activity", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("who", ["wg_lead", "reviewer"])
def test_the_author_and_reviewers_see_a_draft_with_what_they_may_do(client, request, draft, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("actionplan:activity", args=[draft.pk]))
    assert response.status_code == 200
    assert [move.value for move in response.context["moves"]] == ["submit", "withdraw"]


def test_an_unknown_activity_is_not_found(client):
    assert client.get(reverse("actionplan:activity", args=[999999])).status_code == 404


def test_a_reviewer_records_an_activity_through_the_form(client, reviewer, activity_data):
    client.force_login(reviewer)
    assert client.get(reverse("actionplan:activity_new")).status_code == 200
    response = client.post(reverse("actionplan:activity_new"), _form(activity_data))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == reverse("actionplan:activity", args=[activity.pk])
    assert activity.created_by == reviewer and activity.countries.count() == 2


def test_the_form_names_the_field_in_error(client, reviewer, activity_data):
    client.force_login(reviewer)
    response = client.post(reverse("actionplan:activity_new"), _form(activity_data, online=False, place=""))
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "place" in response.context["form"].errors


@pytest.mark.parametrize("who", ["pledger_a", "country_focal", "newcomer"])
def test_others_may_not_record_an_activity(client, request, who, activity_data):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("actionplan:activity_new")).status_code == 403
    assert client.post(reverse("actionplan:activity_new"), _form(activity_data)).status_code == 403


def test_signing_in_is_asked_first(client, draft):
    for url in (reverse("actionplan:activity_new"), reverse("actionplan:activity_edit", args=[draft.pk])):
        assert client.get(url).url.startswith(reverse("accounts:login"))


def test_the_author_edits_a_draft(client, wg_lead, draft, activity_data):
    client.force_login(wg_lead)
    url = reverse("actionplan:activity_edit", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**_form(activity_data, title="Renamed"), "version": "1"})
    assert response.status_code == 302 and Activity.objects.get().title == "Renamed"


def test_a_stale_edit_form_says_who_changed_what(client, wg_lead, reviewer, draft, activity_data):
    client.force_login(reviewer)
    client.post(reverse("actionplan:activity_edit", args=[draft.pk]), {**_form(activity_data, title="First"),
                                                                       "version": "1"})
    client.force_login(wg_lead)
    response = client.post(reverse("actionplan:activity_edit", args=[draft.pk]),
                           {**_form(activity_data, title="Second"), "version": "1"})
    assert response.status_code == 200 and "after you opened this page" in response.text
    assert Activity.objects.get().title == "First"


def test_editing_someone_elses_published_activity_is_refused(client, pledger_a, published_activity):
    client.force_login(pledger_a)
    assert client.get(reverse("actionplan:activity_edit", args=[published_activity.pk])).status_code == 403


def test_a_published_activity_is_not_edited_but_the_author_is_told_why(client, reviewer, published_activity):
    client.force_login(reviewer)
    response = client.get(reverse("actionplan:activity_edit", args=[published_activity.pk]))
    assert response.status_code == 302


def test_the_author_submits_and_a_reviewer_publishes_through_the_move_url(client, wg_lead, reviewer, draft):
    url = reverse("actionplan:activity_move", args=[draft.pk])
    client.force_login(wg_lead)
    assert client.post(url, {"action": "submit"}).status_code == 302
    client.force_login(reviewer)
    client.post(url, {"action": "publish"})
    assert Activity.objects.get().status == ReviewStatus.PUBLISHED


def test_a_refused_move_is_told_and_changes_nothing(client, wg_lead, draft):
    client.force_login(wg_lead)
    response = client.post(reverse("actionplan:activity_move", args=[draft.pk]), {"action": "publish"})
    assert response.status_code == 403 and Activity.objects.get().status == ReviewStatus.DRAFT


def test_the_move_url_takes_posts_only(client, wg_lead, draft):
    client.force_login(wg_lead)
    assert client.get(reverse("actionplan:activity_move", args=[draft.pk])).status_code == 405


def test_a_pledger_cannot_withdraw_a_published_activity(client, pledger_a, published_activity):
    client.force_login(pledger_a)
    response = client.post(reverse("actionplan:activity_move", args=[published_activity.pk]), {"action": "withdraw"})
    assert response.status_code == 403 and Activity.objects.get().status == ReviewStatus.PUBLISHED


def test_documents_are_added_and_removed_through_their_urls(client, wg_lead, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(wg_lead)
    url = reverse("actionplan:activity_document_add", args=[draft.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"title": "Slides", "file": SimpleUploadedFile("slides.pdf", PDF)})
    document = draft.documents.get()
    response = client.get(reverse("actionplan:activity_document_file", args=[draft.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.post(reverse("actionplan:activity_document_remove", args=[draft.pk, document.pk]))
    assert not draft.documents.exists()


def test_a_bad_file_is_refused_on_the_form(client, wg_lead, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(wg_lead)
    response = client.post(reverse("actionplan:activity_document_add", args=[draft.pk]),
                           {"title": "Slides", "file": SimpleUploadedFile("slides.pdf", b"<html>")})
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_a_draft_documents_file_is_not_found_for_the_public(client, reviewer, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = activity_document_add(actor=reviewer, activity=draft, data={
        "title": "Slides", "file": SimpleUploadedFile("slides.pdf", PDF)})
    assert client.get(reverse("actionplan:activity_document_file", args=[draft.pk, document.pk])).status_code == 404


def test_a_published_activitys_file_is_public(client, reviewer, published_activity, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = activity_document_add(actor=reviewer, activity=published_activity, data={
        "title": "Report", "file": SimpleUploadedFile("report.pdf", PDF)})
    response = client.get(reverse("actionplan:activity_document_file", args=[published_activity.pk, document.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["pledger_a", "country_focal"])
def test_others_may_not_add_or_remove_documents(client, request, who, reviewer, published_activity):
    document = activity_document_add(actor=reviewer, activity=published_activity,
                                     data={"title": "Report", "url": "https://example.org/r"})
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("actionplan:activity_document_add", args=[published_activity.pk])).status_code == 403
    response = client.post(reverse("actionplan:activity_document_remove", args=[published_activity.pk, document.pk]))
    assert response.status_code == 403 and published_activity.documents.count() == 1


def test_a_document_of_another_activity_is_not_found(client, reviewer, published_activity, draft):
    document = activity_document_add(actor=reviewer, activity=draft, data={"title": "R", "url": "https://example.org"})
    client.force_login(reviewer)
    url = reverse("actionplan:activity_document_remove", args=[published_activity.pk, document.pk])
    assert client.post(url).status_code == 404


def test_a_country_focal_point_is_invited_to_record_participation(client, country_focal, published_activity):
    client.force_login(country_focal)
    page = client.get(reverse("actionplan:activity", args=[published_activity.pk])).text
    assert reverse("actionplan:participation_new", args=[published_activity.pk]) in page


def test_once_recorded_the_focal_point_sees_their_participation_instead(client, country_focal, published_activity,
                                                                         countries):
    participation = participation_record(actor=country_focal, activity=published_activity,
                                         data={"country": countries["KEN"], "women": 1})
    client.force_login(country_focal)
    page = client.get(reverse("actionplan:activity", args=[published_activity.pk])).text
    assert reverse("actionplan:participation_edit", args=[participation.pk]) in page
    assert reverse("actionplan:participation_new", args=[published_activity.pk]) not in page


def test_the_account_page_has_the_action_plan_section(client, focal_npl, wg_lead, published_activity):
    client.force_login(focal_npl)
    page = client.get(reverse("accounts:home")).text
    assert reverse("actionplan:measure_new") in page
    # The activity was for Nepal, which has not recorded its participation yet.
    assert reverse("actionplan:participation_new", args=[published_activity.pk]) in page
    client.force_login(wg_lead)
    assert reverse("actionplan:activity_new") in client.get(reverse("accounts:home")).text


def test_a_pledger_has_no_action_plan_section(client, pledger_a):
    client.force_login(pledger_a)
    assert reverse("actionplan:activity_new") not in client.get(reverse("accounts:home")).text
