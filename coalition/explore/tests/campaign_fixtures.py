"""A campaign and its pledges, written through the services at fixed moments (time-machine):

- "LDC5 connectivity drive", recorded 1 January 2024 with a goal of 4 pledges and 2,000,000 USD;
  the goal raised to 10 pledges on 1 January 2025.
- Kenya schools (entity A), announced there, published 1 March 2024: 1,000,000 EUR of 2022
  (1,053,000 USD).
- Himalayan broadband (entity B), announced there, published 1 May 2024: 300,000 USD, with a
  report accepted 20 November 2024 (30 % delivered, 90,000 USD disbursed).
- Digital skills (entity A), published 1 April 2025, announced at no campaign.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine

from coalition.pledges.services.campaigns import campaign_create, campaign_update
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests.builders import publish


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def drive(reviewer, initiative, countries):
    with at(2024, 1, 1, 9):
        campaign = campaign_create(actor=reviewer, data={
            "initiative": initiative, "name_en": "LDC5 connectivity drive", "name_fr": "Campagne de connectivité PMA5",
            "host": "Fifth UN Conference on the LDCs, Doha", "start_date": datetime.date(2024, 2, 10),
            "end_date": datetime.date(2024, 2, 12), "location": "Doha",
            "description": "Pledges for the least developed countries.",
            "description_fr": "Des engagements pour les pays les moins avancés.",
            "goal_pledges": 4, "goal_usd": Decimal("2000000"),
        })
    with at(2025, 1, 1, 9):
        campaign_update(actor=reviewer, campaign=campaign, data={"goal_pledges": 10})
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def drive_pledges(drive, pledge_data, pledger_a, pledger_b, reviewer, entity_b, countries, currencies):
    with at(2024, 3, 1, 10):
        kenya = publish(pledger_a, reviewer, {**pledge_data, "title": "Kenya schools online", "campaign": drive})
    with at(2024, 5, 1, 10):
        nepal = publish(pledger_b, reviewer, {
            **pledge_data, "lead_entity": entity_b, "title": "Himalayan broadband", "pledge_type": "financial",
            "beneficiary_countries": [countries["NPL"]], "value_amount": Decimal("300000"), "value_currency": "USD",
            "campaign": drive,
        })
    with at(2024, 11, 5, 10):
        report = report_create(actor=pledger_b, pledge=nepal, data={
            "period_end": datetime.date(2024, 10, 31), "implementation_status": "on_track", "share_delivered": "30",
            "disbursed_amount": "90000", "disbursed_currency": "USD", "disbursed_year": 2024,
            "narrative": "Two valleys connected.", "challenges": "",
            "targets": [{"target": nepal.targets.get(), "actual_value": "150"}], "evidence": [],
        })
        report_submit(actor=pledger_b, report=report)
    with at(2024, 11, 20, 10):
        report_accept(actor=reviewer, report=report, verification_level="documented")
    with at(2025, 4, 1, 10):
        other = publish(pledger_a, reviewer, {**pledge_data, "title": "Digital skills"})
    return {"kenya": kenya, "nepal": nepal, "other": other}
