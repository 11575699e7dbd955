"""The country profile, the comparison and the gap view: wiring, one happy path each, bad input
named by its parameter, the CSV file, and query-count guards."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from coalition.common.asof import as_of_now
from coalition.explore.connectivity import gap, profile
from coalition.explore.tests.connectivity_fixtures import connectivity  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_profile_shows_progress_offline_people_groups_and_pledges(client, connectivity, published):
    response = client.get("/countries/KEN/connectivity/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Connectivity in Kenya" in page
    assert "32,500,000" in page  # 50 M × (1 − 35 %)
    assert "Acceleration needed" in page or "Limited progress" in page  # a label in words, not colour alone
    assert "2024 · ITU DataHub 2025-06" in page  # each value with its year, source and edition
    assert "Least developed countries" in page and "World" in page and "Low income" in page
    assert "$0.03" in page  # 1,053,000 USD ÷ 32.5 M offline people
    assert 'data-chart="internet-use"' in page and "chart-specs" in page
    assert "Partners to approach" in page


def test_the_profile_computes_usd_per_offline_person_from_the_pledges_of_the_date(connectivity, published):
    found = profile.country_profile(country=connectivity["KEN"], as_of=as_of_now(), partners=0)

    assert found.offline.row.offline == pytest.approx(32_500_000)
    assert found.pledged.key.pledges == 1
    assert found.pledged.usd_per_offline == Decimal("0.03")
    assert [g.code for g in found.groups] == ["ITU-AFR", "LDC", "WB-LIC", "WORLD"]
    internet = next(row for row in found.indicators if row.indicator.code == "internet-use")
    assert internet.latest.year == 2024 and internet.latest.edition == "2025-06"
    assert internet.progress.projected is not None


def test_the_country_page_links_to_its_profile(client, connectivity):
    page = client.get("/countries/KEN/").content.decode()

    assert reverse("explore:profile", args=["KEN"]) in page


def test_an_unknown_country_has_no_profile(client, connectivity):
    assert client.get("/countries/XYZ/connectivity/").status_code == 404


def test_a_bad_date_on_the_profile_is_named_and_answered_400(client, connectivity):
    response = client.get("/countries/KEN/connectivity/?as_of=yesterday")

    assert response.status_code == 400
    assert "“yesterday” is not a date" in response.content.decode()


def test_the_profile_reads_a_bounded_number_of_queries(client, connectivity, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):
        assert client.get("/countries/KEN/connectivity/").status_code == 200


def test_a_country_of_the_same_income_group_but_far_in_internet_use_is_not_comparable(
    connectivity, pledger_b, reviewer, pledge_data, entity_b,
):
    from coalition.indicators.aggregates import country_offline
    from coalition.tests.builders import publish as _publish

    # Nepal shares Kenya's income group, but 56 % of its people are online against Kenya's 35 %.
    _publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": "Nepal valleys online",
                                   "beneficiary_countries": [connectivity["NPL"]]})
    approach = gap.partners_to_approach(country=connectivity["KEN"], as_of=as_of_now(), offline=country_offline(),
                                        behind=["internet-use"])

    assert approach.partners == []
    assert "25–45%" in approach.rule


def test_partners_are_ranked_with_the_reason(connectivity, pledger_b, reviewer, pledge_data, entity_b, published):
    from coalition.indicators.aggregates import country_offline
    from coalition.tests.builders import publish as _publish

    # Bhutan (88 %) and Nepal (56 %): Vanuatu (46 %) is in Nepal's ITU region and within 10 points.
    _publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": "Island broadband",
                                   "beneficiary_countries": [connectivity["VUT"]]})
    approach = gap.partners_to_approach(country=connectivity["NPL"], as_of=as_of_now(), offline=country_offline(),
                                        behind=["internet-use"])

    [partner] = approach.partners
    assert partner.entity == entity_b
    assert partner.pledges == 1
    assert [c.iso3 for c in partner.countries] == ["VUT"]
    assert [a.key for a in partner.areas] == ["p2c:FA1"]
    assert approach.from_gap
    assert "46" in approach.rule and "66" in approach.rule  # Nepal's 56 % ± 10 points


def test_partners_not_yet_pledging_for_the_country_come_first(
    connectivity, pledger_a, pledger_b, reviewer, pledge_data, entity_a, entity_b,
):
    from coalition.indicators.aggregates import country_offline
    from coalition.tests.builders import publish as _publish

    islands = {**pledge_data, "beneficiary_countries": [connectivity["VUT"]]}
    _publish(pledger_a, reviewer, {**islands, "title": "Island broadband"})
    _publish(pledger_a, reviewer, {**islands, "title": "Island schools"})
    _publish(pledger_a, reviewer, {**pledge_data, "title": "Nepal schools", "beneficiary_countries": [connectivity["NPL"]]})
    _publish(pledger_b, reviewer, {**islands, "lead_entity": entity_b, "title": "Island telecom"})
    approach = gap.partners_to_approach(country=connectivity["NPL"], as_of=as_of_now(), offline=country_offline(),
                                        behind=["internet-use"])

    # Entity A has more pledges for comparable countries, but already pledges for Nepal.
    assert [(p.entity, p.pledges, p.already_here) for p in approach.partners] == [(entity_b, 1, False), (entity_a, 2, True)]


# --- comparison ----------------------------------------------------------------------------------


def test_the_comparison_shows_countries_side_by_side(client, connectivity, published):
    response = client.get("/countries/compare/?c=KEN&c=npl&c=VUT")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Kenya") < page.index("Nepal") < page.index("Vanuatu")
    assert "32,500,000" in page and "13,200,000" in page
    assert "$0.03" in page


def test_the_comparison_without_countries_offers_the_form(client, connectivity):
    response = client.get("/countries/compare/")

    assert response.status_code == 200
    assert 'name="c"' in response.content.decode()


def test_the_comparison_refuses_more_than_three_countries_naming_the_parameter(client, connectivity):
    response = client.get("/countries/compare/?c=KEN&c=NPL&c=VUT&c=BTN")

    assert response.status_code == 400
    assert "parameter “c”" in response.content.decode()
    assert "at most 3" in response.content.decode()


def test_the_comparison_names_unknown_codes(client, connectivity):
    response = client.get("/countries/compare/?c=KEN&c=XXX")

    assert response.status_code == 400
    assert "Unknown country code in the parameter “c”: XXX" in response.content.decode()


def test_the_comparison_reads_a_bounded_number_of_queries(client, connectivity, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(70):
        assert client.get("/countries/compare/?c=KEN&c=NPL&c=VUT").status_code == 200


# --- gap view ------------------------------------------------------------------------------------


def test_the_gap_view_lists_countries_by_offline_people(client, connectivity, published):
    response = client.get("/connectivity/gap/")

    assert response.status_code == 200
    page = response.content.decode()
    order = [page.index(name) for name in ("Kenya", "Nepal", "France", "Vanuatu", "Bhutan")]
    assert order == sorted(order)
    assert "how countries are flagged" in page
    assert 'data-chart="gap-map"' in page


def test_the_gap_view_says_which_sources_and_editions_its_figures_come_from(client, connectivity, published, observe):
    page = client.get("/connectivity/gap/").content.decode()

    assert "Internet use: ITU DataHub, edition 2025-06. Population: World Bank, World Development Indicators, edition 2025-07." in page
    # A later edition giving one country a newer year: both editions are quoted.
    observe("internet-use", connectivity["KEN"], {2025: 36.0}, edition="2026-06")
    table = gap.gap_table(as_of=as_of_now(), group=gap.group_ref(None), area=None)
    assert table.sources[0].editions == ["2025-06", "2026-06"]


def test_the_gap_flag_needs_a_large_gap_and_little_pledged(connectivity, published):
    table = gap.gap_table(as_of=as_of_now(), group=gap.group_ref(None), area=None)

    # Median offline of five countries: France's 8.84 M; first quartile of US$ per offline
    # person: 0 (only Kenya has a pledge). Kenya and Nepal have more people offline than the
    # median; Kenya has its pledge, so only Nepal is flagged.
    assert table.median_offline == pytest.approx(8_840_000)
    assert table.quartile_usd == Decimal("0")
    assert [row.country.iso3 for row in table.flagged] == ["NPL"]


def test_the_gap_view_filters_by_group_and_focus_area(client, connectivity, published):
    response = client.get("/connectivity/gap/?group=ITU-ASP&area=p2c:FA1")

    assert response.status_code == 200
    table = response.context["table"]
    assert {row.country.iso3 for row in table.rows} == {"NPL", "BTN", "VUT"}
    assert table.area.key == "p2c:FA1"


def test_the_focus_area_counts_pledges_of_its_pillars_only(connectivity, published):
    areas = gap.focus_areas()
    other = gap.gap_table(as_of=as_of_now(), group=gap.group_ref("LDC"), area=None, sort="name")
    # The fixture framework has one focus area; a pledge in FA1.1 counts for FA1.
    in_area = gap.gap_table(as_of=as_of_now(), group=gap.group_ref("LDC"), area=gap.area_of("p2c:FA1", areas), sort="name")

    assert [row.pledges for row in other.rows] == [row.pledges for row in in_area.rows] == [1, 0]


def test_the_gap_view_names_a_bad_group_or_area(client, connectivity):
    bad_group = client.get("/connectivity/gap/?group=NOPE")
    bad_area = client.get("/connectivity/gap/?area=p2c:FA9")

    assert bad_group.status_code == bad_area.status_code == 400
    assert "parameter “group”" in bad_group.content.decode()
    assert "parameter “area”" in bad_area.content.decode()


def test_the_gap_view_sorts_by_the_column_asked(client, connectivity, published):
    rows = client.get("/connectivity/gap/?sort=online").context["table"].rows

    assert [row.country.iso3 for row in rows] == ["KEN", "VUT", "NPL", "FRA", "BTN"]


def test_the_gap_csv_has_every_row_stamped(client, connectivity, published):
    response = client.get("/connectivity/gap.csv?group=LDC")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["iso3"] for row in rows] == ["KEN", "NPL"]
    assert rows[0]["offline_persons"] == "32500000"
    assert rows[0]["value_usd"] == "1053000.00"
    assert rows[0]["group"] == "LDC" and rows[0]["as_of"]


def test_the_gap_csv_refuses_a_bad_parameter(client, connectivity):
    response = client.get("/connectivity/gap.csv?area=nothing")

    assert response.status_code == 400
    assert "parameter “area”" in response.content.decode()


def test_the_gap_view_reads_a_bounded_number_of_queries(client, connectivity, published, django_assert_max_num_queries):
    # One more query for each source the page quotes the editions of (Internet use, population).
    with django_assert_max_num_queries(27):
        assert client.get("/connectivity/gap/?group=LDC").status_code == 200


def test_the_gap_view_is_in_french(client, connectivity, published):
    response = client.get("/fr/connectivity/gap/")

    assert response.status_code == 200
    assert "Le fossé de la connectivité" in response.content.decode()


def test_the_queries_do_not_grow_with_pledges_or_countries(client, connectivity, published, pledger_b, reviewer,
                                                           pledge_data, entity_b, observe):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coalition.tests.builders import publish as _publish

    def counts():
        found = []
        for url in ("/countries/KEN/connectivity/", "/countries/compare/?c=KEN&c=NPL", "/connectivity/gap/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for title in ("More for Kenya", "Nepal and Vanuatu", "All five"):
        _publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": title,
                                       "beneficiary_countries": list(connectivity.values()), "scope": "multi_country",
                                       "partners": [{"entity": pledge_data["lead_entity"], "role": "co-financier"}]})
    observe("coverage-4g", connectivity["NPL"], {2016: 30.0, 2023: 90.0}, edition="2025-06")

    assert counts() == before
