"""The pledge form's long lists in headless Chromium: countries picked by typing, a whole group
added at once, and the plain select when JavaScript is off."""

import re

import pytest
from django.urls import reverse

from coalition.pledges.models import Pledge
from coalition.pledges.services import pledge_create
from coalition.tests.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email):
    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/$"))


@pytest.fixture
def draft(pledger_a, pledge_data, country_groups):
    return pledge_create(actor=pledger_a, data={**pledge_data, "beneficiary_countries": []})


def test_countries_are_picked_by_typing_and_a_group_added_at_once(page, pledger_a, draft):
    sign_in(page, pledger_a.email)
    page.goto(reverse("pledges:edit", args=[draft.pk, "beneficiaries"]))
    page.get_by_label("Several countries").check()

    picker = page.get_by_role("combobox", name="Beneficiary countries")
    picker.fill("nép")  # accents and case do not matter
    page.locator(".ts-dropdown").get_by_role("option", name="Nepal").click()
    picker.fill("ken")
    picker.press("Enter")
    assert page.get_by_text("Type a few letters of a country").is_visible()  # the hint for the picker

    page.get_by_label("Add every country of a group").select_option(label="Small island developing States")
    page.get_by_role("button", name="Add these countries").click()
    page.get_by_text("Countries added: 1.").wait_for()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/alignment/$"))

    countries = Pledge.objects.get(pk=draft.pk).beneficiary_countries.values_list("iso3", flat=True)
    assert sorted(countries) == ["KEN", "NPL", "VUT"]


def test_without_javascript_the_plain_list_and_the_server_do_it(chromium, live_server, pledger_a, draft):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, pledger_a.email)
        page.goto(reverse("pledges:edit", args=[draft.pk, "beneficiaries"]))
        page.get_by_label("Several countries").check()
        page.get_by_label("Beneficiary countries").select_option(label="France")
        page.get_by_label("Add every country of a group").select_option(label="Least developed countries")
        page.get_by_role("button", name="Add these countries").click()
        page.get_by_text("2 countries of Least developed countries added").wait_for()
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url(re.compile(r"/alignment/$"))
    finally:
        context.close()

    countries = Pledge.objects.get(pk=draft.pk).beneficiary_countries.values_list("iso3", flat=True)
    assert sorted(countries) == ["FRA", "KEN", "NPL"]
