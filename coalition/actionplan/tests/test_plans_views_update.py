"""The update page of an action: the leads of its pillar's working group and the secretariat
set its status and its deliverables' progress; everyone else is refused (anonymous visitors are
sent to sign in), and invalid input is shown beside its field with nothing saved."""

import pytest
from django.urls import reverse

from coalition.actionplan.models import Deliverable
from coalition.actionplan.services.plans import working_group_lead_appoint
from coalition.actionplan.tests import plan_builders as build


@pytest.fixture
def action(db, reviewer, pledger_a, pledger_b):
    plan = build.plan(build.make_apis(), "plan")
    p1, p2 = build.pillar(plan, "P1"), build.pillar(plan, "P2")
    made = build.action(p1, "1.1")
    build.deliverable(made, "D1", progress=10)
    working_group_lead_appoint(actor=reviewer, pillar=p1, user=pledger_a)
    working_group_lead_appoint(actor=reviewer, pillar=p2, user=pledger_b)
    return made


def _url(action):
    return reverse("actionplan:action_update", args=[action.plan.slug, action.code])


def _post(client, action, **changes):
    deliverable = action.deliverables.get()
    prefix = f"deliverable-{deliverable.pk}"
    data = {"status": "ongoing", f"{prefix}-progress": "60", f"{prefix}-status": "in_progress",
            f"{prefix}-delivered_on": "", **{f"{prefix}-{k}": v for k, v in changes.items()}}
    return client.post(_url(action), data)


def test_anonymous_visitors_are_sent_to_sign_in(client, action):
    response = client.get(_url(action))

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["pledger_b", "member_state_focal"])
def test_others_are_refused(client, action, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_url(action)).status_code == 403
    assert _post(client, action).status_code == 403
    assert Deliverable.objects.get().progress == 10


def test_the_working_group_lead_sees_the_form_with_a_label_on_every_control(client, action, pledger_a):
    client.force_login(pledger_a)

    response = client.get(_url(action))

    assert response.status_code == 200
    html = response.content.decode()
    deliverable = action.deliverables.get()
    for name in ("status", f"deliverable-{deliverable.pk}-progress", f"deliverable-{deliverable.pk}-status",
                 f"deliverable-{deliverable.pk}-delivered_on"):
        assert f'<label for="id_{name}">' in html


@pytest.mark.parametrize("persona", ["pledger_a", "reviewer", "administrator"])
def test_the_lead_and_the_secretariat_save_progress(client, action, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = _post(client, action)

    assert response.status_code == 302
    assert response["Location"] == reverse("actionplan:action", args=[action.plan.slug, action.code])
    action.refresh_from_db()
    assert (action.status, action.deliverables.get().progress) == ("ongoing", 60)


def test_invalid_input_is_shown_beside_its_field_and_nothing_is_saved(client, action, pledger_a):
    client.force_login(pledger_a)

    response = _post(client, action, status="delivered", progress="50")

    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Nothing was saved: correct the fields marked below." in text
    assert "A delivered deliverable is 100 % done" in text
    assert action.deliverables.get().progress == 10


def test_a_number_out_of_range_is_refused_by_the_form(client, action, pledger_a):
    client.force_login(pledger_a)

    response = _post(client, action, progress="140")

    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert action.deliverables.get().progress == 10
