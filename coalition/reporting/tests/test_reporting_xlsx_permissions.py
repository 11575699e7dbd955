import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from coalition.reference.models import ImportRun
from coalition.reporting.models import ProgressReport
from coalition.reporting.tests.reporting_xlsx_fixtures import filled, upload, uploads_kept_in_tmp  # noqa: F401
from coalition.reporting.xlsx import report_upload

PAGE, TEMPLATE = reverse("reporting:report_upload"), reverse("reporting:report_template")


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal", "reviewer", "anonymous"])
def test_only_the_entitys_focal_points_may_upload(request, persona, entity_a, published):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        report_upload(actor=actor, entity=entity_a, file=upload(filled(entity_a)))
    assert not ProgressReport.objects.exists() and not ImportRun.objects.exists()


def test_an_administrator_may_upload_for_any_entity(administrator, entity_a, published):
    assert report_upload(actor=administrator, entity=entity_a, file=upload(filled(entity_a))).status == "succeeded"


@pytest.mark.parametrize("persona", ["member_state_focal", "reviewer"])
def test_people_who_act_for_no_entity_get_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert client.get(TEMPLATE).status_code == 403


@pytest.mark.parametrize(("persona", "offered"), [("pledger_a", True), ("reviewer", False), ("member_state_focal", False)])
def test_my_pledges_offers_the_offline_workbook_only_to_those_it_would_serve(client, request, persona, offered, entity_a):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("reporting:mine"))
    assert page.status_code == 200
    assert (PAGE.encode() in page.content) is offered


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(PAGE).status_code == 302
    assert client.get(TEMPLATE).status_code == 302


def test_a_tampered_entity_id_is_refused(client, pledger_b, entity_a, published):
    client.force_login(pledger_b)
    assert client.get(TEMPLATE, {"entity": entity_a.pk}).status_code == 403
    response = client.post(PAGE, {"entity": entity_a.pk, "file": upload(filled(entity_a))})
    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_focal_point_downloads_the_template(client, pledger_a, entity_a, published):
    client.force_login(pledger_a)
    page = client.get(PAGE)
    assert page.status_code == 200 and b"Download the XLSX template" in page.content
    response = client.get(TEMPLATE, {"entity": entity_a.pk, "period_end": "2026-06-30"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    import io
    book = load_workbook(io.BytesIO(response.content))
    assert book["Reports"]["A2"].value == published.pk


def test_a_focal_point_uploads_and_sees_the_drafts_to_review(client, pledger_a, entity_a, published):
    client.force_login(pledger_a)
    response = client.post(PAGE, {"entity": entity_a.pk, "file": upload(filled(entity_a))})
    run = ImportRun.objects.get(kind="progress_reports_xlsx")
    assert response.status_code == 302 and response.url == reverse("reporting:report_upload_run", args=[run.pk])
    page = client.get(response.url)
    assert b"draft created" in page.content and reverse("reporting:mine").encode() in page.content
    assert b"Connect 500 rural schools" in page.content
    assert ProgressReport.objects.get().status == "draft"


def test_a_failed_upload_shows_its_errors(client, pledger_a, entity_a, published):
    client.force_login(pledger_a)
    response = client.post(PAGE, {"entity": entity_a.pk, "file": upload(filled(entity_a, E="forty"))}, follow=True)
    assert response.status_code == 200
    assert b"Nothing was saved" in response.content and b"Share delivered (%)" in response.content
    assert not ProgressReport.objects.exists()


def test_a_queued_upload_shows_that_it_runs_and_asks_again(client, pledger_a, entity_a, published, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(pledger_a)
    response = client.post(PAGE, {"entity": entity_a.pk, "file": upload(filled(entity_a))}, follow=True)
    run = ImportRun.objects.get(kind="progress_reports_xlsx")
    assert run.status == "running" and run.task_id and not ProgressReport.objects.exists()
    url = reverse("reporting:report_upload_run", args=[run.pk])
    assert b"Reading the file" in response.content
    assert f'hx-get="{url}"'.encode() in response.content and f'href="{url}"'.encode() in response.content
    partial = client.get(url, headers={"HX-Request": "true"})
    assert b"Reading the file" in partial.content and b"<html" not in partial.content


def test_only_who_uploaded_sees_the_upload(client, pledger_a, pledger_b, administrator, entity_a, published):
    client.force_login(pledger_a)
    url = client.post(PAGE, {"entity": entity_a.pk, "file": upload(filled(entity_a))}).url
    client.force_login(pledger_b)
    assert client.get(url).status_code == 404
    client.force_login(administrator)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_my_pledges_links_to_offline_reporting(client, pledger_a):
    client.force_login(pledger_a)
    assert PAGE.encode() in client.get(reverse("reporting:mine")).content
