"""The long lists of the pledge form (249 countries, 169 SDG targets) as searchable pickers, and
"add every country of a group", with and without JavaScript (the browser side is in
test_browser_pledge_pickers.py)."""

import datetime
import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from lxml import html

from coalition.pledges.models import Pledge
from coalition.pledges.services import pledge_create
from coalition.reference.models import CountryGroup, CountryGroupMembership

TOM_SELECT = "vendor/tom-select/dist/js/tom-select.popular.min.js"


@pytest.fixture
def draft(pledger_a, pledge_data):
    return pledge_create(actor=pledger_a, data=pledge_data)


def _step(client, draft, step):
    return client.get(reverse("pledges:edit", args=[draft.pk, step]))


def test_tom_select_comes_from_the_pinned_npm_package_not_a_cdn():
    package = json.loads((settings.BASE_DIR / "package.json").read_text())
    lock = json.loads((settings.BASE_DIR / "package-lock.json").read_text())

    assert package["dependencies"]["tom-select"] == lock["packages"]["node_modules/tom-select"]["version"]
    assert finders.find(TOM_SELECT) and finders.find("vendor/tom-select/dist/css/tom-select.default.min.css")


@pytest.mark.parametrize("step, field", [("beneficiaries", "beneficiary_countries"), ("alignment", "sdg_targets")])
def test_the_long_lists_are_plain_multiple_selects_marked_for_the_picker(client, pledger_a, draft, step, field):
    client.force_login(pledger_a)

    page = html.fromstring(_step(client, draft, step).content)

    select = page.get_element_by_id(f"id_{field}")
    assert select.tag == "select" and select.get("multiple") is not None  # what works without JavaScript
    assert select.get("data-picker") is not None and select.get("data-picker-hint")
    script = page.xpath("//script[contains(@src, 'pickers.js')]")[0]
    assert script.get("data-library").endswith(TOM_SELECT)
    assert not page.xpath("//script[contains(@src, '//') and not(starts-with(@src, '/'))]")  # nothing from elsewhere


def test_pages_without_a_long_list_do_not_load_the_picker(client, pledger_a, draft):
    client.force_login(pledger_a)

    for step in ("basics", "focus", "value", "targets"):
        assert "pickers.js" not in _step(client, draft, step).text
        assert "tom-select" not in _step(client, draft, step).text


@pytest.fixture
def ldcs(country_groups, countries):
    """Kenya and Nepal are LDCs; Bhutan graduated in 2023 (its membership ended)."""
    CountryGroupMembership.objects.create(group=country_groups["LDC"], country=countries["BTN"],
                                          valid_to=datetime.date(2023, 12, 13))
    return country_groups["LDC"]


def test_the_page_lists_each_group_s_members_of_today_for_the_picker(client, pledger_a, draft, ldcs, countries):
    client.force_login(pledger_a)

    page = html.fromstring(_step(client, draft, "beneficiaries").content)

    members = json.loads(page.get_element_by_id("group-members").text)
    assert sorted(members["LDC"]) == sorted([countries["KEN"].pk, countries["NPL"].pk])
    offered = {option.get("value"): option.text for option in page.get_element_by_id("id_add_group").iter("option")}
    assert offered["LDC"] == "Least developed countries"
    assert offered["ITU-AFR"] == "Africa — ITU region"


def test_without_javascript_add_these_countries_adds_today_s_members_and_saves_nothing(
        client, pledger_a, draft, ldcs, countries):
    client.force_login(pledger_a)
    before = list(draft.beneficiary_countries.all())

    response = client.post(reverse("pledges:edit", args=[draft.pk, "beneficiaries"]), {
        "scope": "multi_country", "beneficiary_countries": [countries["FRA"].pk], "add_group": "LDC", "add": "group",
    })

    assert response.status_code == 200
    page = html.fromstring(response.content)
    chosen = {o.text for o in page.get_element_by_id("id_beneficiary_countries").iter("option") if o.get("selected") is not None}
    assert chosen == {"France", "Kenya", "Nepal"}  # not Bhutan, an LDC no longer
    assert page.xpath("//input[@name='scope'][@value='multi_country']")[0].get("checked") is not None
    assert "2 countries of Least developed countries added" in response.text
    assert list(Pledge.objects.get(pk=draft.pk).beneficiary_countries.all()) == before


def test_adding_without_choosing_a_group_says_so(client, pledger_a, draft):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:edit", args=[draft.pk, "beneficiaries"]), {
        "scope": "national", "add_group": "", "add": "group"})

    assert "Choose the group whose countries to add." in response.text


def test_saving_the_step_ignores_the_group_chooser(client, pledger_a, draft, ldcs, countries):
    client.force_login(pledger_a)

    response = client.post(reverse("pledges:edit", args=[draft.pk, "beneficiaries"]), {
        "scope": "multi_country", "beneficiary_countries": [countries["KEN"].pk, countries["NPL"].pk], "add_group": "LDC",
    })

    assert response.status_code == 302
    assert set(Pledge.objects.get(pk=draft.pk).beneficiary_countries.all()) == {countries["KEN"], countries["NPL"]}


def test_regions_offered_name_their_classification(client, pledger_a, draft):
    kind = CountryGroup.Kind
    CountryGroup.objects.create(code="ITU-AFR", kind=kind.ITU_REGION, name_en="Africa", name_fr="Afrique")
    CountryGroup.objects.create(code="M49-002", kind=kind.UN_REGION, name_en="Africa", name_fr="Afrique")
    client.force_login(pledger_a)

    page = html.fromstring(_step(client, draft, "beneficiaries").content)

    labels = [label.text_content().strip() for label in page.xpath("//input[@name='beneficiary_regions']/..")]
    assert "Africa — ITU region" in labels and "Africa — M49" in labels
