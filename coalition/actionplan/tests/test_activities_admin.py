"""Wiring of the admin of activities, participations and national measures: read there, decided
through the services."""

import pytest
from django.urls import reverse

from coalition.actionplan.models import Activity, ActivityTransition, NationalMeasure, ReviewStatus
from coalition.actionplan.services.activities import activity_move
from coalition.actionplan.services.measures import measure_create, measure_move
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.actionplan.tests.activity_fixtures import record_activity

pytestmark = pytest.mark.django_db
LIST = "admin:actionplan_activity_changelist"


@pytest.fixture
def submitted(wg_lead, reviewer, activity_data):
    activity = record_activity(wg_lead, reviewer, activity_data, publish=False)
    return activity_move(actor=wg_lead, activity=activity, action="submit")


def _decide(client, url_name, obj, action, **extra):
    return client.post(reverse(url_name), {"action": action, "_selected_action": [obj.pk], **extra}, follow=True)


def test_the_list_and_the_read_only_page(client, administrator, submitted):
    client.force_login(administrator)
    listing = client.get(reverse(LIST), {"status__exact": "submitted"})
    page = client.get(reverse("admin:actionplan_activity_change", args=[submitted.pk]))
    assert listing.status_code == 200 and submitted.title in listing.text
    assert page.status_code == 200 and 'name="title"' not in page.text
    assert client.get(reverse("admin:actionplan_activity_add")).status_code == 403


def test_a_decision_goes_through_the_service(client, administrator, submitted):
    client.force_login(administrator)
    _decide(client, LIST, submitted, "activity_publish")
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.PUBLISHED and submitted.published_at is not None
    assert ActivityTransition.objects.filter(action="publish", actor=administrator).exists()


def test_requesting_changes_without_a_comment_changes_nothing(client, administrator, submitted):
    client.force_login(administrator)
    response = _decide(client, LIST, submitted, "activity_request_changes", comment="")
    assert "Explain the decision" in response.text
    assert Activity.objects.get().status == ReviewStatus.SUBMITTED


def test_a_measure_is_rejected_with_its_comment(client, administrator, country_focal, countries):
    measure = measure_create(actor=country_focal, data={"country": countries["KEN"], "kind": "law", "title": "ICT Act",
                                                        "description": "Amended."})
    measure_move(actor=country_focal, measure=measure, action="submit")
    client.force_login(administrator)
    _decide(client, "admin:actionplan_nationalmeasure_changelist", measure, "measure_reject", comment="Not yet adopted.")
    assert NationalMeasure.objects.get().status == ReviewStatus.REJECTED
    assert measure.transitions.get(action="reject").comment == "Not yet adopted."


def test_someone_without_the_admin_is_refused(client, pledger_a, submitted):
    client.force_login(pledger_a)
    assert client.get(reverse(LIST)).status_code == 302
