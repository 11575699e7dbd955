import datetime

from coalition.reference.models import Country
from coalition.reference.selectors import country_groups_as_of, group_members_as_of, groups_by_kind


def ldcs(date):
    return set(group_members_as_of(group_code="LDC", date=date).values_list("iso3", flat=True))


def test_there_were_47_ldcs_on_1_january_2020(reference):
    assert len(ldcs(datetime.date(2020, 1, 1))) == 47


def test_vanuatu_and_bhutan_were_ldcs_in_mid_2020(reference):
    assert {"VUT", "BTN"} <= ldcs(datetime.date(2020, 6, 30))


def test_vanuatu_and_bhutan_had_graduated_by_mid_2024(reference):
    members = ldcs(datetime.date(2024, 6, 30))

    assert not {"VUT", "BTN"} & members
    assert "STP" in members
    assert len(members) == 45


def test_sao_tome_and_principe_had_graduated_by_2025(reference):
    members = ldcs(datetime.date(2025, 1, 1))

    assert "STP" not in members
    assert len(members) == 44


def test_a_graduation_takes_effect_on_its_date_not_the_day_before(reference):
    assert "BTN" in ldcs(datetime.date(2023, 12, 12))
    assert "BTN" not in ldcs(datetime.date(2023, 12, 13))


def test_scheduled_graduations_are_dated_in_the_future(reference):
    assert {"BGD", "LAO", "NPL", "SLB"} <= ldcs(datetime.date(2026, 11, 23))
    assert not {"BGD", "LAO", "NPL"} & ldcs(datetime.date(2026, 11, 24))
    assert "SLB" not in ldcs(datetime.date(2027, 12, 13))


def test_there_are_32_lldcs(reference):
    assert group_members_as_of(group_code="LLDC", date=datetime.date(2025, 1, 1)).count() == 32


def test_a_country_lists_the_groups_it_belonged_to_on_a_date(reference):
    bhutan = Country.objects.get(iso3="BTN")

    before = set(country_groups_as_of(country=bhutan, date=datetime.date(2023, 6, 30)).values_list("code", flat=True))
    after = set(country_groups_as_of(country=bhutan, date=datetime.date(2024, 7, 1)).values_list("code", flat=True))

    assert {"LDC", "LLDC", "M49-034", "ESCAP-MEMBER", "ESCAP-SSWA", "ITU-ASP"} <= before
    assert {"LLDC", "ITU-ASP", "WB-LMC"} <= after and "LDC" not in after


def test_an_unknown_group_has_no_members(reference):
    assert not group_members_as_of(group_code="NOPE", date=datetime.date(2025, 1, 1)).exists()


def test_groups_come_by_kind_in_display_order(reference, django_assert_num_queries):
    with django_assert_num_queries(1):
        groups = groups_by_kind()
        [group.parent for group in groups["un_subregion"]]

    assert [g.code for g in groups["development"]] == ["LDC", "LLDC", "SIDS"]
    assert [g.code for g in groups["income_group"]] == ["WB-LIC", "WB-LMC", "WB-UMC", "WB-HIC"]
