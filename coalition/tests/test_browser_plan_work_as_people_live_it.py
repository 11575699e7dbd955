"""The action plan's side in headless Chromium, as the people of issue 16 live it: the focal
point of Nepal (a landlocked developing country) records how many Nepalis took part in a
workshop under action 1.1 and a national measure, and shares as a good practice what an accepted
progress report on a pledge for Nepal told; a reviewer publishes the three; the action's page,
Nepal's "Action plan" tab, the library searched without accents and the calendar show them, and
as of the day before none of them.

The plan, the pledge and its report are ten days old; the workshop took place last week and the
secretariat published it today, so the day before shows none of the new records."""

import datetime
import re
import textwrap

import pytest
import time_machine
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint, User
from coalition.actionplan.models import Action, NationalMeasure, Participation, ReviewStatus
from coalition.actionplan.services.activities import activity_create, activity_move
from coalition.actionplan.services.measures import measure_create, measure_move
from coalition.actionplan.services.plans import plan_file_load
from coalition.actionplan.tests.plan_builders import make_apis
from coalition.common.actors import SYSTEM
from coalition.entities.models import Entity
from coalition.explore.tests.test_browser_public_pages import blocking_violations, described, in_french
from coalition.knowledge.models import GoodPractice, SharedBy
from coalition.knowledge.services.practices import practice_create, practice_move
from coalition.reference.models import ImportRun
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests import builders
from coalition.tests.browser_steps import pick, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCAL = "focal.point@mocit.gov.np"
WORKSHOP = "Regional workshop on community broadband"
MEASURE = "Digital Nepal Framework adopted"
PLEDGE = "Connecting 40 villages of Karnali Province"
PLAN = """\
    slug: ap-is-2022-2026
    initiative: ap-is
    name_en: AP-IS Action Plan 2022–2026
    short_name: AP-IS 2022–2026
    start_year: 2022
    end_year: 2026
    pillars:
      - code: P1
        name_en: Connectivity for all
        working_group_en: Connectivity for All
        framework_node: P1
        actions:
          - code: "1.1"
            title_en: Community access to broadband
            countries: [NPL]
            status: ongoing
            illustrative: true
            deliverables:
              - {code: D1, title_en: Access survey, weight: 1, status: delivered, delivered_on: 2024-06-30}
              - {code: D2, title_en: Community centres connected, weight: 3, progress: 40, status: in_progress}
"""
# (100 × 1 + 40 × 3) / 4
ACTION_PROGRESS = "55.0%"


@pytest.fixture
def world(tmp_path, settings, country_groups, countries, currencies, initiative, reviewer, administrator):
    """Ten days ago: the plan loaded from its file, a published pledge of Nepal Telecom for Nepal
    with an accepted report telling of "télécentres communautaires". Today: the secretariat's
    workshop of last week, published; Nepal's focal point. Nepal is an LLDC in `country_groups`
    (as in reference/data/development_groups.csv)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    nepal = countries["NPL"]
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10), tick=True):
        make_apis()
        path = tmp_path / "plan.yaml"
        path.write_text(textwrap.dedent(PLAN), encoding="utf-8")
        run = plan_file_load(actor=SYSTEM, path=path)
        assert run.status == ImportRun.Status.SUCCEEDED, run.errors
        operator = Entity.objects.create(name="Nepal Telecom", entity_type=Entity.Type.PRIVATE_SECTOR,
                                         home_country=nepal)
        operator_focal = builders.make_focal_point(operator, "projects@ntc.net.np")
        today = timezone.localdate()
        pledge = builders.publish(operator_focal, reviewer, {
            **builders.pledge_fields(initiative, operator, countries), "title": PLEDGE,
            "description": "Villages two days' walk from the nearest Internet access.",
            "beneficiary_countries": [nepal],
            "start_date": today.replace(year=today.year - 2), "end_date": today.replace(year=today.year + 2),
            "targets": [{"description": "Villages connected", "unit": "villages", "target_value": "40"}],
        })
        report = report_create(actor=operator_focal, pledge=pledge, data={
            "period_end": today, "implementation_status": "on_track", "share_delivered": "60",
            "narrative": "Twenty-four télécentres communautaires opened in post offices, run by local women.\n\n"
                         "Operators trained on site.",
            "challenges": "Power cuts in winter.",
            "targets": [{"target": pledge.targets.get(), "actual_value": "24"}], "evidence": [],
        })
        report_submit(actor=operator_focal, report=report)
        report_accept(actor=reviewer, report=report, verification_level="documented")

    action = Action.objects.get(plan__slug="ap-is-2022-2026", code="1.1")
    today = timezone.localdate()
    escap = Entity.objects.create(name="ESCAP", entity_type=Entity.Type.UN_IGO)
    activity = activity_create(actor=reviewer, data={
        "kind": "workshop", "title": WORKSHOP, "description": "Two days on community networks and telecentres.",
        "start_date": today - datetime.timedelta(days=6), "end_date": today - datetime.timedelta(days=5),
        "place": "Kathmandu", "host_country": nepal, "online": False, "organisers": [escap], "partners": [],
        "countries": [nepal, countries["BTN"]], "actions": [action], "framework_nodes": [], "outputs": "",
    })
    activity_move(actor=reviewer, activity=activity, action="submit")
    activity_move(actor=reviewer, activity=activity, action="publish")

    focal = User.objects.create_user(email=FOCAL, password=builders.PASSWORD, full_name="Sita Sharma")
    CountryFocalPoint.objects.create(user=focal, country=nepal, approved_by=administrator, approved_at=timezone.now())
    return {"action": action, "activity": activity, "pledge": pledge, "nepal": nepal}


def focal_point_records_participation(page, activity):
    page.goto(f"/activities/{activity.pk}/")
    page.get_by_role("link", name="Record your country’s participation").click()
    page.get_by_label("Women").fill("7")
    page.get_by_label(re.compile(r"^Men:?$")).fill("5")
    page.get_by_label("Other or not stated").fill("1")
    page.get_by_label("Note").fill("Ministry of Communication and IT; Nepal Telecommunications Authority.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Done: submit for review.").wait_for()


def focal_point_records_measure(page):
    page.goto("/countries/NPL/action-plan/")
    page.get_by_role("link", name="Record a national measure").click()
    page.wait_for_url(re.compile(r"/measures/new/\?country=NPL$"))
    assert page.get_by_label("Country").locator("option:checked").inner_text() == "Nepal"
    page.get_by_label("Kind of measure").select_option(label="Policy or strategy")
    page.get_by_label("Title").fill(MEASURE)
    page.get_by_label("Description").fill("The government's plan for broadband in every ward by 2028.")
    page.get_by_label("Adopted or launched on").fill((timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    pick(page, "Actions of the plan", typed="1.1",
         option="AP-IS 2022–2026 · 1.1 Community access to broadband (illustrative)")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Done: submit for review.").wait_for()


def focal_point_shares_practice(page, pledge):
    page.goto(f"/pledges/{pledge.pk}/")
    reports = page.locator("section", has=page.get_by_role("heading", name="Progress reports"))
    assert "télécentres communautaires" in reports.inner_text()
    reports.get_by_role("button", name="Share as a good practice").click()
    page.get_by_role("heading", name="Edit the practice").wait_for()
    assert page.get_by_label("Title").input_value() == PLEDGE
    assert "télécentres communautaires" in page.get_by_label("What was done").input_value()
    page.get_by_label("Lessons learned").fill("Run by local women, the centres stayed open through the winter.")
    page.get_by_label("Contact person").fill("Sita Sharma")
    page.get_by_label("Contact e-mail").fill(FOCAL)
    pick(page, "Action-plan actions", typed="community", option="AP-IS 2022–2026 · 1.1 Community access to broadband")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Saved.").wait_for()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Done: submit for review.").wait_for()


def reviewer_publishes(page, *, queue, title):
    page.goto(queue)
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Done: approve and publish.").wait_for()


def library_search(page, path, words):
    """Type `words` in the library's search box at `path` and search, as a person does."""
    page.goto(path)
    search = page.get_by_role("search", name="Search the good practices")
    search.get_by_role("searchbox", name="Search").fill(words)
    search.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(rf"[?&]q={words}(&|$)"))


def main_text(page, path):
    page.goto(path)
    return page.locator("main").inner_text()


def section_text(page, heading):
    """The text of the page's section under `heading` (its whole name, or a pattern)."""
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True)).inner_text()


def test_a_focal_point_of_an_lldc_records_its_country_s_work_and_the_public_pages_show_it(page, world, reviewer):
    action, activity, pledge = world["action"], world["activity"], world["pledge"]
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    sign_in(page, FOCAL)
    focal_point_records_participation(page, activity)
    focal_point_records_measure(page)
    focal_point_shares_practice(page, pledge)
    sign_out(page)
    shared = GoodPractice.objects.get()
    assert (shared.shared_by, shared.country, shared.source_report.pledge, shared.status) == (
        SharedBy.MEMBER_STATE, world["nepal"], pledge, ReviewStatus.SUBMITTED)

    sign_in(page, reviewer.email)
    reviewer_publishes(page, queue="/review/plan/", title=WORKSHOP)
    reviewer_publishes(page, queue="/review/plan/", title=MEASURE)
    reviewer_publishes(page, queue="/review/practices/", title=PLEDGE)
    sign_out(page)
    participation, measure, practice = Participation.objects.get(), NationalMeasure.objects.get(), GoodPractice.objects.get()
    assert (participation.country, participation.women, participation.men, participation.other) == (
        world["nepal"], 7, 5, 1)
    assert participation.status == measure.status == practice.status == ReviewStatus.PUBLISHED
    assert list(measure.actions.all()) == list(practice.actions.all()) == [action]

    # Today, to anyone. The workshop's figures: Nepal's 13 people, all from an LLDC.
    page.goto(f"/activities/{activity.pk}/")
    figures = section_text(page, "Participation")
    assert "13" in figures and "LLDC" in figures and "7 women" in figures

    action_page = f"/action-plan/ap-is-2022-2026/actions/{action.code}/"
    page.goto(action_page)
    assert page.locator(".plan-progress__value").inner_text() == ACTION_PROGRESS
    assert WORKSHOP in section_text(page, "Activities under this action")
    assert PLEDGE in section_text(page, "Related good practices")

    tab = "/countries/NPL/action-plan/"
    page.goto(tab)
    rows = section_text(page, "Participation in activities")
    assert WORKSHOP in rows and re.search(r"\b7\s+5\s+1\s+13\b", rows)  # women, men, other, total
    assert MEASURE in section_text(page, "National measures")
    assert PLEDGE in section_text(page, "Good practices")

    library_search(page, "/practices/", "telecentres")  # the report said "télécentres"
    assert page.get_by_role("status").inner_text().startswith("1 practice")
    assert page.get_by_role("link", name=PLEDGE).is_visible()

    page.goto("/calendar/")
    assert WORKSHOP in section_text(page, re.compile(r"^Past \(1\)$"))

    # As of the day before, none of it: the plan and its progress were there, the records were not.
    page.goto(f"{action_page}?as_of={yesterday}")
    assert page.locator(".plan-progress__value").inner_text() == ACTION_PROGRESS
    assert "No activity under this action was published on this date." in section_text(
        page, "Activities under this action")
    assert "No published good practice yet." in section_text(page, "Related good practices")

    text = main_text(page, f"{tab}?as_of={yesterday}")
    assert WORKSHOP not in text and MEASURE not in text and PLEDGE not in text
    assert "No participation published on this date." in text
    assert "No national measure was published on this date." in text
    assert "No good practice shared by or about the country was published on this date." in text

    library_search(page, f"/practices/?as_of={yesterday}", "telecentres")
    assert f"as_of={yesterday}" in page.url
    assert page.get_by_role("status").inner_text().startswith("0 practices")
    assert page.get_by_role("link", name=PLEDGE).count() == 0

    page.goto("/calendar/")
    page.get_by_label("As published on").fill(yesterday)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(rf"as_of={yesterday}"))
    assert WORKSHOP not in page.locator("main").inner_text()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_action_plan_s_public_pages_pass_axe_in_english_and_french(page, world, reviewer, administrator, language):
    """Every kind of public page of the action plan and the library, with something on it,
    checked with axe-core for serious or critical violations, in both languages."""
    nepal, action = world["nepal"], world["action"]
    measure = measure_create(actor=administrator, data={
        "country": nepal, "kind": "policy", "title": MEASURE, "description": "Broadband in every ward by 2028.",
        "adopted_on": timezone.localdate(), "url": "", "actions": [action], "framework_nodes": []})
    measure_move(actor=administrator, measure=measure, action="submit")
    measure_move(actor=reviewer, measure=measure, action="publish")
    practice = practice_create(actor=administrator, data={
        "shared_by": "member_state", "country": nepal, "title": "Telecentres in post offices",
        "summary": "Post offices host **community** telecentres.", "problem": "Villages far from access.",
        "approach": "- Post offices host them\n- Local women run them", "results": "24 opened.",
        "lessons": "Train two people per centre.", "countries": [nepal], "actions": [action]})
    practice_move(actor=administrator, practice=practice, action="submit")
    practice_move(actor=reviewer, practice=practice, action="publish")
    paths = [
        "/action-plan/", "/action-plan/ap-is-2022-2026/", "/action-plan/ap-is-2022-2026/pillars/P1/",
        "/action-plan/ap-is-2022-2026/actions/1.1/", f"/activities/{world['activity'].pk}/",
        f"/measures/{measure.pk}/", "/calendar/", "/meetings/", "/practices/", "/practices/?q=telecentres",
        f"/practices/{practice.pk}/", "/countries/NPL/action-plan/",
    ]
    page.goto(paths[0])
    if language == "fr":
        in_french(page)
    for path in paths:
        response = page.goto(("/fr" if language == "fr" else "") + path)  # a page's language is in its address
        assert response.status == 200, f"{path}: HTTP {response.status}"
        assert page.evaluate("document.documentElement.lang") == language
        assert blocking_violations(page) == [], f"{path}\n" + described(blocking_violations(page))
