"""The activity services: who records an activity, what it needs, its review and its documents."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.accounts.models import Notification, User
from coalition.actionplan.models import Activity, ActivityTransition, ReviewStatus, WorkingGroupLead
from coalition.actionplan.services.activities import (
    activity_create,
    activity_document_add,
    activity_document_remove,
    activity_move,
    activity_update,
)
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.common.versions import EditConflict

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def test_a_reviewer_records_a_draft_activity_with_every_link(reviewer, activity_data, countries, entity_b, actions):
    activity = activity_create(actor=reviewer, data={**activity_data, "partners": [entity_b],
                                                     "host_country": countries["FRA"]})
    assert activity.status == ReviewStatus.DRAFT and activity.created_by == reviewer
    assert list(activity.organisers.all()) == activity_data["organisers"]
    assert list(activity.partners.all()) == [entity_b]
    assert set(activity.countries.all()) == {countries["NPL"], countries["BTN"]}
    assert list(activity.actions.all()) == [actions["1.1"]]
    version = activity.history.get()
    assert version.history_change_reason == "created" and version.history_user == reviewer
    assert {row.country_id for row in version.countries.all()} == {countries["NPL"].pk, countries["BTN"].pk}


def test_a_working_group_lead_records_an_activity(wg_lead, activity_data):
    assert activity_create(actor=wg_lead, data=activity_data).created_by == wg_lead


def test_a_pledger_cannot_record_an_activity(pledger_a, activity_data):
    with pytest.raises(PermissionDenied):
        activity_create(actor=pledger_a, data=activity_data)
    assert not Activity.objects.exists()


def test_a_country_focal_point_cannot_record_an_activity(country_focal, activity_data):
    with pytest.raises(PermissionDenied):
        activity_create(actor=country_focal, data=activity_data)


def test_dates_out_of_order_are_refused_on_the_end_date(reviewer, activity_data):
    with pytest.raises(ValidationError) as refused:
        activity_create(actor=reviewer, data={**activity_data, "end_date": datetime.date(2024, 3, 1)})
    assert "end_date" in refused.value.message_dict


def test_an_activity_is_online_or_has_a_place(reviewer, activity_data):
    with pytest.raises(ValidationError) as refused:
        activity_create(actor=reviewer, data={**activity_data, "online": False, "place": "   "})
    assert "place" in refused.value.message_dict
    assert activity_create(actor=reviewer, data={**activity_data, "online": True, "place": ""}).place == ""


def test_an_organiser_cannot_also_be_a_partner(reviewer, activity_data, entity_a):
    with pytest.raises(ValidationError) as refused:
        activity_create(actor=reviewer, data={**activity_data, "partners": [entity_a]})
    assert "partners" in refused.value.message_dict


def test_a_date_before_1990_is_refused(reviewer, activity_data):
    with pytest.raises(ValidationError) as refused:
        activity_create(actor=reviewer, data={**activity_data, "start_date": datetime.date(1980, 1, 1), "end_date": None})
    assert "start_date" in refused.value.message_dict


def test_submitting_needs_an_organiser_and_an_action(reviewer, activity_data):
    activity = activity_create(actor=reviewer, data={**activity_data, "organisers": [], "actions": []})
    with pytest.raises(ValidationError) as refused:
        activity_move(actor=reviewer, activity=activity, action="submit")
    assert {"organisers", "actions"} <= set(refused.value.message_dict)
    assert Activity.objects.get().status == ReviewStatus.DRAFT


def test_submit_then_publish_dates_both_and_logs_each_decision(wg_lead, reviewer, activity_data):
    activity = activity_create(actor=wg_lead, data=activity_data)
    activity_move(actor=wg_lead, activity=activity, action="submit")
    activity_move(actor=reviewer, activity=activity, action="publish")
    activity.refresh_from_db()
    assert activity.status == ReviewStatus.PUBLISHED
    assert activity.submitted_at is not None and activity.published_at >= activity.submitted_at
    assert list(ActivityTransition.objects.values_list("action", flat=True)) == ["submit", "publish"]


def test_a_working_group_lead_cannot_publish(wg_lead, activity_data):
    activity = activity_create(actor=wg_lead, data=activity_data)
    activity_move(actor=wg_lead, activity=activity, action="submit")
    with pytest.raises(PermissionDenied):
        activity_move(actor=wg_lead, activity=activity, action="publish")


def test_requesting_changes_needs_a_comment_and_tells_the_author(wg_lead, reviewer, activity_data,
                                                                 django_capture_on_commit_callbacks):
    activity = activity_create(actor=wg_lead, data=activity_data)
    activity_move(actor=wg_lead, activity=activity, action="submit")
    with pytest.raises(ValidationError) as refused:
        activity_move(actor=reviewer, activity=activity, action="request_changes", comment=" ")
    assert "comment" in refused.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        activity_move(actor=reviewer, activity=activity, action="request_changes", comment="Add the outputs.")
    assert Notification.objects.filter(recipient=wg_lead).count() == 1
    assert any("Add the outputs." in message.body for message in mail.outbox)


def test_a_lead_of_another_pillar_cannot_edit_someone_elses_activity(reviewer, activity_data, plan):
    other = User.objects.create_user(email="data.lead@example.org", password="x-Pass-123456")
    WorkingGroupLead.objects.create(pillar=plan.pillars.get(code="P3"), user=other, appointed_at=timezone.now())
    activity = activity_create(actor=reviewer, data=activity_data)  # serves action 1.1, pillar P1
    with pytest.raises(PermissionDenied):
        activity_update(actor=other, activity=activity, data={**activity_data, "title": "Mine now"})


def test_the_lead_of_the_pillar_edits_an_activity_serving_its_actions(reviewer, wg_lead, activity_data):
    activity = activity_create(actor=reviewer, data=activity_data)
    activity_update(actor=wg_lead, activity=activity, data={**activity_data, "title": "Renamed"})
    assert Activity.objects.get().title == "Renamed"


def test_an_edit_records_one_version_and_raises_the_edit_version(reviewer, activity_data, countries):
    activity = activity_create(actor=reviewer, data=activity_data)
    activity_update(actor=reviewer, activity=activity, data={**activity_data, "countries": [countries["VUT"]]},
                    seen_version=1)
    activity.refresh_from_db()
    assert activity.version == 2
    latest = activity.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "edited"
    assert [row.country_id for row in latest.countries.all()] == [countries["VUT"].pk]
    assert activity.history.count() == 2


def test_saving_the_same_content_writes_nothing(reviewer, activity_data):
    activity = activity_create(actor=reviewer, data=activity_data)
    activity_update(actor=reviewer, activity=activity, data=activity_data, seen_version=1)
    assert activity.history.count() == 1 and Activity.objects.get().version == 1


def test_a_save_over_a_later_change_is_refused(reviewer, wg_lead, activity_data):
    activity = activity_create(actor=reviewer, data=activity_data)
    activity_update(actor=wg_lead, activity=activity, data={**activity_data, "title": "First"}, seen_version=1)
    with pytest.raises(EditConflict):
        activity_update(actor=reviewer, activity=activity, data={**activity_data, "title": "Second"}, seen_version=1)
    assert Activity.objects.get().title == "First"


def test_a_published_activity_cannot_be_edited(published_activity, reviewer, activity_data):
    with pytest.raises(ValidationError) as refused:
        activity_update(actor=reviewer, activity=published_activity, data={**activity_data, "title": "Changed"})
    assert "status" in refused.value.message_dict


def test_an_author_withdraws_a_published_activity(published_activity, reviewer):
    activity_move(actor=reviewer, activity=published_activity, action="withdraw")
    assert Activity.objects.get().status == ReviewStatus.WITHDRAWN


def test_a_document_is_a_link_or_a_checked_file(reviewer, activity_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = activity_create(actor=reviewer, data=activity_data)
    link = activity_document_add(actor=reviewer, activity=activity, data={"title": "Agenda", "url": "https://example.org/a"})
    report = activity_document_add(actor=reviewer, activity=activity, data={
        "title": "Report", "file": SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")})
    assert link.url and not link.file
    assert report.size == len(PDF) and report.file.name.endswith(".pdf")


def test_a_renamed_program_is_refused_as_a_document(reviewer, activity_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = activity_create(actor=reviewer, data=activity_data)
    with pytest.raises(ValidationError) as refused:
        activity_document_add(actor=reviewer, activity=activity, data={
            "title": "Report", "file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00binary", content_type="application/pdf")})
    assert "file" in refused.value.message_dict
    assert not activity.documents.exists()


def test_a_document_over_the_size_limit_is_refused(reviewer, activity_data, settings, tmp_path):
    settings.MEDIA_ROOT, settings.COALITION_EVIDENCE_MAX_BYTES = tmp_path, 1024
    activity = activity_create(actor=reviewer, data=activity_data)
    with pytest.raises(ValidationError) as refused:
        activity_document_add(actor=reviewer, activity=activity, data={
            "title": "Big", "file": SimpleUploadedFile("big.pdf", PDF + b"x" * 2000)})
    assert "file" in refused.value.message_dict


def test_a_document_needs_a_link_or_a_file(reviewer, activity_data):
    activity = activity_create(actor=reviewer, data=activity_data)
    with pytest.raises(ValidationError) as refused:
        activity_document_add(actor=reviewer, activity=activity, data={"title": "Nothing"})
    assert "url" in refused.value.message_dict


def test_documents_are_added_but_not_removed_once_published(published_activity, reviewer):
    document = activity_document_add(actor=reviewer, activity=published_activity,
                                     data={"title": "Report", "url": "https://example.org/report"})
    with pytest.raises(ValidationError):
        activity_document_remove(actor=reviewer, document=document)
    assert published_activity.documents.count() == 1


def test_a_draft_document_is_removed_with_its_file(reviewer, activity_data, settings, tmp_path,
                                                   django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    activity = activity_create(actor=reviewer, data=activity_data)
    document = activity_document_add(actor=reviewer, activity=activity, data={
        "title": "Slides", "file": SimpleUploadedFile("slides.pdf", PDF)})
    stored = tmp_path / document.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        activity_document_remove(actor=reviewer, document=document)
    assert not activity.documents.exists() and not stored.exists()


def test_a_pledger_cannot_add_a_document(published_activity, pledger_a):
    with pytest.raises(PermissionDenied):
        activity_document_add(actor=pledger_a, activity=published_activity,
                              data={"title": "Spam", "url": "https://example.org"})
