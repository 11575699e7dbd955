"""Each explorer facet keeps the pledges that match and drops those that do not; counts are
per value given the other filters."""

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from coalition.explore.explorer import explorer_search
from coalition.pledges.tests.explorer_fixtures import *  # noqa: F403  (the fixtures publish, reference, university)
from coalition.reference.models import FrameworkNode

pytestmark = pytest.mark.django_db


def _search(query: str):
    return explorer_search(params=QueryDict(query))


def _found(query: str) -> list[str]:
    result = _search(query)
    assert result.errors == []
    return sorted(p.title for p in result.page.object_list)


def _counts(query: str, facet: str) -> dict[str, int]:
    result = _search(query)
    (counts,) = [f for f in result.facets if f.name == facet]
    return {v.value: v.count for v in [*counts.values, *counts.hidden]}


def test_initiative(publish, other_initiative):
    publish(title="Coalition pledge")
    publish(title="Plan pledge", initiative=other_initiative, framework_nodes=list(other_initiative.nodes.all()))
    assert _found("initiative=p2c") == ["Coalition pledge"]
    assert _found("initiative=ap-is") == ["Plan pledge"]
    assert _counts("", "initiative") == {"p2c": 1, "ap-is": 1}


def test_framework_node_a_focus_area_matches_its_pillars(publish, initiative):
    other = FrameworkNode.objects.create(initiative=initiative, code="FA2", level="focus_area", name_en="Adoption")
    publish(title="Pillar pledge")  # FA1.1, a pillar of FA1
    publish(title="Other focus area", framework_nodes=[other])
    assert _found("node=p2c:FA1.1") == ["Pillar pledge"]
    assert _found("node=p2c:FA1") == ["Pillar pledge"]
    assert _found("node=FA2") == ["Other focus area"]  # a bare code within the only initiative that has it
    assert _counts("", "node") == {"p2c:FA1": 1, "p2c:FA1.1": 1, "p2c:FA2": 1}


def test_type(publish):
    publish(title="Programme", pledge_type="programmatic")
    publish(title="Money", pledge_type="financial")
    assert _found("type=financial") == ["Money"]
    assert _found("type=financial&type=programmatic") == ["Money", "Programme"]


def test_stakeholder_type_is_the_lead_entitys(publish, entity_b):
    publish(title="Government pledge")
    publish(title="Company pledge", lead_entity=entity_b)
    assert _found("stakeholder=private_sector") == ["Company pledge"]
    assert _found("stakeholder=government") == ["Government pledge"]
    assert _counts("", "stakeholder") == {"government": 1, "private_sector": 1}


def test_country(publish, countries):
    publish(title="Nepal", beneficiary_countries=[countries["NPL"]])
    publish(title="Kenya", beneficiary_countries=[countries["KEN"]])
    assert _found("country=NPL") == ["Nepal"]
    assert _found("country=NPL&country=KEN") == ["Kenya", "Nepal"]


def test_region_matches_a_member_country_or_the_region_named(publish, countries, reference):
    publish(title="Nepal", beneficiary_countries=[countries["NPL"]])
    publish(title="Kenya", beneficiary_countries=[countries["KEN"]])
    publish(title="Asia-wide", scope="regional", beneficiary_countries=[], beneficiary_regions=[reference["groups"]["ITU-ASP"]])
    assert _found("region=ITU-ASP") == ["Asia-wide", "Nepal"]
    assert _found("region=ITU-AFR") == ["Kenya"]
    assert _counts("", "region") == {"ITU-ASP": 2, "ITU-AFR": 1}


def test_group_membership_is_as_of_today(publish, countries, reference):
    publish(title="Nepal", beneficiary_countries=[countries["NPL"]])
    publish(title="Bhutan", beneficiary_countries=[countries["BTN"]])  # graduated from the LDCs last year
    publish(title="Vanuatu", beneficiary_countries=[countries["VUT"]])
    publish(title="For LDCs", scope="regional", beneficiary_countries=[], beneficiary_regions=[reference["groups"]["LDC"]])
    assert _found("group=LDC") == ["For LDCs", "Nepal"]
    assert _found("group=SIDS") == ["Vanuatu"]
    assert _counts("", "group") == {"LDC": 2, "SIDS": 1}


def test_a_pledge_counts_once_per_group_however_many_members_it_reaches(publish, countries, reference):
    publish(title="Two in Asia", scope="multi_country", beneficiary_countries=[countries["NPL"], countries["BTN"]],
            beneficiary_regions=[reference["groups"]["ITU-ASP"]])
    assert _counts("", "region") == {"ITU-ASP": 1}


def test_beneficiary_group(publish, reference):
    publish(title="For women", beneficiary_groups=[reference["beneficiaries"]["women"]])
    publish(title="For youth", beneficiary_groups=[reference["beneficiaries"]["youth"]])
    assert _found("beneficiary=women") == ["For women"]
    assert _found("beneficiary=youth") == ["For youth"]


def test_sdg_by_goal_number_or_target_code(publish, reference):
    sdg = reference["sdg"]
    publish(title="Access", sdg_targets=[sdg["9.c"], sdg["9.1"]])
    publish(title="Infrastructure", sdg_targets=[sdg["9.1"]])
    publish(title="Skills", sdg_targets=[sdg["4.4"]])
    assert _found("sdg=9") == ["Access", "Infrastructure"]
    assert _found("sdg=9.c") == ["Access"]
    assert _found("sdg=4") == ["Skills"]
    assert _counts("", "sdg") == {"9": 2, "4": 1}  # a pledge with two targets of goal 9 counts once


def test_wsis_line_matches_its_sub_lines(publish, reference):
    wsis = reference["wsis"]
    publish(title="E-government", wsis_lines=[wsis["C7.1"]])
    publish(title="Infrastructure", wsis_lines=[wsis["C2"]])
    assert _found("wsis=C7") == ["E-government"]
    assert _found("wsis=C7.1") == ["E-government"]
    assert _found("wsis=C2") == ["Infrastructure"]
    assert _counts("", "wsis") == {"C2": 1, "C7": 1, "C7.1": 1}


def test_reporting_status(publish):
    publish(title="Fresh")
    publish(title="Silent for years", published_at=timezone.now() - datetime.timedelta(days=800))
    assert _found("status=on_time") == ["Fresh"]
    assert _found("status=overdue") == ["Silent for years"]
    assert _counts("", "status") == {"on_time": 1, "overdue": 1}


def test_value_range_in_usd(publish):
    publish(title="Million", value_amount=Decimal("1000000"))  # EUR 2022: USD 1,053,000
    publish(title="Thousand", value_amount=Decimal("1000"))
    publish(title="No value", value_amount=None, value_currency=None, value_year=None)
    assert _found("value_min=1000000") == ["Million"]
    assert _found("value_max=5000") == ["Thousand"]
    assert _found("value_min=1000&value_max=1053000") == ["Million", "Thousand"]


def test_campaign(publish, reference):
    publish(title="Announced at WTDC", campaign=reference["campaign"])
    publish(title="No campaign")
    assert _found("campaign=wtdc-25") == ["Announced at WTDC"]
    assert _counts("", "campaign") == {"wtdc-25": 1}


def test_publication_dates_are_inclusive(publish):
    now = timezone.now()
    publish(title="Last year", published_at=now - datetime.timedelta(days=400))
    publish(title="Today", published_at=now)
    today = timezone.localdate()
    assert _found(f"published_from={today}") == ["Today"]
    assert _found(f"published_to={today - datetime.timedelta(days=400)}") == ["Last year"]
    assert _found(f"published_from={today - datetime.timedelta(days=400)}&published_to={today}") == ["Last year", "Today"]


def test_only_published_pledges_are_listed(publish, pledge_data, reviewer):
    from coalition.pledges.services import pledge_create

    publish(title="Public")
    pledge_create(actor=reviewer, data={**pledge_data, "title": "Draft"})
    assert _found("") == ["Public"]
    assert _found("q=draft") == []


def test_values_are_or_within_a_facet_and_and_across_facets(publish, countries):
    publish(title="Nepal money", pledge_type="financial", beneficiary_countries=[countries["NPL"]])
    publish(title="Kenya money", pledge_type="financial", beneficiary_countries=[countries["KEN"]])
    publish(title="Nepal policy", pledge_type="policy", beneficiary_countries=[countries["NPL"]])
    assert _found("type=financial&country=NPL") == ["Nepal money"]
    assert _found("type=financial&type=policy&country=NPL") == ["Nepal money", "Nepal policy"]


def test_a_facets_counts_ignore_its_own_selection_but_follow_the_others(publish, countries):
    publish(title="Nepal money", pledge_type="financial", beneficiary_countries=[countries["NPL"]])
    publish(title="Kenya money", pledge_type="financial", beneficiary_countries=[countries["KEN"]])
    publish(title="Nepal policy", pledge_type="policy", beneficiary_countries=[countries["NPL"]])
    assert _counts("type=financial&country=NPL", "type") == {"financial": 1, "policy": 1}
    assert _counts("type=financial&country=NPL", "country") == {"NPL": 1, "KEN": 1}
    assert _counts("q=policy", "type") == {"policy": 1}


def test_search_combines_with_facets(publish, countries):
    publish(title="Connectivité au Népal", beneficiary_countries=[countries["NPL"]], pledge_type="policy")
    publish(title="Connectivity in Kenya", beneficiary_countries=[countries["KEN"]])
    assert _found("q=connectivite&type=policy") == ["Connectivité au Népal"]
    assert _found("q=népal") == ["Connectivité au Népal"]
