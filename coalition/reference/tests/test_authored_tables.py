"""The project's own tables say what the UN lists say."""

import datetime

from coalition.reference.models import BeneficiaryGroup, CountryGroupMembership, FrameworkNode, Initiative
from coalition.reference.selectors import group_members_as_of


def test_sids_has_the_37_un_members_and_16_others_of_the_m49_list(reference):
    sids = group_members_as_of(group_code="SIDS", date=datetime.date(2025, 1, 1))

    assert sids.count() == 53
    assert sids.filter(iso3__in=["SGP", "BES", "PRI"]).count() == 3


def test_every_ldc_graduation_has_a_source_and_scheduled_ones_say_so(reference):
    graduations = CountryGroupMembership.objects.filter(group__code="LDC", valid_to__isnull=False)

    assert graduations.count() == 7
    assert all(m.source for m in graduations)
    scheduled = {m.country.iso3 for m in graduations if "Scheduled" in m.note}
    assert scheduled == {"BGD", "LAO", "NPL", "SLB"}


def test_both_initiatives_have_french_names_and_their_mandate(reference):
    p2c, apis = Initiative.objects.get(slug="p2c"), Initiative.objects.get(slug="ap-is")

    assert p2c.mandate == "ITU WTDC Resolution 88 (Kigali, 2022)"
    assert apis.mandate == "ESCAP resolution 79/10 (2023)"
    # The initiative outlives each of its plans (2022–2026, then 2027–2030): it has no end year.
    assert (apis.start_year, apis.end_year) == (2022, None)
    nodes = FrameworkNode.objects.filter(initiative__in=[p2c, apis])
    assert nodes.exists() and all(node.name_fr for node in nodes)


def test_the_p2c_framework_has_four_focus_areas_with_three_or_four_pillars(reference):
    areas = FrameworkNode.objects.filter(initiative__slug="p2c", level="focus_area").order_by("order")

    assert [a.code for a in areas] == ["FA1", "FA2", "FA3", "FA4"]
    assert all(3 <= area.children.count() <= 4 for area in areas)
    assert FrameworkNode.objects.get(initiative__slug="p2c", code="FA1.1").parent.code == "FA1"


def test_the_ap_is_plan_has_its_three_pillars(reference):
    pillars = FrameworkNode.objects.filter(initiative__slug="ap-is").order_by("order")

    assert [p.name_en for p in pillars] == ["Connectivity for all", "Digital technologies and applications", "Digital data"]


def test_there_are_seven_beneficiary_groups_in_two_languages(reference):
    assert BeneficiaryGroup.objects.exclude(name_fr="").count() == 7
