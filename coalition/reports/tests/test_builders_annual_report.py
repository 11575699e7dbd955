"""The annual coalition report: every key figure equals the selectors' result for the same date
(today, and an earlier date with a different registry), the same date gives the same bytes even
after a later change, French builds read French, and the number of queries does not grow with
the registry.

The registry is built through the services at fixed moments (time-machine), as the dashboard's
as-of tests build it: a pledge for Kenya published in March 2024 and withdrawn in March 2025; a
pledge for Vanuatu with a partner and a report accepted in November 2024; a pledge for France
and Nepal published in April 2025. Indicator values are the connectivity fixture's.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore.daily import tallies_for
from coalition.explore.dashboard import dashboard_for
from coalition.explore.figures import reporting_statuses_from
from coalition.explore.tests.connectivity_fixtures import connectivity  # noqa: F401
from coalition.indicators import aggregates
from coalition.indicators.selectors import held_at
from coalition.pledges.services import pledge_withdraw
from coalition.reporting.services import report_accept, report_create, report_submit
from coalition.reports.builders import report_build
from coalition.reports.document import Figures, report_data
from coalition.tests.builders import publish

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PAST = datetime.date(2025, 3, 15)  # Kenya's pledge withdrawn, the Vanuatu report accepted
# The report's queries: the stored tallies of two days, the reference tables, a handful per
# indicator with a 2030 target, the annex's batch. None per pledge, country or entity.
MAX_QUERIES = 120


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=UTC), tick=False)


@pytest.fixture
def registry(connectivity, countries, pledge_data, pledger_a, pledger_b, reviewer, entity_a, entity_b, currencies):
    with at(2024, 3, 1, 10):
        kenya = publish(pledger_a, reviewer, pledge_data)
    with at(2024, 5, 1, 10):
        vanuatu = publish(pledger_b, reviewer, {
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
        publish(pledger_a, reviewer, {
            **pledge_data, "title": "Digital skills for all", "scope": "multi_country",
            "beneficiary_countries": [countries["FRA"], countries["NPL"]],
            "value_amount": None, "value_currency": None, "value_year": None,
        })
    return countries


def build(as_of, language="en"):
    return report_build(kind="annual", as_of=as_of, language=language, params={})


def figures_of(report) -> dict:
    """The report body's key figures by key (the annex's country profiles left out)."""
    found = {}
    for section in report.sections:
        stack = [section]
        while stack:
            current = stack.pop()
            for block in current.blocks:
                if isinstance(block, Figures):
                    for figure in block.figures:
                        assert found.setdefault(figure.key, figure) == figure, f"{figure.key} shown twice, differently"
            stack += current.sections
    return found


def expected(as_of) -> dict:
    """The same figures from the selectors the dashboard reads."""
    board = dashboard_for(as_of)
    key, earlier = board.key, board.growth.earlier
    values = {
        "pledges": (key.pledges, earlier.pledges), "value_usd": (key.value_usd, earlier.value_usd),
        "entities": (key.entities, earlier.entities), "countries": (key.countries, earlier.countries),
        "pledges_with_value": (key.pledges_with_value, None), "disbursed_usd": (key.disbursed_usd, None),
        "disbursed_share": (key.disbursed_share, None), "reported": (key.reported, None),
        "reported_share": (key.reported_share, None),
    }
    for group in key.groups:
        values |= {f"group:{group.code}:pledges": (group.pledges, None), f"group:{group.code}:value_usd": (group.value_usd, None),
                   f"group:{group.code}:share": (group.share_pledges, None)}
    values |= {f"reporting:{status}": (count, None) for status, count in reporting_statuses_from(tallies_for(as_of)).items()}
    return values


@pytest.mark.parametrize("day", [None, PAST, datetime.date(2024, 12, 31)])
def test_every_registry_figure_equals_the_dashboards_for_the_same_date(registry, day):
    as_of = as_of_now() if day is None else as_of_date(day)

    shown = figures_of(build(as_of))

    wanted = expected(as_of)
    assert {key: (shown[key].value, shown[key].previous) for key in wanted} == wanted
    assert {figure.as_of for figure in shown.values()} == {as_of.date}


def test_the_figures_differ_between_the_two_dates_as_the_registry_did(registry):
    today, past = figures_of(build(as_of_now())), figures_of(build(as_of_date(PAST)))

    assert (past["pledges"].value, today["pledges"].value) == (1, 2)
    assert (past["countries"].value, today["countries"].value) == (1, 3)
    assert past["group:SIDS:pledges"].value == today["group:SIDS:pledges"].value == 1
    assert past["disbursed_usd"].value == today["disbursed_usd"].value == Decimal("90000.00")


def test_the_world_connectivity_figures_equal_the_group_aggregates(registry, catalogue):
    as_of = as_of_now()

    shown = figures_of(build(as_of))

    indicator = catalogue["internet-use"]
    rows = aggregates.aggregates(indicator=indicator, groups=[aggregates.WORLD], years=range(2015, as_of.date.year + 1),
                                 as_of=held_at(as_of))
    latest = [row for row in rows if row.value is not None and row.coverage > 0][-1]
    assert shown["connectivity:internet-use:WORLD"].value == Decimal(f"{latest.value:.{indicator.decimals}f}")
    assert shown["connectivity:offline:WORLD"].value == round(latest.offline)


def test_indicator_values_imported_after_the_date_are_left_out(registry):
    shown = figures_of(build(as_of_date(PAST)))  # the fixture's values were imported today

    assert not [key for key in shown if key.startswith("connectivity:")]


def test_the_same_date_gives_the_same_bytes_even_after_a_later_change(registry, pledger_b, reviewer, pledge_data,
                                                                      entity_b, countries):
    past = as_of_date(PAST)
    first = report_data(build(past))
    assert report_data(build(past)) == first

    publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": "Later pledge",
                                  "beneficiary_countries": [countries["BTN"]]})

    assert report_data(build(past)) == first
    assert report_data(build(as_of_now())) != first


def test_the_annex_profiles_every_country_with_pledges_or_indicator_values(registry):
    report = build(as_of_now())

    (annex,) = report.annexes
    assert [section.key for section in annex.sections] == [
        "country-btn", "country-fra", "country-ken", "country-npl", "country-vut"]


def test_demo_pledges_make_the_report_illustrative(registry, pledge_data, pledger_a, reviewer):
    from coalition.pledges.models import Pledge

    assert build(as_of_now()).is_demo is False
    Pledge.objects.filter(title="Digital skills for all").update(is_demo=True)
    Pledge.history.model.objects.filter(title="Digital skills for all").update(is_demo=True)

    report = build(as_of_now())

    assert report.is_demo is True
    assert "demo" in {source.key for source in report.sources}
    assert all("demo" in figure.sources for figure in figures_of(report).values() if "registry" in figure.sources)


def test_a_french_build_writes_french(registry):
    report = build(as_of_date(PAST), "fr")

    assert report.language == "fr"
    titles = [section.title for section in report.sections[3].sections]
    assert "Engagements par domaine d’action" in titles
    summary = " ".join(paragraph.text for paragraph in report.sections[0].blocks)
    assert "15 mars 2025" in summary


def test_progress_is_reported_from_start_to_end(registry):
    steps = []

    report_build(kind="annual", as_of=as_of_now(), language="en", params={},
                 progress=lambda done, total, step: steps.append((done, total)))

    assert steps[0] == (0, 3) and steps[-1] == (3, 3)
    assert [done for done, _total in steps] == sorted(done for done, _total in steps)


def test_the_report_asks_as_many_queries_of_a_larger_registry(registry, pledger_b, reviewer, pledge_data, entity_b, countries):
    def queries() -> int:
        build(as_of_now())  # the day's tallies counted and stored first, as a published report finds them
        with CaptureQueriesContext(connection) as captured:
            build(as_of_now())
        return len(captured.captured_queries)

    small = queries()
    for iso3 in ("BTN", "NPL", "KEN", "VUT", "FRA"):
        for title in ("Schools", "Clinics", "Skills"):
            publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": f"{title} in {iso3}",
                                          "beneficiary_countries": [countries[iso3]]})

    assert queries() == small
    assert small <= MAX_QUERIES

