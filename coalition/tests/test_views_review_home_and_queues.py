"""The reviewer's home counts the waiting work; both queues filter alike and take "assign to me"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.entities.models import AccessRequest
from coalition.pledges.services import pledge_assign, pledge_create, pledge_submit
from coalition.reporting.models import ProgressReport
from coalition.reporting.services import report_create, report_submit


@pytest.fixture
def work(pledger_a, reviewer, administrator, pledge_data, published, newcomer, entity_a):
    mine = pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data={**pledge_data, "title": "Mine"}))
    pledge_assign(actor=reviewer, pledge=mine, reviewer=reviewer)
    pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data={**pledge_data, "title": "Türkiye schools"}))
    report = report_create(actor=pledger_a, pledge=published, data={
        "period_end": datetime.date(timezone.localdate().year - 1, 12, 31), "implementation_status": "on_track",
        "share_delivered": "40", "narrative": "Done.", "evidence": [],
        "targets": [{"target": published.targets.get(), "actual_value": "120"}],
    })
    report_submit(actor=pledger_a, report=report)
    AccessRequest.objects.create(requester=newcomer, kind=AccessRequest.Kind.JOIN_ENTITY, entity=entity_a)
    return report


def test_the_home_counts_each_queue(client, reviewer, work):
    client.force_login(reviewer)

    response = client.get(reverse("reporting:review_home"))

    work_counts = response.context["work"]
    assert work_counts.pledges == {"waiting": 2, "mine": 1, "unassigned": 1, "with_pledgers": 0}
    assert work_counts.reports == {"waiting": 1, "mine": 0, "unassigned": 1, "with_pledgers": 0}
    assert work_counts.access_requests == 1
    assert work_counts.awaiting_rates == 0
    assert 'href="/review/pledges/?assigned=me"' in response.text


@pytest.mark.parametrize("who", ["pledger_a", "country_focal", "newcomer"])
def test_only_reviewers_see_the_home(client, request, who, work):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("reporting:review_home")).status_code == 403


def test_the_pledge_queue_finds_a_title_typed_without_accents(client, reviewer, work):
    client.force_login(reviewer)

    page = client.get(reverse("pledges:review_queue"), {"q": "turkiye"})

    assert [p.title for p in page.context["page"]] == ["Türkiye schools"]


def test_assign_to_me_from_the_pledge_queue(client, reviewer, work):
    client.force_login(reviewer)
    other = [p for p in client.get(reverse("pledges:review_queue")).context["page"] if p.assigned_to is None][0]

    response = client.post(reverse("pledges:review_queue") + "?assigned=none", {"pledge": other.pk})

    assert response["Location"] == "/review/pledges/?assigned=none"
    other.refresh_from_db()
    assert other.assigned_to == reviewer


def test_the_report_queue_filters_and_assigns_like_the_pledge_queue(client, reviewer, work):
    client.force_login(reviewer)
    queue = reverse("reporting:report_review_queue")
    assert [r.pk for r in client.get(queue, {"assigned": "none"}).context["page"]] == [work.pk]
    assert list(client.get(queue, {"assigned": "me"}).context["page"]) == []
    assert list(client.get(queue, {"q": "nothing like it"}).context["page"]) == []
    assert list(client.get(queue, {"status": "returned"}).context["page"]) == []

    client.post(queue, {"report": work.pk})

    assert ProgressReport.objects.get(pk=work.pk).assigned_to == reviewer
    assert [r.pk for r in client.get(queue, {"assigned": "me", "q": "SCHOOLS"}).context["page"]] == [work.pk]


@pytest.mark.parametrize("who", ["pledger_a", "newcomer"])
def test_only_reviewers_assign_from_the_queues(client, request, who, work):
    client.force_login(request.getfixturevalue(who))

    assert client.post(reverse("reporting:report_review_queue"), {"report": work.pk}).status_code == 403
    assert client.post(reverse("pledges:review_queue"), {"pledge": work.pledge.pk}).status_code == 403
    assert ProgressReport.objects.get(pk=work.pk).assigned_to is None


def test_the_follow_up_counts_are_kept_a_few_minutes_and_say_when_they_were_made(
    client, reviewer, work, django_assert_max_num_queries,
):
    from coalition.reporting.selectors import review_work

    today = timezone.localdate()
    first = review_work(reviewer=reviewer, today=today)
    with django_assert_max_num_queries(6):
        again = review_work(reviewer=reviewer, today=today)

    assert again.follow_up == first.follow_up and again.follow_up_at == first.follow_up_at
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review_home")).text
    assert f"Counted at {timezone.localtime(first.follow_up_at):%H:%M}" in page
