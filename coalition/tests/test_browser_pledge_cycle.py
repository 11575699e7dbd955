"""The whole cycle in headless Chromium, as a new user lives it: sign up, verify, join an entity,
pledge, revise on the reviewer's request, get published, and a year later report on it."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from coalition.pledges.models import Pledge, Status
from coalition.reporting.models import ProgressReport, ReportStatus, VerificationLevel
from coalition.reporting.selectors import pledge_reporting_status
from coalition.reporting.status import ReportingStatus
from coalition.tests.browser_steps import pledge_value_targets_and_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fibre-for-500-schools"


def sign_in(page, email, password):
    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/$"))


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def link_in_last_mail(to):
    message = [m for m in mail.outbox if to in m.to][-1]
    return re.search(r"https?://\S+", message.body).group(0)


def new_user_signs_up_and_joins(page, entity_a, pledger_a):
    page.goto("/account/sign-up/")
    page.get_by_label("Full name").fill("Amina Odhiambo")
    page.get_by_label("E-mail address").fill("amina@ict.go.ke")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("amina@ict.go.ke").first.wait_for()

    page.goto(link_in_last_mail("amina@ict.go.ke"))
    page.get_by_text("Your e-mail address is verified").wait_for()
    sign_in(page, "amina@ict.go.ke", PASSWORD)

    page.goto("/account/access/")
    page.get_by_label("Entity name or acronym").fill("Ministry of ICT")
    page.get_by_role("button", name="Search").click()
    page.get_by_label(str(entity_a)).check()
    page.get_by_role("button", name="Ask to join").click()
    page.get_by_text("Your request is sent").wait_for()
    sign_out(page)

    # An existing focal point of the entity approves the newcomer.
    sign_in(page, pledger_a.email, "x-Pass-123456")
    page.goto("/account/requests/")
    page.get_by_role("button", name="Approve").click()
    sign_out(page)


def pledger_submits_a_pledge(page):
    sign_in(page, "amina@ict.go.ke", PASSWORD)
    page.get_by_role("link", name="My pledges").click()
    page.goto("/pledges/new/")
    page.get_by_label("Title").fill("Connect 500 rural schools")
    page.get_by_label("Description").fill("Fibre and satellite links for rural schools in Kenya.")
    page.get_by_label("Programmatic").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Infrastructure").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("One country").check()
    # The searchable picker (Tom Select); the plain select underneath is hidden once it starts.
    page.get_by_role("combobox", name="Beneficiary countries").fill("ken")
    page.locator(".ts-dropdown").get_by_role("option", name="Kenya").click()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # SDGs and WSIS: none

    pledge_value_targets_and_submit(page, amount="250000", currency="USD", year="2025", start="2025-01-01",
                                    end="2027-12-31", target="Schools connected", unit="schools", value="500")
    return Pledge.objects.get(title="Connect 500 rural schools")


def reviewer_decides(page, reviewer, pledge, action, comment=""):
    sign_in(page, reviewer.email, "x-Pass-123456")
    page.goto("/review/pledges/")
    page.get_by_role("link", name=pledge.title).first.click()
    if comment:
        page.get_by_label("Comment to the pledger").fill(comment)
    page.get_by_role("button", name=action).click()
    page.get_by_text("Done:").wait_for()
    sign_out(page)


def test_a_new_user_pledges_gets_published_and_reports_a_year_later(page, entity_a, pledger_a, reviewer, initiative,
                                                                   currencies):
    new_user_signs_up_and_joins(page, entity_a, pledger_a)
    pledge = pledger_submits_a_pledge(page)
    sign_out(page)

    reviewer_decides(page, reviewer, pledge, "Request changes", comment="Say which counties the schools are in.")

    sign_in(page, "amina@ict.go.ke", PASSWORD)
    page.goto("/pledges/mine/")
    page.get_by_text("Say which counties the schools are in.").wait_for()
    page.goto(f"/pledges/{pledge.pk}/edit/basics/")
    page.get_by_label("Description").fill("Fibre and satellite links for 500 rural schools in Turkana and Marsabit.")
    page.get_by_role("button", name="Save draft").click()
    page.goto(f"/pledges/{pledge.pk}/preview/")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted.").wait_for()
    sign_out(page)

    reviewer_decides(page, reviewer, pledge, "Approve and publish")
    pledge.refresh_from_db()
    assert pledge.status == Status.PUBLISHED

    page.goto(f"/pledges/{pledge.pk}/")
    assert page.get_by_role("heading", name="Connect 500 rural schools").is_visible()
    assert "Turkana and Marsabit" in page.content()

    # A year later the report is due; the daily reminder job runs twice, the pledger hears once.
    a_year_later = pledge.published_at + datetime.timedelta(days=366)
    with time_machine.travel(a_year_later, tick=True):
        assert pledge_reporting_status(pledge, today=a_year_later.date()) == ReportingStatus.DUE
        mail.outbox.clear()
        call_command("reminders", "send", "--send")
        call_command("reminders", "send", "--send")
        reminders = [m for m in mail.outbox if m.to == ["amina@ict.go.ke"]]
        assert len(reminders) == 1
        assert "Progress report due: Connect 500 rural schools" in reminders[0].subject

        sign_in(page, "amina@ict.go.ke", PASSWORD)
        page.goto("/pledges/mine/")
        page.get_by_role("link", name="Report progress").click()
        page.get_by_label("Implementation status").select_option("on_track")
        page.get_by_label("Share delivered (%)").fill("40")
        page.get_by_label("Value reached").fill("212")
        page.get_by_label("What was done").fill("212 schools in Turkana connected by fibre; 40 by satellite.")
        page.get_by_role("button", name="Submit to the secretariat").click()
        page.get_by_text("Submitted").first.wait_for()
        sign_out(page)

        sign_in(page, reviewer.email, "x-Pass-123456")
        page.goto("/review/reports/")
        page.get_by_role("link", name=pledge.title).first.click()
        page.get_by_label("Documented").check()
        page.get_by_role("button", name="Accept the report").click()
        page.get_by_text("Done:").wait_for()

        report = ProgressReport.objects.get(pledge=pledge)
        assert report.status == ReportStatus.ACCEPTED
        assert report.verification_level == VerificationLevel.DOCUMENTED
        assert report.target_actuals.get().actual_value == 212
        assert pledge_reporting_status(pledge, today=a_year_later.date()) == ReportingStatus.ON_TIME
