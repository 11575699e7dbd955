"""The pledge and report cycle in headless Chromium, as the people of issue 15 live it: an NGO in
Senegal signs up and pledges in CFA francs for two countries picked by typing; the reviewer asks
for changes; the NGO hears of it by e-mail, answers in the conversation and resubmits; the
reviewer sees what changed and publishes; a Kenyan operator reports shillings disbursed this year
through the XLSX workbook, with the share in a percentage cell; the figures say the amount waits
for a rate; a French-speaking reviewer reads the dates and labels in French."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from coalition.entities.models import Entity
from coalition.pledges.models import Pledge, Status
from coalition.reference.models import Country, Currency, Initiative
from coalition.reporting.models import ProgressReport, ReportStatus
from coalition.reporting.services import report_accept
from coalition.reporting.xlsx import report_template_write
from coalition.tests import builders
from coalition.tests.browser_steps import pledge_value_targets_and_submit, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Connectons-Ziguinchor-2026"
NGO = "awa.diop@jokkolabs.sn"
TODAY = timezone.localdate()


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.fixture
def setting(initiative, reviewer, currencies):
    """Senegal and its neighbour, the CFA franc and the shilling with no rate yet, a second
    initiative (so nothing is guessed for a Senegalese NGO), a Kenyan operator."""
    countries = builders.make_countries()
    countries["SEN"] = Country.objects.create(iso3="SEN", iso2="SN", numeric="686", name_en="Senegal",
                                              name_fr="Sénégal")
    countries["GMB"] = Country.objects.create(iso3="GMB", iso2="GM", numeric="270", name_en="Gambia",
                                              name_fr="Gambie")
    Currency.objects.create(code="XOF", name_en="West African CFA franc")
    Currency.objects.create(code="KES", name_en="Kenyan shilling")
    Initiative.objects.create(slug="ap-is", kind=Initiative.Kind.ACTION_PLAN, short_name="AP-IS",
                              name_en="Asia-Pacific Information Superhighway")
    operator = Entity.objects.create(name="Safaricom PLC", entity_type=Entity.Type.PRIVATE_SECTOR,
                                     home_country=countries["KEN"])
    focal = builders.make_focal_point(operator, "wanjiru@safaricom.co.ke")
    pledge = builders.publish(focal, reviewer, {
        **builders.pledge_fields(initiative, operator, countries), "title": "4G for 300 Turkana villages",
        "value_amount": "650000000", "value_currency": "KES", "value_year": 2025,
        "start_date": datetime.date(2025, 1, 1), "end_date": datetime.date(2027, 12, 31),
        "targets": [{"description": "Villages covered", "unit": "villages", "target_value": "300"}],
    })
    return {"countries": countries, "operator": operator, "operator_focal": focal, "operator_pledge": pledge}


def ngo_signs_up_and_registers(page, reviewer):
    page.goto("/account/sign-up/")
    page.get_by_label("Full name").fill("Awa Diop")
    page.get_by_label("E-mail address").fill(NGO)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_text(NGO).first.wait_for()
    page.goto(link_in(mails_to(NGO)[-1]))
    page.get_by_text("Your e-mail address is verified").wait_for()
    sign_in(page, NGO, PASSWORD)

    page.goto("/account/access/")
    page.get_by_label(re.compile(r"^Entity name:?$")).fill("Jokkolabs Dakar")
    page.locator("#new-entity").locator("..").get_by_label("Type").select_option("civil_society")
    page.get_by_label("Home country").select_option(label="Senegal")
    page.get_by_role("button", name="Ask to register").click()
    page.get_by_text("Your request is sent").wait_for()
    sign_out(page)

    sign_in(page, reviewer.email)
    page.goto("/review/")
    page.get_by_role("link", name="Access requests").click()
    page.get_by_role("button", name="Approve").click()
    sign_out(page)


def ngo_pledges_in_cfa_francs(page):
    sign_in(page, NGO, PASSWORD)
    page.get_by_role("link", name="Make a new pledge").or_(page.get_by_role("link", name="My pledges")).first.click()
    page.goto("/pledges/new/")
    assert page.get_by_label("Initiative").input_value() == ""  # nothing guessed for Senegal
    page.get_by_label("Initiative").select_option(label="Partner2Connect")
    page.get_by_label("Title").fill("Digital skills for 2,000 women in Casamance")
    page.get_by_label("Description").fill("Training centres in Ziguinchor and across the Gambian border.")
    page.get_by_label("Programmatic").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Infrastructure").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Several countries").check()
    picker = page.get_by_role("combobox", name="Beneficiary countries")
    picker.fill("séné")
    page.locator(".ts-dropdown").get_by_role("option", name="Senegal").click()
    picker.fill("gamb")
    page.locator(".ts-dropdown").get_by_role("option", name="Gambia").click()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # SDGs and WSIS: none

    pledge_value_targets_and_submit(page, amount="150000000", currency="XOF", year="2025", start="2025-03-01",
                                    end="2027-12-31", target="Women trained", unit="women", value="2000")
    sign_out(page)
    pledge = Pledge.objects.get(title="Digital skills for 2,000 women in Casamance")
    assert sorted(pledge.beneficiary_countries.values_list("iso3", flat=True)) == ["GMB", "SEN"]
    assert (pledge.value_amount, pledge.value_currency.code, pledge.value_usd) == (150_000_000, "XOF", None)
    return pledge


def reviewer_decides(page, reviewer, pledge, action, comment=""):
    sign_in(page, reviewer.email)
    page.goto("/review/pledges/")
    page.get_by_role("link", name=pledge.title).first.click()
    if comment:
        page.get_by_label("Comment to the pledger").fill(comment)
    page.get_by_role("button", name=action).click()
    page.get_by_text("Done:").wait_for()


def test_the_cycle_as_people_live_it(page, reviewer, setting):
    ngo_signs_up_and_registers(page, reviewer)
    pledge = ngo_pledges_in_cfa_francs(page)

    # The reviewer asks for changes; the NGO gets the e-mail with the comment and a link.
    mail.outbox.clear()
    reviewer_decides(page, reviewer, pledge, "Request changes", comment="Which towns besides Ziguinchor?")
    sign_out(page)
    [decision] = mails_to(NGO)
    assert decision.subject == f"Changes requested on your pledge: {pledge.title}"
    assert "Which towns besides Ziguinchor?" in decision.body

    # She follows the link, answers in the conversation, changes the description and resubmits.
    sign_in(page, NGO, PASSWORD)
    page.goto(urlsplit(link_in(decision)).path)  # the link is on COALITION_SITE_URL, not the test's server
    page.get_by_label("Your comment").fill("Ziguinchor, Bignona and Soma on the Gambian side.")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is posted").wait_for()
    assert page.get_by_text("Ziguinchor, Bignona and Soma on the Gambian side.").is_visible()
    page.goto(f"/pledges/{pledge.pk}/edit/basics/")
    page.get_by_label("Description").fill("Training centres in Ziguinchor, Bignona and Soma (The Gambia).")
    page.get_by_role("button", name="Save draft").click()
    page.goto(f"/pledges/{pledge.pk}/preview/")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted.").wait_for()
    sign_out(page)

    # The reviewer reads the answer and what changed since the first submission, and publishes.
    mail.outbox.clear()
    sign_in(page, reviewer.email)
    page.goto(f"/review/pledges/{pledge.pk}/")
    assert page.get_by_text("Ziguinchor, Bignona and Soma on the Gambian side.").is_visible()
    changes = page.locator("#resubmission-title").locator("..")
    assert "What changed since the submission of" in changes.inner_text()
    assert "Training centres in Ziguinchor, Bignona and Soma (The Gambia)." in changes.inner_text()
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Done:").wait_for()
    sign_out(page)
    pledge.refresh_from_db()
    assert pledge.status == Status.PUBLISHED
    assert [m.subject for m in mails_to(NGO)] == [f"Your pledge is published: {pledge.title}"]

    # The Kenyan operator fills the offline workbook: shillings disbursed this year, the share
    # typed in a cell formatted as a percentage.
    operator, focal, kenyan = setting["operator"], setting["operator_focal"], setting["operator_pledge"]
    path = _workbook(operator, share=0.35, shillings=48_000_000)
    sign_in(page, focal.email)
    page.goto("/reports/offline/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("These reports are drafts").wait_for()
    report = ProgressReport.objects.get(pledge=kenyan)
    assert (report.share_delivered, report.disbursed_amount, report.disbursed_year) == (35, 48_000_000, TODAY.year)
    assert report.disbursed_usd is None  # no shilling rate: kept as stated, pending a rate
    page.goto(f"/reports/{report.pk}/")
    page.get_by_role("button", name="Submit to the secretariat").click()
    page.get_by_text("Submitted").first.wait_for()
    sign_out(page)
    report_accept(actor=reviewer, report=ProgressReport.objects.get(pk=report.pk), verification_level="documented")
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED

    # The figures show the shillings as waiting for a rate, not as zero and not silently.
    page.goto(f"/pledges/{kenyan.pk}/")
    assert "USD pending a rate" in page.content()
    page.goto("/")
    page.goto("/dashboard/")
    assert "awaits an exchange rate" in page.content()
    assert "KES" in page.locator("text=awaits an exchange rate").first.inner_text()

    # A French-speaking reviewer reads the review page in French: full month names, labels.
    relecteur = builders.make_reviewer_named("relectrice@example.org", language="fr")
    sign_in(page, relecteur.email)
    page.goto(f"/fr/review/pledges/{pledge.pk}/")
    text = page.locator("main").inner_text()
    month = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"][timezone.localdate().month - 1]
    assert f"{timezone.localdate().day} {month} {timezone.localdate().year}" in text
    assert "Publié" in text and "Modifications demandées" in text
    assert "Conversation" in text and "Ziguinchor, Bignona and Soma" in text
    page.goto("/fr/review/")
    assert page.get_by_role("heading", name="Travail du secrétariat").is_visible()


def _workbook(entity, *, share, shillings):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    with (folder / "template.xlsx").open("wb") as stream:
        report_template_write(entity=entity, stream=stream, period_end=TODAY)
    book = load_workbook(folder / "template.xlsx")
    reports, targets = book["Reports"], book["Targets"]
    values = {"D": "En bonne voie", "E": share, "F": shillings, "G": "KES", "H": TODAY.year,
              "I": "4G reached 105 villages in Turkana and Marsabit.", "J": "Power at remote sites."}
    for column, value in values.items():
        reports[f"{column}2"] = value
    reports["E2"].number_format = "0%"
    targets["G2"] = 105
    book.save(folder / "reports.xlsx")
    return folder / "reports.xlsx"
