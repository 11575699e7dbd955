"""Steps the browser tests share: signing in and out, choosing in a searchable picker, and the
pledge form's last steps (value and dates, targets, submission)."""

import re

from coalition.tests.builders import PASSWORD


def sign_in(page, email, password=PASSWORD):
    """Sign in from the sign-in page, in English or in French."""
    page.goto("/account/login/")
    page.get_by_label(re.compile(r"^(E-mail address|Adresse électronique)")).fill(email)
    page.get_by_label(re.compile(r"^(Password|Mot de passe):?$")).fill(password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/account/$"))


def sign_out(page):
    """Sign out, and wait for the page that offers to sign in again (so the next step never races
    the sign-out)."""
    page.locator("form[action='/account/logout/'] button").click()
    page.locator("header a[href='/account/login/']").first.wait_for()


def pick(page, label, *, typed, option):
    """Choose `option` in the searchable picker (Tom Select) labelled `label`, by typing `typed`
    as a person does."""
    page.get_by_role("combobox", name=label).fill(typed)
    page.locator(".ts-dropdown").get_by_role("option", name=option).click()


def pledge_value_targets_and_submit(page, *, amount, currency, year, start, end, target, unit, value):
    """From the value step: the estimated value and dates, one target, then check and submit."""
    page.get_by_label("Estimated value").fill(amount)
    page.get_by_label("Currency").select_option(currency)
    page.get_by_label("Year the value is expressed in").fill(year)
    page.get_by_label("Start date").fill(start)
    page.get_by_label("End date").fill(end)
    page.get_by_role("button", name="Save and continue").click()

    page.locator("[name=targets-0-description]").fill(target)
    page.locator("[name=targets-0-unit]").fill(unit)
    page.locator("[name=targets-0-target_value]").fill(value)
    page.get_by_role("button", name="Save and check").click()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted.").wait_for()
