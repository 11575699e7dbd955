"""Wiring of the secretariat admin: who gets in, and that writes go through the services."""

import re

import pytest
from django.urls import reverse

from coalition.pledges.content import pledge_data as current_content
from coalition.pledges.models import Pledge, PledgeTransition, Status
from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit, pledge_update


@pytest.fixture
def submitted(pledger_a, pledge_data):
    return pledge_submit(actor=pledger_a, pledge=pledge_create(actor=pledger_a, data=pledge_data))


def _action(client, action, pledges, **extra):
    return client.post(
        reverse("admin:pledges_pledge_changelist"),
        {"action": action, "_selected_action": [p.pk for p in pledges], **extra},
        follow=True,
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:pledges_pledge_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("persona", ["pledger_a", "member_state_focal"])
def test_focal_points_do_not_get_into_the_admin(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:pledges_pledge_changelist"))

    assert response.status_code == 302


def test_a_reviewer_sees_the_pledge_list_with_filters_and_search(client, reviewer, submitted):
    client.force_login(reviewer)

    response = client.get(reverse("admin:pledges_pledge_changelist"), {"q": "rural", "status__exact": "submitted"})

    assert response.status_code == 200
    assert submitted.title in response.text


def test_a_reviewer_publishes_through_the_workflow_action(client, reviewer, submitted):
    client.force_login(reviewer)

    _action(client, "workflow_publish", [submitted])

    submitted.refresh_from_db()
    assert submitted.status == Status.PUBLISHED
    assert PledgeTransition.objects.get(pledge=submitted, action="publish").actor == reviewer


def test_requesting_changes_asks_for_a_comment_first(client, reviewer, submitted):
    client.force_login(reviewer)

    response = _action(client, "workflow_request_changes", [submitted])
    assert "comment" in response.text
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED

    _action(client, "workflow_request_changes", [submitted], apply="1", comment="Please add a 2026 target.")

    submitted.refresh_from_db()
    assert submitted.status == Status.CHANGES_REQUESTED
    assert PledgeTransition.objects.get(pledge=submitted, action="request_changes").comment == "Please add a 2026 target."


def test_an_illegal_action_is_reported_and_changes_nothing(client, reviewer, pledger_a, pledge_data):
    draft = pledge_create(actor=pledger_a, data=pledge_data)
    client.force_login(reviewer)

    response = _action(client, "workflow_publish", [draft])

    assert "Cannot approve and publish a pledge that is draft" in response.text
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_administrator_adds_a_pledge_with_a_target_through_the_service(client, administrator, initiative, entity_a, countries, currencies):
    client.force_login(administrator)
    node = initiative.nodes.get(code="FA1.1")
    form = {
        "initiative": initiative.pk,
        "lead_entity": entity_a.pk,
        "title": "Train 10,000 women in digital skills",
        "description": "Community training centres.",
        "pledge_type": "programmatic",
        "framework_nodes": [node.pk],
        "scope": "national",
        "beneficiary_countries": [countries["KEN"].pk],
        "value_amount": "1000000",
        "value_currency": currencies["EUR"].pk,
        "value_year": "2022",
        "targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "0",
        "targets-0-description": "Women trained", "targets-0-unit": "people", "targets-0-target_value": "10000",
        "pledge_partners-TOTAL_FORMS": "0", "pledge_partners-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0", "transitions-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:pledges_pledge_add"), form)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    pledge = Pledge.objects.get(title="Train 10,000 women in digital skills")
    assert str(pledge.value_usd) == "1053000.00"
    assert [t.description for t in pledge.targets.all()] == ["Women trained"]
    assert pledge.history.count() == 1
    assert pledge.history.first().history_user == administrator


def test_the_admin_form_shows_service_errors_next_to_the_field(client, administrator, initiative, entity_a, countries, currencies):
    client.force_login(administrator)
    form = {
        "initiative": initiative.pk, "lead_entity": entity_a.pk, "title": "Value in a year out of range",
        "pledge_type": "financial", "scope": "national", "beneficiary_countries": [countries["KEN"].pk],
        "value_amount": "5000", "value_currency": currencies["EUR"].pk, "value_year": "1900",
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
        "pledge_partners-TOTAL_FORMS": "0", "pledge_partners-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0", "transitions-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:pledges_pledge_add"), form)

    assert response.status_code == 200
    assert "value_year" in response.context["adminform"].form.errors
    assert not Pledge.objects.exists()


def test_a_published_pledge_is_read_only_and_cannot_be_deleted_in_the_admin(client, reviewer, administrator, submitted):
    pledge_publish(actor=reviewer, pledge=submitted)
    client.force_login(administrator)

    page = client.get(reverse("admin:pledges_pledge_change", args=[submitted.pk]))
    posted = client.post(reverse("admin:pledges_pledge_change", args=[submitted.pk]), {"title": "Rewritten"})
    deleted = client.post(reverse("admin:pledges_pledge_delete", args=[submitted.pk]), {"post": "yes"})

    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert '<div class="readonly">Connect 500 rural schools</div>' in page.text
    assert posted.status_code == 403
    assert deleted.status_code == 403
    submitted.refresh_from_db()
    assert submitted.title == "Connect 500 rural schools"


def test_the_history_page_lists_each_change_with_old_and_new_values(client, reviewer, pledger_a, pledge_data):
    pledge = pledge_create(actor=pledger_a, data=pledge_data)
    data = current_content(pledge)
    data["title"] = "Connect 800 rural schools"
    pledge_update(actor=pledger_a, pledge=pledge, data=data)
    client.force_login(reviewer)

    response = client.get(reverse("admin:pledges_pledge_history", args=[pledge.pk]))

    assert response.status_code == 200
    assert "<strong>title</strong>: Connect 500 rural schools → Connect 800 rural schools" in response.text
    assert re.search(r"<td>focal\.a@example\.org</td>\s*<td>Pledge changed</td>\s*<td>edited</td>", response.text)


def test_an_unknown_country_group_in_the_list_filter_is_the_admins_error_page(
        client, administrator, submitted, country_groups):
    client.force_login(administrator)

    response = client.get(reverse("admin:pledges_pledge_changelist"), {"benefits_group": "NO-SUCH-GROUP"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("?e=1")  # Django's page for a filter it cannot apply
