"""The secretariat's queue and review pages for activities, participations and national measures."""

import pytest
from django.urls import reverse

from coalition.actionplan.models import Activity, NationalMeasure, Participation, ReviewStatus
from coalition.actionplan.selectors.activities import plan_review_count, plan_review_queue
from coalition.actionplan.services.activities import activity_move, participation_move, participation_record
from coalition.actionplan.services.measures import measure_create, measure_move
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.actionplan.tests.activity_fixtures import record_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(wg_lead, reviewer, country_focal, activity_data, published_activity, countries):
    """One submitted item of each kind."""
    activity = record_activity(wg_lead, reviewer, {**activity_data, "title": "Expert meeting on data"}, publish=False)
    activity_move(actor=wg_lead, activity=activity, action="submit")
    participation = participation_record(actor=country_focal, activity=published_activity,
                                         data={"country": countries["KEN"], "women": 2})
    participation_move(actor=country_focal, participation=participation, action="submit")
    measure = measure_create(actor=country_focal, data={"country": countries["KEN"], "kind": "project",
                                                        "title": "Rural towers", "description": "200 towers."})
    measure_move(actor=country_focal, measure=measure, action="submit")
    return {"activity": activity, "participation": participation, "measure": measure}


def test_the_queue_lists_the_three_kinds_oldest_first(client, reviewer, waiting):
    client.force_login(reviewer)
    response = client.get(reverse("actionplan:review_queue"))
    assert response.status_code == 200
    assert [item.obj for item in response.context["page"]] == [waiting["activity"], waiting["participation"],
                                                               waiting["measure"]]
    assert plan_review_count() == 3


def test_the_queue_filters_by_kind_and_words(client, reviewer, waiting):
    client.force_login(reviewer)
    response = client.get(reverse("actionplan:review_queue"), {"kind": "measure"})
    assert [item.obj for item in response.context["page"]] == [waiting["measure"]]
    assert [item.obj for item in plan_review_queue(reviewer=reviewer, search="towers")] == [waiting["measure"]]
    # A participation is found by its activity's title; an activity by its organisers too.
    assert [item.obj for item in plan_review_queue(reviewer=reviewer, search="broadband")] == [waiting["participation"]]
    assert [item.obj for item in plan_review_queue(reviewer=reviewer, search="ministry ict")] == [waiting["activity"]]


def test_a_reviewer_takes_an_item_in_hand_from_the_queue(client, reviewer, waiting):
    client.force_login(reviewer)
    client.post(reverse("actionplan:review_queue"), {"kind": "measure", "pk": waiting["measure"].pk})
    assert NationalMeasure.objects.get().assigned_to == reviewer
    mine = client.get(reverse("actionplan:review_queue"), {"assigned": "me"}).context["page"]
    assert [item.obj for item in mine] == [waiting["measure"]]
    assert client.post(reverse("actionplan:review_queue"), {"kind": "pledge", "pk": "1"}).status_code == 404
    assert client.post(reverse("actionplan:review_queue"), {"kind": "measure", "pk": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["pledger_a", "country_focal", "wg_lead"])
def test_only_reviewers_get_the_queue_and_the_review_pages(client, request, who, waiting):
    client.force_login(request.getfixturevalue(who))
    urls = [reverse("actionplan:review_queue"),
            reverse("actionplan:review_activity", args=[waiting["activity"].pk]),
            reverse("actionplan:review_participation", args=[waiting["participation"].pk]),
            reverse("actionplan:review_measure", args=[waiting["measure"].pk])]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "publish"}).status_code == 403
    assert Activity.objects.get(pk=waiting["activity"].pk).status == ReviewStatus.SUBMITTED


def test_the_anonymous_visitor_is_asked_to_sign_in(client, waiting):
    response = client.get(reverse("actionplan:review_queue"))
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "model"), [("review_activity", Activity), ("review_participation", Participation),
                                             ("review_measure", NationalMeasure)])
def test_a_reviewer_publishes_each_kind(client, reviewer, waiting, name, model):
    obj = waiting[name.removeprefix("review_")]
    client.force_login(reviewer)
    url = reverse(f"actionplan:{name}", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert [move.value for move in page.context["moves"]] == ["publish", "request_changes", "reject"]
    client.post(url, {"action": "publish", "comment": ""})
    assert model.objects.get(pk=obj.pk).status == ReviewStatus.PUBLISHED


def test_requesting_changes_without_a_comment_is_refused_on_the_page(client, reviewer, waiting):
    client.force_login(reviewer)
    url = reverse("actionplan:review_participation", args=[waiting["participation"].pk])
    response = client.post(url, {"action": "request_changes", "comment": ""})
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    assert Participation.objects.get(pk=waiting["participation"].pk).status == ReviewStatus.SUBMITTED
    client.post(url, {"action": "request_changes", "comment": "Count the online participants too."})
    assert Participation.objects.get(pk=waiting["participation"].pk).status == ReviewStatus.CHANGES_REQUESTED


def test_rejecting_a_measure_takes_a_comment(client, reviewer, waiting):
    client.force_login(reviewer)
    client.post(reverse("actionplan:review_measure", args=[waiting["measure"].pk]),
                {"action": "reject", "comment": "Not a national measure."})
    assert NationalMeasure.objects.get().status == ReviewStatus.REJECTED


def test_unknown_items_are_not_found(client, reviewer):
    client.force_login(reviewer)
    for name in ("review_activity", "review_participation", "review_measure"):
        assert client.get(reverse(f"actionplan:{name}", args=[999999])).status_code == 404


def test_an_unknown_action_is_refused_on_the_page(client, reviewer, waiting):
    client.force_login(reviewer)
    response = client.post(reverse("actionplan:review_activity", args=[waiting["activity"].pk]),
                           {"action": "approve", "comment": ""})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
