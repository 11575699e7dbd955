"""The participation pages: a country focal point records, edits and submits their country's numbers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint
from coalition.actionplan.models import Participation, ReviewStatus
from coalition.actionplan.services.activities import participation_record
from coalition.actionplan.tests.activity_fixtures import *  # noqa: F403
from coalition.actionplan.tests.activity_fixtures import record_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(country_focal, published_activity, countries):
    return participation_record(actor=country_focal, activity=published_activity,
                                data={"country": countries["KEN"], "women": 2, "men": 1})


def test_the_focal_points_only_country_is_chosen_for_them(client, country_focal, published_activity, countries):
    client.force_login(country_focal)
    response = client.get(reverse("actionplan:participation_new", args=[published_activity.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["country"].queryset) == [countries["KEN"]]
    assert response.context["form"]["country"].value() == countries["KEN"].pk


def test_a_focal_point_of_several_countries_chooses_among_theirs(client, country_focal, published_activity, countries):
    CountryFocalPoint.objects.create(user=country_focal, country=countries["VUT"], approved_at=timezone.now())
    client.force_login(country_focal)
    form = client.get(reverse("actionplan:participation_new", args=[published_activity.pk])).context["form"]
    assert set(form.fields["country"].queryset) == {countries["KEN"], countries["VUT"]}
    assert form["country"].value() is None


def test_recording_leads_to_the_participations_page(client, country_focal, published_activity, countries):
    client.force_login(country_focal)
    response = client.post(reverse("actionplan:participation_new", args=[published_activity.pk]), {
        "country": countries["KEN"].pk, "women": "4", "men": "3", "other": "0", "note": "Ministry staff"})
    participation = Participation.objects.get()
    assert response.url == reverse("actionplan:participation_edit", args=[participation.pk])
    assert (participation.women, participation.men, participation.note) == (4, 3, "Ministry staff")


def test_all_zero_is_refused_on_the_form(client, country_focal, published_activity, countries):
    client.force_login(country_focal)
    response = client.post(reverse("actionplan:participation_new", args=[published_activity.pk]), {
        "country": countries["KEN"].pk, "women": "0", "men": "0", "other": "0"})
    assert response.status_code == 200 and "women" in response.context["form"].errors


def test_a_focal_point_cannot_post_another_countrys_numbers(client, country_focal, published_activity, countries):
    client.force_login(country_focal)
    response = client.post(reverse("actionplan:participation_new", args=[published_activity.pk]), {
        "country": countries["NPL"].pk, "women": "1", "men": "0", "other": "0"})
    assert response.status_code == 200 and "country" in response.context["form"].errors
    assert not Participation.objects.exists()


def test_a_recorded_country_is_sent_to_its_record(client, country_focal, published_activity, recorded):
    client.force_login(country_focal)
    response = client.get(reverse("actionplan:participation_new", args=[published_activity.pk]))
    assert response.url == reverse("actionplan:participation_edit", args=[recorded.pk])


@pytest.mark.parametrize("who", ["pledger_a", "newcomer", "wg_lead"])
def test_people_acting_for_no_country_may_not_record(client, request, who, published_activity):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("actionplan:participation_new", args=[published_activity.pk])).status_code == 403


def test_participation_in_a_draft_activity_is_not_found(client, country_focal, reviewer, activity_data):
    draft = record_activity(reviewer, reviewer, activity_data, publish=False)
    client.force_login(country_focal)
    assert client.get(reverse("actionplan:participation_new", args=[draft.pk])).status_code == 404


def test_the_focal_point_edits_then_submits(client, country_focal, recorded):
    client.force_login(country_focal)
    url = reverse("actionplan:participation_edit", args=[recorded.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"women": "5", "men": "1", "other": "0", "note": "", "version": "1"})
    client.post(reverse("actionplan:participation_move", args=[recorded.pk]), {"action": "submit"})
    recorded.refresh_from_db()
    assert (recorded.women, recorded.status) == (5, ReviewStatus.SUBMITTED)


def test_a_submitted_participation_shows_its_numbers_and_may_be_withdrawn(client, country_focal, recorded):
    client.force_login(country_focal)
    client.post(reverse("actionplan:participation_move", args=[recorded.pk]), {"action": "submit"})
    response = client.get(reverse("actionplan:participation_edit", args=[recorded.pk]))
    assert response.context["form"] is None
    assert [move.value for move in response.context["moves"]] == ["withdraw"]
    assert client.post(reverse("actionplan:participation_edit", args=[recorded.pk]), {"women": "9"}).status_code == 403


def test_the_focal_point_cannot_publish_through_the_move_url(client, country_focal, recorded):
    client.force_login(country_focal)
    client.post(reverse("actionplan:participation_move", args=[recorded.pk]), {"action": "submit"})
    assert client.post(reverse("actionplan:participation_move", args=[recorded.pk]),
                       {"action": "publish"}).status_code == 403


@pytest.mark.parametrize("who", ["focal_npl", "pledger_a", "wg_lead"])
def test_other_people_do_not_find_a_countrys_participation(client, request, who, recorded):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("actionplan:participation_edit", args=[recorded.pk])).status_code == 404
    assert client.post(reverse("actionplan:participation_move", args=[recorded.pk]),
                       {"action": "withdraw"}).status_code == 404
    assert Participation.objects.get().status == ReviewStatus.DRAFT


def test_the_anonymous_visitor_is_asked_to_sign_in(client, recorded, published_activity):
    for url in (reverse("actionplan:participation_new", args=[published_activity.pk]),
                reverse("actionplan:participation_edit", args=[recorded.pk])):
        assert client.get(url).url.startswith(reverse("accounts:login"))
