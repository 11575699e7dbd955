"""A small registry for the entity, country and group pages, built through the services at
fixed moments (time-machine):

- Kenya (ITU Africa, an LDC until 1 January 2025): entity A's pledge, published 1 March 2024 and
  withdrawn 1 June 2025, worth 1,000,000 EUR of 2022 (1,053,000 USD).
- Nepal (ITU Asia & Pacific, Southern Asia, an LDC): entity B's pledge with entity A as partner,
  published 1 May 2024, worth 300,000 USD, with a report accepted 20 November 2024 (30 %
  delivered, 90,000 USD disbursed).
- Asia & Pacific: entity A's pledge naming the region itself and Bhutan, published 1 April
  2025, with no value.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine

from coalition.pledges.services import pledge_withdraw
from coalition.reference.models import CountryGroup, CountryGroupMembership
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests.builders import publish as _publish

UTC = datetime.UTC


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=UTC), tick=False)


@pytest.fixture
def groups(countries):
    kind = CountryGroup.Kind
    africa = CountryGroup.objects.create(code="ITU-AFR", kind=kind.ITU_REGION, name_en="Africa", name_fr="Afrique")
    asia = CountryGroup.objects.create(code="ITU-ASP", kind=kind.ITU_REGION, name_en="Asia & Pacific", name_fr="Asie-Pacifique")
    ldc = CountryGroup.objects.create(code="LDC", kind=kind.DEVELOPMENT, name_en="Least developed countries",
                                      name_fr="Pays les moins avancés")
    m49_asia = CountryGroup.objects.create(code="M49-142", kind=kind.UN_REGION, name_en="Asia", name_fr="Asie")
    south = CountryGroup.objects.create(code="M49-034", kind=kind.UN_SUBREGION, name_en="Southern Asia",
                                        name_fr="Asie du Sud", parent=m49_asia)
    CountryGroupMembership.objects.create(group=africa, country=countries["KEN"])
    CountryGroupMembership.objects.create(group=ldc, country=countries["KEN"], valid_to=datetime.date(2025, 1, 1))
    for country in ("NPL", "BTN"):
        for group in (asia, m49_asia, south):
            CountryGroupMembership.objects.create(group=group, country=countries[country])
    CountryGroupMembership.objects.create(group=ldc, country=countries["NPL"])
    return {"ITU-AFR": africa, "ITU-ASP": asia, "LDC": ldc, "M49-142": m49_asia, "M49-034": south}


@pytest.fixture
def registry(groups, countries, pledge_data, pledger_a, pledger_b, reviewer, entity_a, entity_b, currencies):
    with at(2024, 3, 1, 10):
        kenya = _publish(pledger_a, reviewer, {**pledge_data, "title": "Kenya schools online"})
    with at(2024, 5, 1, 10):
        nepal = _publish(pledger_b, reviewer, {
            **pledge_data, "lead_entity": entity_b, "title": "Himalayan broadband", "pledge_type": "financial",
            "beneficiary_countries": [countries["NPL"]], "value_amount": Decimal("300000"), "value_currency": "USD",
            "partners": [{"entity": entity_a, "role": "co-financier"}],
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
        regional = _publish(pledger_a, reviewer, {
            **pledge_data, "title": "Asia-Pacific digital skills", "scope": "regional",
            "beneficiary_countries": [countries["BTN"]], "beneficiary_regions": [groups["ITU-ASP"]],
            "value_amount": None, "value_currency": None, "value_year": None,
        })
    with at(2025, 6, 1, 10):
        pledge_withdraw(actor=pledger_a, pledge=kenya)
    return {"kenya": kenya, "nepal": nepal, "regional": regional, "report": report}


@pytest.fixture
def many_pledges(countries, groups, pledge_data, pledger_a, reviewer):
    """publish_many(n): n published pledges of entity A naming Nepal (and so Asia & Pacific)."""

    def publish_many(n: int):
        return [
            _publish(pledger_a, reviewer, {**pledge_data, "title": f"Pledge {i}", "beneficiary_countries": [countries["NPL"]]})
            for i in range(n)
        ]

    return publish_many
