"""A small public registry with private things beside it, and the dumps' folder in a temporary
directory: what every open-data test writes and reads."""

import datetime

import pytest
from django.utils import timezone

from coalition.pledges.models import Campaign
from coalition.pledges.services import pledge_create, pledge_submit
from coalition.reference.models import BeneficiaryGroup, SdgGoal, SdgTarget, WsisActionLine
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests import builders

SECRET_DRAFT = "Secret draft: undersea cable"
SECRET_SUBMITTED = "Submitted, not yet published"
SECRET_NARRATIVE = "Draft report, not accepted"


@pytest.fixture(autouse=True)
def opendata_dir(settings, tmp_path):
    settings.COALITION_OPENDATA_DIR = tmp_path / "opendata"
    return settings.COALITION_OPENDATA_DIR


def _report(pledge, pledger, *, narrative, share="40", year=None):
    year = year or timezone.localdate().year - 1
    return report_create(actor=pledger, pledge=pledge, data={
        "period_end": datetime.date(year, 12, 31), "implementation_status": "on_track", "share_delivered": share,
        "disbursed_amount": "250000", "disbursed_currency": "EUR", "disbursed_year": 2022,
        "narrative": narrative, "targets": [{"target": pledge.targets.get(), "actual_value": "120"}],
    })


@pytest.fixture
def registry(pledger_a, pledger_b, reviewer, pledge_data, entity_b, country_groups, countries, observe):
    """Three published pledges (one with an accepted report, one with a submitted report only, one
    regional announced at a campaign), a draft and a submitted pledge, and indicator values."""
    goal = SdgGoal.objects.create(number=9, title_en="Industry, innovation and infrastructure", short_en="Industry")
    target = SdgTarget.objects.create(goal=goal, code="9.c", short_en="Access to ICT", title_en="Access to ICT", title_fr="Accès aux TIC")
    line = WsisActionLine.objects.create(code="C2", title_en="Infrastructure", title_fr="Infrastructure")
    women = BeneficiaryGroup.objects.create(code="women", name_en="Women and girls", name_fr="Femmes et filles")
    data = {**pledge_data, "sdg_targets": [target], "wsis_lines": [line], "beneficiary_groups": [women],
            "title": "=HYPERLINK(\"http://evil.example\", \"Click\")",
            "partners": [{"entity": entity_b, "role": "Co-funder"}]}
    reported = builders.publish(pledger_a, reviewer, data)
    accepted = _report(reported, pledger_a, narrative="120 schools connected.")
    report_submit(actor=pledger_a, report=accepted)
    report_accept(actor=reviewer, report=accepted, verification_level="documented")
    other = builders.publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": "Telecom pledge",
                                                   "beneficiary_countries": [countries["NPL"], countries["BTN"]],
                                                   "scope": "multi_country"})
    submitted_report = _report(other, pledger_b, narrative=SECRET_NARRATIVE, share="10")
    report_submit(actor=pledger_b, report=submitted_report)
    campaign = Campaign.objects.create(initiative=pledge_data["initiative"], slug="wtdc-22", name_en="WTDC-22",
                                       start_date=datetime.date(2022, 6, 6), country=countries["KEN"])
    regional = builders.publish(pledger_b, reviewer, {
        **pledge_data, "lead_entity": entity_b, "title": "Regional backbone", "scope": "regional",
        "beneficiary_countries": [], "beneficiary_regions": [country_groups["ITU-AFR"]], "campaign": campaign,
        "pledge_type": "financial",
    })
    draft = pledge_create(actor=pledger_a, data={**pledge_data, "title": SECRET_DRAFT})
    waiting = pledge_create(actor=pledger_a, data={**pledge_data, "title": SECRET_SUBMITTED})
    pledge_submit(actor=pledger_a, pledge=waiting)
    observe("internet-use", countries["KEN"], {2021: 29.5, 2023: 40.8})
    return {"reported": reported, "other": other, "regional": regional, "draft": draft, "waiting": waiting, "accepted": accepted,
            "submitted_report": submitted_report}
