"""The national measure pages: recorded by the country's focal points, public once published."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.actionplan.models import NationalMeasure, ReviewStatus
from coalition.actionplan.services.measures import measure_create, measure_move
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(country_focal, countries):
    return measure_create(actor=country_focal, data={
        "country": countries["KEN"], "kind": "policy", "title": "Digital Kenya strategy adopted",
        "description": "Connect every county.", "adopted_on": datetime.date(2024, 5, 1)})


@pytest.fixture
def published(draft, country_focal, reviewer):
    measure_move(actor=country_focal, measure=draft, action="submit")
    return measure_move(actor=reviewer, measure=draft, action="publish")


def test_a_focal_point_records_a_measure(client, country_focal, countries, actions):
    client.force_login(country_focal)
    assert client.get(reverse("actionplan:measure_new")).status_code == 200
    response = client.post(reverse("actionplan:measure_new"), {
        "country": countries["KEN"].pk, "kind": "law", "title": "ICT Act amended", "description": "Open access.",
        "adopted_on": "2024-02-01", "url": "https://example.org/act", "actions": [actions["1.1"].pk]})
    measure = NationalMeasure.objects.get()
    assert response.url == reverse("actionplan:measure", args=[measure.pk])
    assert list(measure.actions.all()) == [actions["1.1"]]


@pytest.mark.parametrize("who", ["pledger_a", "newcomer", "wg_lead"])
def test_people_acting_for_no_country_may_not_record_a_measure(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("actionplan:measure_new")).status_code == 403


def test_a_draft_is_seen_by_its_countrys_focal_points_and_reviewers_only(client, draft, country_focal, reviewer,
                                                                        focal_npl, pledger_a):
    url = reverse("actionplan:measure", args=[draft.pk])
    assert client.get(url).status_code == 404
    for user, status in ((country_focal, 200), (reviewer, 200), (focal_npl, 404), (pledger_a, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status


def test_a_published_measure_is_public_from_its_publication_on(client, published):
    url = reverse("actionplan:measure", args=[published.pk])
    response = client.get(url)
    assert response.status_code == 200 and published.title in response.text
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert client.get(url, {"as_of": yesterday}).status_code == 404
    assert client.get(reverse("actionplan:measure", args=[999999])).status_code == 404


def test_the_focal_point_edits_and_submits(client, country_focal, draft, countries):
    client.force_login(country_focal)
    url = reverse("actionplan:measure_edit", args=[draft.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"country": countries["KEN"].pk, "kind": "policy", "title": "Renamed",
                      "description": "Connect every county.", "version": "1"})
    client.post(reverse("actionplan:measure_move", args=[draft.pk]), {"action": "submit"})
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Renamed", ReviewStatus.SUBMITTED)


def test_others_may_not_edit_or_move_a_published_measure(client, published, focal_npl):
    client.force_login(focal_npl)
    assert client.get(reverse("actionplan:measure_edit", args=[published.pk])).status_code == 403
    assert client.post(reverse("actionplan:measure_move", args=[published.pk]), {"action": "withdraw"}).status_code == 403
    assert NationalMeasure.objects.get().status == ReviewStatus.PUBLISHED


def test_others_do_not_find_a_draft_to_edit_or_move(client, draft, focal_npl):
    client.force_login(focal_npl)
    assert client.get(reverse("actionplan:measure_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("actionplan:measure_move", args=[draft.pk]), {"action": "submit"}).status_code == 404


def test_a_refused_submission_is_told(client, country_focal, draft, countries):
    NationalMeasure.objects.filter(pk=draft.pk).update(description="")
    client.force_login(country_focal)
    response = client.post(reverse("actionplan:measure_move", args=[draft.pk]), {"action": "submit"}, follow=True)
    assert "Say what the measure does" in response.text
    assert NationalMeasure.objects.get().status == ReviewStatus.DRAFT
