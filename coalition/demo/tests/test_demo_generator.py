"""The demo generator writes a registry shaped like a real coalition's, with real history.

One 1,500-pledge run is shared by the module (generated once, rolled back at the end); each
test reads it inside its own savepoint.
"""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import F

from coalition.demo.entities import entity_count_for
from coalition.demo.generate import demo_generate
from coalition.demo.rows import M2M_FIELDS, history_model
from coalition.entities.models import Entity
from coalition.pledges.models import Pledge, PledgeTransition, Status
from coalition.pledges.workflow import PLEDGE_WORKFLOW
from coalition.reference.models import CountryGroup, CountryGroupMembership
from coalition.reference.selectors import rate_table
from coalition.reference.services import usd_value
from coalition.reference.testing import load_reference_fixture

PLEDGES = 1500
HistoricalPledge = history_model(Pledge)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_fixture()
        counts = demo_generate(pledges=PLEDGES, seed=7)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def pledges(demo, db):
    return Pledge.objects.filter(is_demo=True)


def ldc_on(day: datetime.date) -> set[int]:
    memberships = CountryGroupMembership.objects.as_of(day).filter(group__code="LDC")
    return set(memberships.values_list("country_id", flat=True))


def test_it_writes_the_pledges_asked_for_all_flagged_demo(pledges):
    assert pledges.count() == PLEDGES
    assert not Pledge.objects.filter(is_demo=False).exists()
    assert HistoricalPledge.objects.filter(is_demo=False).count() == 0


def test_programmatic_pledges_come_first_then_advocacy_then_policy(pledges):
    types = Counter(pledges.values_list("pledge_type", flat=True))
    assert types["programmatic"] > types["advocacy"] > types["policy"]
    assert types["policy"] > types["financial"] and types["policy"] > types["in_kind"]


def test_about_a_third_target_an_ldc_as_of_publication(pledges):
    countries = {}
    for pledge_id, country_id in Pledge.beneficiary_countries.through.objects.filter(
        pledge__is_demo=True
    ).values_list("pledge_id", "country_id"):
        countries.setdefault(pledge_id, set()).add(country_id)
    cache = {}
    targeting = 0
    for pledge_id, published_at, created_at in pledges.values_list("pk", "published_at", "created_at"):
        day = (published_at or created_at).date()
        if day not in cache:
            cache[day] = ldc_on(day)
        targeting += bool(countries.get(pledge_id, set()) & cache[day])
    assert 0.25 <= targeting / PLEDGES <= 0.40


def test_women_are_named_in_about_half(pledges):
    women = pledges.filter(beneficiary_groups__code="women-and-girls").count()
    assert 0.40 <= women / PLEDGES <= 0.60


def test_value_is_on_most_pledges_and_concentrated_in_a_few(pledges):
    values = sorted(pledges.exclude(value_usd=None).values_list("value_usd", flat=True), reverse=True)
    assert 0.6 <= len(values) / PLEDGES <= 0.9
    top = values[: round(len(values) * 0.05)]
    assert sum(top) / sum(values) >= Decimal("0.6")
    currencies = set(pledges.exclude(value_currency=None).values_list("value_currency__code", flat=True))
    assert {"USD", "EUR"} <= currencies and len(currencies) >= 5


def test_value_usd_follows_the_one_conversion_rule(pledges):
    rates = rate_table()
    valued = pledges.exclude(value_usd=None).values_list("value_amount", "value_currency__code", "value_year", "value_usd")
    for amount, currency, year, value in valued:
        assert value == usd_value(amount=amount, currency=currency, year=year, rates=rates)
    amount, currency, year, value = valued.exclude(value_currency__code="USD").first()
    assert value == usd_value(amount=amount, currency=currency, year=year)  # rates read from the table


def test_entities_of_every_type_come_from_many_countries(pledges):
    assert entity_count_for(1000) >= 300
    entities = Entity.objects.filter(is_demo=True)
    assert entities.count() == entity_count_for(PLEDGES)
    assert entities.values("home_country").distinct().count() >= 100
    assert set(entities.values_list("entity_type", flat=True)) == set(Entity.Type.values)


def test_most_pledges_are_published_and_every_state_occurs(pledges):
    statuses = Counter(pledges.values_list("status", flat=True))
    assert statuses[Status.PUBLISHED] / PLEDGES > 0.75
    assert set(statuses) == set(Status.values)


def test_pledges_spread_over_the_campaigns_and_years(pledges):
    years = set(pledges.values_list("created_at__year", flat=True))
    assert years == {2021, 2022, 2023, 2024, 2025, 2026}
    campaigns = Counter(pledges.exclude(campaign=None).values_list("campaign__slug", flat=True))
    assert campaigns.most_common(1)[0][0] == "wtdc-22"
    assert "escap-ministerial-2024" in campaigns


def test_ap_is_pledges_benefit_asia_pacific_countries(pledges):
    escap = set(
        CountryGroupMembership.objects.filter(group__kind=CountryGroup.Kind.ESCAP_MEMBERSHIP).values_list(
            "country_id", flat=True
        )
    )
    apis = pledges.filter(initiative__slug="ap-is")
    assert apis.count() > 0.05 * PLEDGES
    countries = set(apis.values_list("beneficiary_countries", flat=True)) - {None}
    assert countries <= escap


def test_every_pledge_has_one_version_per_step_with_its_links(pledges):
    versions = Counter(HistoricalPledge.objects.filter(is_demo=True).values_list("id", flat=True))
    steps = Counter(PledgeTransition.objects.filter(pledge__is_demo=True).values_list("pledge_id", flat=True))
    assert set(versions) == set(pledges.values_list("pk", flat=True)) and len(versions) == PLEDGES
    assert all(versions[pk] == steps[pk] + 1 for pk in versions)
    for name in M2M_FIELDS:
        live = Pledge._meta.get_field(name).remote_field.through.objects.filter(pledge__is_demo=True).count()
        history = getattr(HistoricalPledge, name).model.objects.filter(history__is_demo=True).count()
        assert history >= live


def test_the_latest_version_matches_the_pledge(pledges):
    sample = list(pledges.order_by("pk")[:100])
    assert len(sample) == 100
    for pledge in sample:
        latest = pledge.history.latest()
        assert (latest.status, latest.published_at, latest.title) == (pledge.status, pledge.published_at, pledge.title)
        assert set(latest.sdg_targets.values_list("sdgtarget_id", flat=True)) == set(
            pledge.sdg_targets.values_list("pk", flat=True)
        )


def test_as_of_before_publication_does_not_show_it_published(pledges):
    sample = list(pledges.filter(status=Status.PUBLISHED).order_by("pk")[:50])
    assert len(sample) == 50
    for pledge in sample:
        before = pledge.published_at - datetime.timedelta(seconds=1)
        assert pledge.history.as_of(before).status != Status.PUBLISHED
        assert pledge.history.as_of(pledge.published_at).status == Status.PUBLISHED
    first = pledges.exclude(published_at=None).order_by("published_at").first()
    day_before = first.published_at - datetime.timedelta(days=1)
    assert not Pledge.history.as_of(day_before).filter(status=Status.PUBLISHED).exists()


def test_transitions_follow_the_workflow_table_in_order(pledges):
    last = {}
    for pledge_id, action, source, target, at in PledgeTransition.objects.filter(
        pledge__is_demo=True
    ).order_by("pledge_id", "at").values_list("pledge_id", "action", "from_status", "to_status", "at"):
        transition = PLEDGE_WORKFLOW.transition(action)
        assert source in transition.sources and target == transition.target
        previous_status, previous_at = last.get(pledge_id, (Status.DRAFT, None))
        assert source == previous_status and (previous_at is None or at > previous_at)
        last[pledge_id] = (target, at)
    assert len(last) > 0.75 * PLEDGES


def test_leads_and_partners_had_joined_before_the_pledge(pledges):
    for created_at, joined in pledges.values_list("created_at", "lead_entity__created_at"):
        assert joined <= created_at
    assert pledges.exclude(pledge_partners=None).count() > 0.15 * PLEDGES
    assert not pledges.filter(pledge_partners__entity=F("lead_entity")).exists()
