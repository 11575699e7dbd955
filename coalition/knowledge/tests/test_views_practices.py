"""The library's pages: one happy path each, and the wrong person refused on every URL."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coalition.common.asof import as_of_now
from coalition.knowledge import services
from coalition.knowledge.models import Attachment, GoodPractice
from coalition.knowledge.selectors import practices_related

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def _form(practice_fields, **extra) -> dict:
    """The practice's fields as the form posts them."""
    data = {name: value for name, value in practice_fields.items() if isinstance(value, str)}
    data.update(countries=[c.pk for c in practice_fields["countries"]], wsis_lines=[w.pk for w in practice_fields["wsis_lines"]])
    return {**data, **extra}


@pytest.fixture
def other_draft(pledger_a, pledger_fields):
    """Another draft of entity A, beside the practices the shared fixtures move along."""
    return services.practice_create(actor=pledger_a, data={**pledger_fields, "title": "Solar kiosks"})


@pytest.fixture
def attachment(draft, pledger_a):
    [row] = services.attachment_add(actor=pledger_a, practice=draft,
                                    files=[{"title": "Site survey", "file": SimpleUploadedFile("survey.pdf", PDF)}])
    return row


# --- The library ---------------------------------------------------------------------------------


def test_the_library_lists_published_practices_with_the_as_of_stamp(client, published_practice, draft):
    page = client.get(reverse("knowledge:library"), {"q": "telecentres nepal"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("knowledge:practice", args=[published_practice.pk])}"' in html
    assert "Figures as of" in html
    assert page.context["page"].paginator.count == 1  # the draft of the same title is not listed


def test_the_library_as_of_yesterday_leaves_out_today_s_practices(client, published_practice):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page = client.get(reverse("knowledge:library"), {"as_of": yesterday})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 0


def test_a_bad_date_is_a_400_naming_the_format(client, published_practice):
    page = client.get(reverse("knowledge:library"), {"as_of": "yesterday"})
    assert page.status_code == 400
    assert "YYYY-MM-DD" in page.content.decode()


def test_the_library_is_read_only(client):
    assert client.post(reverse("knowledge:library")).status_code == 405


# --- A practice's page -----------------------------------------------------------------------------


def test_a_published_practice_is_public_with_its_markdown_rendered(client, published_practice):
    page = client.get(reverse("knowledge:practice", args=[published_practice.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>Internet</strong>" in html
    assert "<li>Satellite links to post offices</li>" in html
    assert "Submit for review" not in html


@pytest.mark.parametrize("person", ["anonymous", "pledger_b", "country_focal", "newcomer"])
def test_a_draft_is_a_404_to_anyone_but_its_authors_and_reviewers(client, draft, person, request):
    user = request.getfixturevalue(person)
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(reverse("knowledge:practice", args=[draft.pk])).status_code == 404


def test_a_draft_shows_its_author_the_submit_button_and_the_reviewer_the_page(client, draft, pledger_a, reviewer):
    client.force_login(pledger_a)
    assert "Submit for review" in client.get(reverse("knowledge:practice", args=[draft.pk])).content.decode()
    client.force_login(reviewer)
    assert client.get(reverse("knowledge:practice", args=[draft.pk])).status_code == 200


def test_an_unknown_practice_is_a_404(client, db):
    assert client.get(reverse("knowledge:practice", args=[999999])).status_code == 404


# --- Sharing a practice ----------------------------------------------------------------------------


def test_a_focal_point_shares_a_practice_from_scratch(client, pledger_a, entity_a, practice_fields):
    client.force_login(pledger_a)
    assert client.get(reverse("knowledge:new")).status_code == 200
    response = client.post(reverse("knowledge:new"), _form(practice_fields, sharer=f"pledger:{entity_a.pk}"))
    practice = GoodPractice.objects.get()
    assert response.url == reverse("knowledge:practice", args=[practice.pk])
    assert (practice.entity, practice.status, practice.title) == (entity_a, "draft", practice_fields["title"])


def test_a_sharer_the_person_does_not_act_for_is_not_offered(client, pledger_a, entity_b, practice_fields):
    client.force_login(pledger_a)
    page = client.post(reverse("knowledge:new"), _form(practice_fields, sharer=f"pledger:{entity_b.pk}"))
    assert page.status_code == 200
    assert "sharer" in page.context["form"].errors
    assert not GoodPractice.objects.exists()


def test_someone_acting_for_nobody_is_told_how_to_start(client, newcomer):
    client.force_login(newcomer)
    assert client.get(reverse("knowledge:new")).status_code == 403


def test_sharing_needs_signing_in(client):
    assert client.get(reverse("knowledge:new")).status_code == 302


def test_one_click_on_an_accepted_report_opens_a_draft_practice(client, pledger_a, accepted_report):
    client.force_login(pledger_a)
    response = client.post(reverse("knowledge:from_report", args=[accepted_report.pk]))
    practice = GoodPractice.objects.get()
    assert response.url == reverse("knowledge:edit", args=[practice.pk])
    assert practice.source_report == accepted_report


@pytest.mark.parametrize("person", ["pledger_b", "member_state_focal", "reviewer"])
def test_sharing_from_someone_else_s_report_is_refused(client, accepted_report, person, request):
    client.force_login(request.getfixturevalue(person))
    assert client.post(reverse("knowledge:from_report", args=[accepted_report.pk])).status_code == 403
    assert not GoodPractice.objects.exists()


def test_sharing_from_a_report_is_a_post_and_needs_a_known_report(client, pledger_a, accepted_report):
    client.force_login(pledger_a)
    assert client.get(reverse("knowledge:from_report", args=[accepted_report.pk])).status_code == 405
    assert client.post(reverse("knowledge:from_report", args=[999999])).status_code == 404


# --- Editing, moving ----------------------------------------------------------------------------------


def test_the_author_edits_a_draft(client, draft, pledger_a, practice_fields):
    client.force_login(pledger_a)
    assert client.get(reverse("knowledge:edit", args=[draft.pk])).status_code == 200
    response = client.post(reverse("knowledge:edit", args=[draft.pk]),
                           _form(practice_fields, title="Telecentres, year two", version=draft.version))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Telecentres, year two"


def test_an_edit_error_is_shown_on_its_field(client, draft, pledger_a, practice_fields):
    client.force_login(pledger_a)
    page = client.post(reverse("knowledge:edit", args=[draft.pk]), _form(practice_fields, contact_email="nobody"))
    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["contact_email"]


def test_editing_is_refused_to_others(client, other_draft, published_practice, pledger_b):
    client.force_login(pledger_b)
    assert client.get(reverse("knowledge:edit", args=[other_draft.pk])).status_code == 404
    assert client.get(reverse("knowledge:edit", args=[published_practice.pk])).status_code == 403


def test_a_published_practice_is_not_edited(client, published_practice, pledger_a):
    client.force_login(pledger_a)
    response = client.get(reverse("knowledge:edit", args=[published_practice.pk]))
    assert response.url == reverse("knowledge:practice", args=[published_practice.pk])


def test_the_author_submits_from_the_practice_s_page(client, draft, pledger_a):
    client.force_login(pledger_a)
    client.post(reverse("knowledge:move", args=[draft.pk]), {"action": "submit"})
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_moving_is_refused_to_others(client, other_draft, published_practice, pledger_b):
    client.force_login(pledger_b)
    assert client.post(reverse("knowledge:move", args=[other_draft.pk]), {"action": "submit"}).status_code == 404
    assert client.post(reverse("knowledge:move", args=[published_practice.pk]),
                       {"action": "withdraw"}).status_code == 403
    published_practice.refresh_from_db()
    assert published_practice.status == "published"


def test_a_move_from_the_wrong_state_is_explained(client, published_practice, pledger_a):
    client.force_login(pledger_a)
    response = client.post(reverse("knowledge:move", args=[published_practice.pk]), {"action": "submit"}, follow=True)
    assert "Cannot submit for review a good practice that is published." in response.content.decode()


# --- Attachments -----------------------------------------------------------------------------------


def test_the_author_attaches_a_document(client, draft, pledger_a):
    client.force_login(pledger_a)
    assert client.get(reverse("knowledge:attachments", args=[draft.pk])).status_code == 200
    response = client.post(reverse("knowledge:attachments", args=[draft.pk]),
                           {"title": "Survey", "file": SimpleUploadedFile("survey.pdf", PDF)})
    assert response.status_code == 302
    assert Attachment.objects.get().title == "Survey"


def test_a_refused_file_is_explained_on_the_file_field(client, draft, pledger_a):
    client.force_login(pledger_a)
    page = client.post(reverse("knowledge:attachments", args=[draft.pk]),
                       {"title": "Tool", "file": SimpleUploadedFile("tool.pdf", b"MZ\x90\x00")})
    assert page.status_code == 200
    assert "does not look like a PDF" in page.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()


def test_attachments_are_refused_to_others(client, draft, attachment, pledger_b):
    client.force_login(pledger_b)
    assert client.get(reverse("knowledge:attachments", args=[draft.pk])).status_code == 404
    assert client.post(reverse("knowledge:attachments", args=[draft.pk]),
                       {"file": SimpleUploadedFile("survey.pdf", PDF)}).status_code == 404
    assert client.post(reverse("knowledge:attachment_remove", args=[draft.pk, attachment.pk])).status_code == 404
    assert Attachment.objects.count() == 1


def test_the_author_removes_an_attachment(client, draft, attachment, pledger_a):
    client.force_login(pledger_a)
    client.post(reverse("knowledge:attachment_remove", args=[draft.pk, attachment.pk]))
    assert not Attachment.objects.exists()


def test_a_published_practice_s_file_is_downloaded_by_anyone(client, attachment, draft, pledger_a, reviewer):
    services.practice_move(actor=pledger_a, practice=draft, action="submit")
    services.practice_move(actor=reviewer, practice=draft, action="publish")
    response = client.get(reverse("knowledge:attachment_file", args=[draft.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_a_draft_s_file_is_a_404_to_others(client, attachment, draft, pledger_b):
    assert client.get(reverse("knowledge:attachment_file", args=[draft.pk, attachment.pk])).status_code == 404
    client.force_login(pledger_b)
    assert client.get(reverse("knowledge:attachment_file", args=[draft.pk, attachment.pk])).status_code == 404


def test_an_attachment_of_another_practice_is_a_404(client, attachment, other_draft, pledger_a):
    client.force_login(pledger_a)
    assert client.get(reverse("knowledge:attachment_file", args=[other_draft.pk, attachment.pk])).status_code == 404
    assert client.get(reverse("knowledge:attachment_file", args=[attachment.practice_id, attachment.pk])).status_code == 200


# --- My practices, the review queue and page ---------------------------------------------------------


def test_my_practices_lists_the_author_s_drafts(client, draft, pledger_a, pledger_b):
    client.force_login(pledger_a)
    assert draft in client.get(reverse("knowledge:mine")).context["practices"]
    client.force_login(pledger_b)
    assert draft not in client.get(reverse("knowledge:mine")).context["practices"]


def test_my_practices_needs_signing_in(client):
    assert client.get(reverse("knowledge:mine")).status_code == 302


def test_a_reviewer_finds_the_practice_in_the_queue_and_publishes_it(client, submitted, reviewer):
    client.force_login(reviewer)
    queue = client.get(reverse("knowledge:review_queue"))
    assert list(queue.context["page"]) == [submitted]
    client.post(reverse("knowledge:review_queue"), {"practice": submitted.pk})
    client.post(reverse("knowledge:review", args=[submitted.pk]), {"action": "publish"})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.assigned_to) == ("published", reviewer)


def test_a_reviewer_cannot_reject_without_a_comment(client, submitted, reviewer):
    client.force_login(reviewer)
    page = client.post(reverse("knowledge:review", args=[submitted.pk]), {"action": "reject", "comment": ""})
    assert list(page.context["form"].errors) == ["comment"]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.parametrize("person", ["pledger_a", "country_focal"])
def test_the_review_pages_are_the_reviewers_only(client, submitted, person, request):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("knowledge:review_queue")).status_code == 403
    assert client.get(reverse("knowledge:review", args=[submitted.pk])).status_code == 403
    assert client.post(reverse("knowledge:review", args=[submitted.pk]), {"action": "publish"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_the_review_pages_need_signing_in_and_a_known_practice(client, reviewer):
    assert client.get(reverse("knowledge:review_queue")).status_code == 302
    client.force_login(reviewer)
    assert client.get(reverse("knowledge:review", args=[999999])).status_code == 404


# --- Hostile ids, page weight, the related-practices block ------------------------------------------


@pytest.mark.parametrize("url", ["/practices/99999999999999999999999/", "/practices/99999999999999999999999/edit/",
                                 "/practices/1/attachments/99999999999999999999999/"])
def test_ids_beyond_any_column_are_a_404(client, pledger_a, url):
    client.force_login(pledger_a)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "-1"}, {"node": "1e9"}, {"goal": "x"}, {"q": "x" * 5000},
                                    {"country": "<script>"}, {"sort": "relevance"}])
def test_garbled_library_parameters_still_give_the_library(client, published_practice, params):
    assert client.get(reverse("knowledge:library"), params).status_code == 200


def test_the_library_reads_the_same_number_of_queries_whatever_the_practices(client, pledger_a, reviewer,
                                                                           pledger_fields):
    def publish(title):
        practice = services.practice_create(actor=pledger_a, data={**pledger_fields, "title": title})
        services.practice_move(actor=pledger_a, practice=practice, action="submit")
        services.practice_move(actor=reviewer, practice=practice, action="publish")

    publish("One")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("knowledge:library"))
    for n in range(4):
        publish(f"More {n}")
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("knowledge:library")).context["page"].paginator.count == 5
    assert len(five) == len(one)


def test_the_related_block_links_each_practice_with_its_date(published_practice, countries):
    as_of = as_of_now()
    html = render_to_string("knowledge/_related.html", {
        "practices": practices_related(country=countries["NPL"], as_of=as_of), "as_of": as_of})
    assert f'href="{reverse("knowledge:practice", args=[published_practice.pk])}"' in html
    assert "Community telecentres in rural Nepal" in html
