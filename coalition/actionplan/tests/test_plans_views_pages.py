"""The public pages of the plans: a plan, its pillars and actions with their progress and what
it covers, the illustrative mark, continuations both ways, as of any date; wrong addresses 404
and a bad date is told, never a server error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.actionplan.models import Action, Plan
from coalition.actionplan.services.plans import plan_file_load
from coalition.actionplan.tests import plan_builders as build
from coalition.actionplan.tests.plan_builders import DATA
from coalition.common.actors import SYSTEM
from coalition.reference.models import ImportRun

YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def plans(db, entity_a, entity_b, countries):
    build.make_apis()
    for name in ("plan-2022.yaml", "plan-2027.yaml"):
        assert plan_file_load(actor=SYSTEM, path=DATA / name).status == ImportRun.Status.SUCCEEDED
    return Plan.objects.get(slug="test-2022-2026"), Plan.objects.get(slug="test-2027-2030")


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_list_shows_each_plan_with_its_progress(client, plans):
    response = client.get(reverse("actionplan:plans"))

    assert response.status_code == 200
    text = _text(response)
    assert "Test Action Plan 2022–2026" in text and "Draft Test Action Plan 2027–2030" in text
    # (2 × 53.75 + 1 × 20) / 3 = 42.5, as test_progress_rolls_up_by_weights works out
    assert "42.5%" in text
    assert "Not endorsed" in text


def test_the_plan_page_shows_its_endorsement_pillars_and_what_the_figures_cover(client, plans):
    first, second = plans

    response = client.get(reverse("actionplan:plan", args=[first.slug]))

    text = _text(response)
    assert response.status_code == 200
    assert "ESCAP/CICTSTI/2022/6" in text and '<a href="https://www.unescap.org/" rel="noopener">' in text
    assert "Working group: Connectivity for All" in text
    assert "53.8%" in text and "20.0%" in text
    assert "1 of 3 actions has no deliverables yet and is not counted." in text
    assert "3 of 4 actions counted." in text
    assert f'href="{reverse("actionplan:plan", args=[second.slug])}"' in text


def test_the_action_page_shows_its_deliverables_progress_and_the_illustrative_mark(client, plans):
    first, _second = plans

    response = client.get(reverse("actionplan:action", args=[first.slug, "1.1"]))

    text = _text(response)
    assert "Illustrative example, not the plan’s official text." in text
    assert "Map broadband infrastructure" in text and "Ministry of ICT, Kenya" in text and "Connect Telecom" in text
    assert "Bhutan" in text and "Nepal" in text
    assert "55.0%" in text  # (1 × 100 + 3 × 40) / 4
    assert "Data model" in text and "30 June 2023" in text and "14 July 2023" in text
    assert "From 2 deliverables, weighted by their weights." in text


def test_an_action_not_marked_illustrative_carries_no_mark(client, plans):
    first, _second = plans

    response = client.get(reverse("actionplan:action", args=[first.slug, "1.2"]))

    assert "Illustrative example" not in _text(response)


def test_the_continuation_shows_on_both_action_pages(client, plans):
    first, second = plans

    earlier = _text(client.get(reverse("actionplan:action", args=[first.slug, "1.1"])))
    later = _text(client.get(reverse("actionplan:action", args=[second.slug, "1.1"])))

    assert (f'Continued by <a href="{reverse("actionplan:action", args=[second.slug, "1.1"])}">1.1 '
            "“Keep the broadband map up to date”</a> in 2027–2030") in earlier
    assert (f'Continues <a href="{reverse("actionplan:action", args=[first.slug, "1.1"])}">1.1 '
            "“Map broadband infrastructure”</a> of 2022–2026") in later


def test_an_action_without_deliverables_says_it_is_not_counted(client, plans):
    first, _second = plans

    text = _text(client.get(reverse("actionplan:action", args=[first.slug, "1.3"])))

    assert "No deliverables yet: this action is not counted in its pillar’s progress." in text


def test_the_pillar_page_lists_its_actions(client, plans):
    first, _second = plans

    text = _text(client.get(reverse("actionplan:pillar", args=[first.slug, "P1"])))

    assert "Connectivity for All" in text and "Co-deploy fibre" in text and "ICT statistics" not in text
    assert "no deliverables yet, not counted" in text


def test_as_of_a_date_before_the_plan_was_loaded_the_page_says_so(client, plans):
    first, _second = plans

    response = client.get(reverse("actionplan:action", args=[first.slug, "1.1"]), {"as_of": YESTERDAY})

    assert response.status_code == 404
    assert "The platform held no record of" in _text(response)


def test_as_of_an_earlier_date_the_old_progress_shows(client, db, countries):
    plan = build.plan(build.make_apis(), "dated", when="2024-01-10")
    deliverable = build.deliverable(build.action(build.pillar(plan, "P1"), "1.1"), "D1", progress=20)
    build.update(deliverable, when="2024-06-01", progress=80)

    before = _text(client.get(reverse("actionplan:action", args=["dated", "1.1"]), {"as_of": "2024-03-01"}))
    after = _text(client.get(reverse("actionplan:action", args=["dated", "1.1"])))

    assert "20.0%" in before and "80.0%" not in before
    assert "Progress as of the end of" in before and "1 March 2024" in before
    assert "80.0%" in after


def test_a_bad_date_is_told_and_today_shown(client, plans):
    first, _second = plans

    response = client.get(reverse("actionplan:plan", args=[first.slug]), {"as_of": "yesterday"})

    assert response.status_code == 400
    assert "“yesterday” is not a date" in _text(response)


@pytest.mark.parametrize("name, args", [
    ("actionplan:plan", ["no-such-plan"]),
    ("actionplan:pillar", ["test-2022-2026", "P9"]),
    ("actionplan:action", ["test-2022-2026", "9.9"]),
    ("actionplan:action", ["no-such-plan", "1.1"]),
    ("actionplan:action_update", ["test-2022-2026", "9.9"]),
])
def test_wrong_addresses_are_not_found(client, plans, administrator, name, args):
    client.force_login(administrator)

    assert client.get(reverse(name, args=args)).status_code == 404


def test_the_pages_are_in_french_too(client, plans):
    first, _second = plans
    response = client.get("/fr" + reverse("actionplan:action", args=[first.slug, "1.1"]))

    text = _text(response)
    assert 'lang="fr"' in text
    assert "Cartographier l'infrastructure" in text or "Cartographier l&#x27;infrastructure" in text
    assert "Bhoutan" in text


def test_the_update_link_shows_only_to_those_who_may_update(client, plans, reviewer, pledger_a):
    first, _second = plans
    url = reverse("actionplan:action", args=[first.slug, "1.1"])
    update = reverse("actionplan:action_update", args=[first.slug, "1.1"])

    assert update not in client.get(url).content.decode()
    client.force_login(pledger_a)
    assert update not in client.get(url).content.decode()
    client.force_login(reviewer)
    assert update in client.get(url).content.decode()
    assert Action.objects.get(plan=first, code="1.1").pk


@pytest.mark.parametrize("name, args", [
    ("actionplan:plans", []),
    ("actionplan:plan", ["test-2022-2026"]),
    ("actionplan:pillar", ["test-2022-2026", "P1"]),
    ("actionplan:action", ["test-2022-2026", "1.1"]),
])
def test_the_pages_read_a_few_queries_whatever_the_number_of_actions(client, plans, django_assert_max_num_queries,
                                                                     name, args):
    with django_assert_max_num_queries(16):
        assert client.get(reverse(name, args=args)).status_code == 200
