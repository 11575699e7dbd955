"""The dashboard's figures equal direct aggregates over the records, today and on earlier dates.

The registry below is built through the services at fixed moments (time-machine): a pledge for
Kenya published in March 2024 and withdrawn in March 2025, while Kenya left the LDC group on
1 January 2025; a pledge for Vanuatu (a SIDS) with a partner and an accepted report; a pledge
for France published in April 2025. The direct aggregates read the records a different way
from the figures: workflow decisions (not versions) for what was published on a day, the
memberships valid that day, and report decisions for what was accepted.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore import breakdowns, dashboard, figures
from coalition.explore.registry import HistoricalRegistry, LiveRegistry
from coalition.explore.tallies import Scope, scope_condition, tallies_count
from coalition.pledges.models import Pledge, PledgeTransition
from coalition.pledges.services import pledge_withdraw
from coalition.reference.models import CountryGroup, CountryGroupMembership
from coalition.reporting.models import ProgressReport, ProgressReportTransition
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.tests.builders import publish as _publish

UTC = datetime.UTC


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=UTC), tick=False)


@pytest.fixture
def groups(countries):
    ldc = CountryGroup.objects.create(code="LDC", kind="development", name_en="Least developed countries")
    sids = CountryGroup.objects.create(code="SIDS", kind="development", name_en="Small island developing States")
    CountryGroupMembership.objects.create(group=ldc, country=countries["KEN"], valid_to=datetime.date(2025, 1, 1))
    CountryGroupMembership.objects.create(group=ldc, country=countries["NPL"])
    CountryGroupMembership.objects.create(group=sids, country=countries["VUT"])
    return {"LDC": ldc, "SIDS": sids}


@pytest.fixture
def registry(groups, countries, pledge_data, pledger_a, pledger_b, reviewer, entity_a, entity_b, currencies):
    with at(2024, 3, 1, 10):
        kenya = _publish(pledger_a, reviewer, pledge_data)
    with at(2024, 5, 1, 10):
        vanuatu = _publish(pledger_b, reviewer, {
            **pledge_data, "lead_entity": entity_b, "title": "Island broadband",
            "beneficiary_countries": [countries["VUT"]], "value_amount": Decimal("300000"), "value_currency": "USD",
            "partners": [{"entity": entity_a, "role": "co-financier"}],
        })
    with at(2024, 11, 5, 10):
        report = report_create(actor=pledger_b, pledge=vanuatu, data={
            "period_end": datetime.date(2024, 10, 31), "implementation_status": "on_track", "share_delivered": "30",
            "disbursed_amount": "90000", "disbursed_currency": "USD", "disbursed_year": 2024,
            "narrative": "Two islands connected.", "challenges": "",
            "targets": [{"target": vanuatu.targets.get(), "actual_value": "150"}], "evidence": [],
        })
        report_submit(actor=pledger_b, report=report)
    with at(2024, 11, 20, 10):
        report_accept(actor=reviewer, report=report, verification_level="documented")
    with at(2025, 3, 1, 10):
        pledge_withdraw(actor=pledger_a, pledge=kenya)
    with at(2025, 4, 1, 10):
        france = _publish(pledger_a, reviewer, {
            **pledge_data, "title": "Digital skills for all", "scope": "multi_country",
            "beneficiary_countries": [countries["FRA"], countries["NPL"]],
            "value_amount": None, "value_currency": None, "value_year": None,
        })
    return {"kenya": kenya, "vanuatu": vanuatu, "france": france}


def direct(day: datetime.date) -> dict:
    """The key figures of `day` straight from the records, without the snapshot machinery."""
    end = as_of_date(day).moment
    published = []
    for pledge in Pledge.objects.all():
        last = PledgeTransition.objects.filter(pledge=pledge, at__lte=end).order_by("at", "id").last()
        if last is not None and last.to_status == "published":
            published.append(pledge)
    ids = [p.pk for p in published]
    value = sum((p.value_usd or Decimal(0) for p in published), Decimal(0))
    entities = {p.lead_entity_id for p in published} | set(
        Pledge.partners.through.objects.filter(pledge_id__in=ids).values_list("entity_id", flat=True)
    )
    countries = set(Pledge.beneficiary_countries.through.objects.filter(pledge_id__in=ids).values_list("country_id", flat=True))
    shares = {}
    for code in ("LDC", "SIDS"):
        members = set(CountryGroupMembership.objects.as_of(day).filter(group__code=code).values_list("country_id", flat=True))
        hits = [p for p in published if set(p.beneficiary_countries.values_list("id", flat=True)) & members]
        shares[code] = (len(hits), sum((p.value_usd or Decimal(0) for p in hits), Decimal(0)))
    accepted = ProgressReportTransition.objects.filter(action="accept", at__lte=end, report__pledge_id__in=ids)
    reported = set(accepted.values_list("report__pledge_id", flat=True))
    disbursed = ProgressReport.objects.filter(pk__in=accepted.values("report_id")).aggregate(s=Sum("disbursed_usd"))["s"]
    return {
        "pledges": len(published), "value_usd": value, "entities": len(entities), "countries": len(countries),
        "groups": shares, "reported": len(reported), "disbursed_usd": disbursed or Decimal(0),
    }


def computed(key: figures.KeyFigures) -> dict:
    return {
        "pledges": key.pledges, "value_usd": key.value_usd, "entities": key.entities, "countries": key.countries,
        "groups": {g.code: (g.pledges, g.value_usd) for g in key.groups}, "reported": key.reported,
        "disbursed_usd": key.disbursed_usd,
    }


@pytest.mark.parametrize("day", [
    datetime.date(2024, 2, 29),   # before anything was published
    datetime.date(2024, 4, 15),   # the Kenya pledge alone, Kenya an LDC
    datetime.date(2024, 12, 31),  # both 2024 pledges, the report accepted, Kenya still an LDC
    datetime.date(2025, 3, 15),   # Kenya's pledge withdrawn, Kenya no longer an LDC
])
def test_key_figures_on_an_earlier_date_equal_the_records_of_that_date(registry, day):
    key = figures.key_figures(tallies_count(as_of_date(day)))
    assert computed(key) == direct(day)


def test_key_figures_today_equal_the_records_today(registry):
    key = figures.key_figures(tallies_count(as_of_now()))
    assert computed(key) == direct(timezone.localdate())
    assert key.pledges == Pledge.objects.filter(status="published").count() == 2


def test_a_withdrawn_pledge_and_a_country_that_left_the_ldcs_count_then_but_not_now(registry):
    then = figures.key_figures(tallies_count(as_of_date(datetime.date(2024, 12, 31))))
    now = figures.key_figures(tallies_count(as_of_now()))
    ldc_then = next(g for g in then.groups if g.code == "LDC")
    ldc_now = next(g for g in now.groups if g.code == "LDC")
    assert (then.pledges, ldc_then.pledges, ldc_then.share_pledges) == (2, 1, Decimal("0.5"))
    # Today Kenya is no LDC and its pledge is withdrawn; the France pledge names Nepal, still an LDC.
    assert (now.pledges, ldc_now.pledges) == (2, 1)
    assert registry["kenya"].pk not in published_ids(as_of_now())


def published_ids(as_of, scope=None, registry_class=HistoricalRegistry) -> set[int]:
    """The ids of the pledges published at `as_of` (in `scope`)."""
    registry = registry_class(as_of)
    if scope is not None:
        registry = registry.restrict(scope_condition(registry, scope))
    return set(registry.published().values_list("id", flat=True))


def test_the_live_tables_and_the_versions_select_the_same_pledges_now(registry, countries, groups, entity_a):
    """The explorer filters the live tables, the figures read the versions: now they agree."""
    now = as_of_now()
    for scope in [None, Scope(country=countries["NPL"]), Scope(group=groups["LDC"]), Scope(entity=entity_a)]:
        live = published_ids(now, scope, LiveRegistry)
        assert live and live == published_ids(now, scope)
        assert tallies_count(now, scope=scope).get("all").pledges == len(live)


def test_an_entity_scope_counts_the_pledges_it_leads_and_those_it_partners(registry, entity_a, entity_b):
    as_of = as_of_date(datetime.date(2024, 12, 31))
    assert published_ids(as_of, Scope(entity=entity_a)) == {registry["kenya"].pk, registry["vanuatu"].pk}
    assert published_ids(as_of, Scope(entity=entity_b)) == {registry["vanuatu"].pk}


def test_a_group_scope_follows_the_membership_of_the_date(registry, groups):
    ldc = Scope(group=groups["LDC"])
    assert published_ids(as_of_date(datetime.date(2024, 12, 31)), ldc) == {registry["kenya"].pk}
    assert published_ids(as_of_now(), ldc) == {registry["france"].pk}


def test_year_on_year_growth_compares_with_the_registry_a_year_earlier(registry):
    board = dashboard.dashboard_for(as_of_date(datetime.date(2025, 5, 1)))
    assert board.growth.earlier.as_of.date == datetime.date(2024, 5, 1)
    assert (board.key.pledges, board.growth.earlier.pledges) == (2, 2)
    assert board.growth.pledges == Decimal(0)
    assert board.growth.entities == Decimal(0)


def test_breakdowns_count_each_pledge_once_per_category(registry):
    tallies = tallies_count(as_of_date(datetime.date(2024, 12, 31)))
    by_type = breakdowns.breakdown(tallies, "type")
    assert [(row.code, row.pledges) for row in by_type.rows] == [("programmatic", 2)]
    focus = breakdowns.breakdown(tallies, "focus-area")
    value = registry["kenya"].value_usd + registry["vanuatu"].value_usd
    assert [(row.code, row.pledges, row.value_usd) for row in focus.rows] == [("p2c:FA1", 2, value)]
    pillar = breakdowns.breakdown(tallies, "pillar")
    assert [(row.code, row.pledges) for row in pillar.rows] == [("p2c:FA1.1", 2)]
    assert focus.explorer_query(focus.rows[0]) == "initiative=p2c&node=FA1"


def test_the_map_counts_pledges_per_beneficiary_country(registry):
    rows = figures.by_country(tallies_count(as_of_now()))
    assert {(row.iso3, row.numeric, row.pledges) for row in rows} == {("VUT", "548", 1), ("FRA", "250", 1), ("NPL", "524", 1)}


def test_growth_by_month_is_cumulative_with_the_events_of_the_period(registry, initiative):
    initiative.campaigns.create(slug="wsis-2024", name_en="WSIS Forum 2024", start_date=datetime.date(2024, 5, 27))
    months, events = figures.growth_by_month(tallies_count(as_of_date(datetime.date(2024, 12, 31))))
    assert months[0].month == datetime.date(2024, 3, 1) and months[-1].month == datetime.date(2024, 12, 1)
    assert [(m.month.month, m.cumulative_pledges) for m in months if m.published] == [(3, 1), (5, 2)]
    assert [e.slug for e in events] == ["wsis-2024"]


def test_the_dashboard_shows_the_figures_of_the_date_asked_for(client, registry):
    page = client.get(reverse("explore:dashboard"), {"as_of": "2024-12-31"})
    assert page.status_code == 200
    board = page.context["board"]
    assert (board.key.pledges, board.as_of.date) == (2, datetime.date(2024, 12, 31))
    assert "31 December 2024" in page.content.decode()


def test_a_bad_date_is_refused_naming_the_field_and_today_is_shown(client, registry):
    page = client.get(reverse("explore:dashboard"), {"as_of": "31/12/2024"})
    assert page.status_code == 400
    assert "YYYY-MM-DD" in page.context["as_of_error"]
    assert page.context["board"].as_of.is_today


def test_a_new_publication_shows_at_once_despite_the_cache(client, registry, pledger_b, reviewer, pledge_data, entity_b):
    assert client.get(reverse("explore:dashboard")).context["board"].key.pledges == 2
    _publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": "Another"})
    assert client.get(reverse("explore:dashboard")).context["board"].key.pledges == 3


def test_each_chart_s_numbers_download_as_csv_stamped_with_the_date(client, registry):
    response = client.get(reverse("explore:dashboard_csv", args=["type"]), {"as_of": "2024-12-31"})
    assert response["Content-Type"].startswith("text/csv")
    assert "coalition-type-2024-12-31.csv" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "code,category,pledges,value_usd,share_of_pledges,as_of"
    assert lines[1].startswith("programmatic,Programmatic,2,") and lines[1].endswith(",1.0000,2024-12-31")
    key = client.get(reverse("explore:dashboard_csv", args=["key-figures"]), {"as_of": "2024-12-31"}).content.decode()
    assert "published_pledges,2,2024-12-31" in key
    assert client.get(reverse("explore:dashboard_csv", args=["nonsense"])).status_code == 404
