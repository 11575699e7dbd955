"""The admin of the plans' structure is the secretariat's, and saves through the services: a
version signed by the reviewer, the services' errors beside their fields, deliverables edited
inline, working-group leads appointed and removed."""

import pytest
from django.urls import reverse

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan, WorkingGroupLead
from coalition.actionplan.tests import plan_builders as build


@pytest.fixture
def plan(db):
    made = build.plan(build.make_apis(), "plan")
    build.action(build.pillar(made, "P1"), "1.1")
    return made


def _action_form(plan, action=None, **changes):
    pillar = plan.pillars.get()
    data = {
        "plan": plan.pk, "pillar": pillar.pk, "code": "1.1", "title_en": "Map broadband", "title_fr": "",
        "description_en": "", "description_fr": "", "start_date": "", "end_date": "", "status": "ongoing",
        "weight": "2", "order": "1", "lead": "", "continues": "",
        "deliverables-TOTAL_FORMS": "1", "deliverables-INITIAL_FORMS": "0",
        "deliverables-0-code": "D1", "deliverables-0-title_en": "Study", "deliverables-0-title_fr": "",
        "deliverables-0-due_date": "2025-06-30", "deliverables-0-weight": "1", "deliverables-0-progress": "30",
        "deliverables-0-status": "in_progress", "deliverables-0-delivered_on": "", "deliverables-0-order": "1",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", ["pledger_a", "member_state_focal"])
def test_others_do_not_reach_the_structure(client, plan, request, persona):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    client.force_login(user)

    assert client.get(reverse("admin:actionplan_plan_changelist")).status_code == 403
    assert client.get(reverse("admin:actionplan_action_change", args=[plan.actions.get().pk])).status_code == 403


def test_a_reviewer_edits_an_action_and_its_deliverables_through_the_services(client, plan, reviewer):
    client.force_login(reviewer)
    action = plan.actions.get()

    response = client.post(reverse("admin:actionplan_action_change", args=[action.pk]), _action_form(plan))

    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.title_en, action.status) == ("Map broadband", "ongoing")
    assert action.history.order_by("-history_id").first().history_user == reviewer
    deliverable = Deliverable.objects.get()
    assert (deliverable.progress, deliverable.history.get().history_user) == (30, reviewer)


def test_the_services_errors_show_beside_their_fields(client, plan, reviewer):
    client.force_login(reviewer)
    action = plan.actions.get()

    response = client.post(reverse("admin:actionplan_action_change", args=[action.pk]), _action_form(
        plan, end_date="2020-01-01", start_date="2021-01-01", **{"deliverables-0-status": "delivered"}))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"] == ["The end comes before the start."]
    assert "A delivered deliverable is 100 % done" in response.content.decode()
    assert not Deliverable.objects.exists()


def test_a_reviewer_adds_a_plan(client, db, reviewer):
    apis = build.make_apis()
    client.force_login(reviewer)

    response = client.post(reverse("admin:actionplan_plan_add"), {
        "initiative": apis.pk, "slug": "ap-is-2022-2026", "name_en": "AP-IS 2022–2026", "name_fr": "",
        "short_name": "AP-IS", "description_en": "", "description_fr": "", "start_year": "2022", "end_year": "2026",
        "endorsed_by": "", "endorsed_on": "", "endorsement_document": "", "endorsement_url": "", "source": "",
        "previous": "", "pillars-TOTAL_FORMS": "0", "pillars-INITIAL_FORMS": "0",
    })

    assert response.status_code == 302
    assert Plan.objects.get().history.get().history_user == reviewer


def test_an_action_continued_later_cannot_be_deleted_from_the_admin(client, plan, reviewer):
    later = build.plan(plan.initiative, "later", previous=plan)
    build.action(build.pillar(later, "P1"), "1.1", continues=plan.actions.get())
    client.force_login(reviewer)

    response = client.get(reverse("admin:actionplan_action_delete", args=[plan.actions.get().pk]))

    assert response.status_code == 200
    assert "actions of a later plan continuing it (1)" in response.content.decode()
    assert Action.objects.count() == 2


def test_a_pillar_with_actions_cannot_be_deleted_from_the_admin(client, plan, reviewer):
    client.force_login(reviewer)
    pillar = Pillar.objects.get()

    response = client.post(reverse("admin:actionplan_pillar_delete", args=[pillar.pk]), {"post": "yes"})

    assert "actions (1)" in response.content.decode()
    assert Pillar.objects.exists()


def test_the_plan_page_lists_its_pillars_to_a_reviewer(client, plan, reviewer):
    client.force_login(reviewer)

    response = client.get(reverse("admin:actionplan_plan_change", args=[plan.pk]))

    assert "Pillar P1" in response.content.decode()


def test_a_reviewer_appoints_and_removes_a_working_group_lead(client, plan, reviewer, pledger_a):
    client.force_login(reviewer)
    pillar = Pillar.objects.get()

    response = client.post(reverse("admin:actionplan_workinggrouplead_add"), {"pillar": pillar.pk,
                                                                             "user": pledger_a.pk})
    assert response.status_code == 302
    lead = WorkingGroupLead.objects.get()
    assert (lead.user, lead.appointed_by) == (pledger_a, reviewer)

    again = client.post(reverse("admin:actionplan_workinggrouplead_add"), {"pillar": pillar.pk, "user": pledger_a.pk})
    assert "already leads this working group" in again.content.decode()

    client.post(reverse("admin:actionplan_workinggrouplead_delete", args=[lead.pk]), {"post": "yes"})
    assert not WorkingGroupLead.objects.exists()
