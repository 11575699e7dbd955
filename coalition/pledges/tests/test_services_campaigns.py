"""Campaigns are written by the secretariat only, through `services.campaigns`: every rule is
checked there, and every change leaves a dated version (who, when, what)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.pledges.models import Campaign
from coalition.pledges.services.campaigns import campaign_create, campaign_update
from coalition.tests.builders import publish


@pytest.fixture
def fields(initiative, countries):
    return {
        "initiative": initiative, "name_en": "Fifth UN Conference on the LDCs", "name_fr": "Cinquième conférence des "
        "Nations unies sur les PMA", "slug": "", "host": "LDC5, Doha", "start_date": datetime.date(2023, 3, 5),
        "end_date": datetime.date(2023, 3, 9), "location": "Doha", "country": None, "url": "https://www.un.org/ldc5/",
        "description": "Pledges for the least developed countries.", "description_fr": "",
        "goal_pledges": 100, "goal_usd": Decimal("50000000"),
    }


@pytest.fixture
def campaign(reviewer, fields):
    return campaign_create(actor=reviewer, data=fields)


def test_the_secretariat_records_a_campaign_with_its_goals(reviewer, fields):
    campaign = campaign_create(actor=reviewer, data=fields)

    campaign.refresh_from_db()
    assert campaign.slug == "fifth-un-conference-on-the-ldcs"  # made from the name
    assert (campaign.goal_pledges, campaign.goal_usd) == (100, Decimal("50000000.00"))
    assert campaign.host == "LDC5, Doha"


def test_creating_a_campaign_writes_its_first_version_signed_by_the_actor(reviewer, fields):
    campaign = campaign_create(actor=reviewer, data=fields)

    version = campaign.history.get()
    assert (version.history_type, version.history_user, version.history_change_reason) == ("+", reviewer, "created")


def test_a_change_writes_a_version_with_who_and_the_new_goal(campaign, administrator):
    campaign_update(actor=administrator, campaign=campaign, data={"goal_pledges": 150})

    latest = campaign.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_type, latest.history_user, latest.goal_pledges) == ("~", administrator, 150)
    assert campaign.history.count() == 2


def test_a_change_that_changes_nothing_writes_no_version(campaign, reviewer):
    campaign_update(actor=reviewer, campaign=campaign, data={"goal_usd": "50000000.00", "host": " LDC5, Doha "})

    assert campaign.history.count() == 1


def test_a_campaign_may_have_no_goal_or_only_one(reviewer, fields):
    none = campaign_create(actor=reviewer, data={**fields, "slug": "none", "goal_pledges": None, "goal_usd": None})
    money = campaign_create(actor=reviewer, data={**fields, "slug": "money", "goal_pledges": None})

    assert (none.goal_pledges, none.goal_usd) == (None, None)
    assert (money.goal_pledges, money.goal_usd) == (None, Decimal("50000000.00"))


def test_a_goal_can_be_emptied(campaign, reviewer):
    campaign_update(actor=reviewer, campaign=campaign, data={"goal_usd": None})

    campaign.refresh_from_db()
    assert campaign.goal_usd is None and campaign.goal_pledges == 100


@pytest.mark.parametrize("person", ["anonymous", "pledger_a", "member_state_focal"])
def test_only_the_secretariat_records_campaigns(request, person, fields):
    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        campaign_create(actor=request.getfixturevalue(person), data=fields)

    assert not Campaign.objects.exists()


@pytest.mark.parametrize("person", ["anonymous", "pledger_a", "member_state_focal"])
def test_only_the_secretariat_changes_campaigns(request, person, campaign):
    with pytest.raises(PermissionDenied):
        campaign_update(actor=request.getfixturevalue(person), campaign=campaign, data={"goal_pledges": 1})

    campaign.refresh_from_db()
    assert campaign.goal_pledges == 100


def _error(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_campaign_cannot_end_before_it_starts(reviewer, fields):
    errors = _error(lambda: campaign_create(actor=reviewer, data={**fields, "end_date": datetime.date(2023, 3, 1)}))

    assert errors == {"end_date": ["The campaign cannot end before it starts."]}


@pytest.mark.parametrize(("field", "value"), [("goal_pledges", -5), ("goal_pledges", 0), ("goal_usd", "-1"),
                                              ("goal_usd", "0"), ("goal_usd", "lots")])
def test_a_goal_is_a_number_above_zero(reviewer, fields, field, value):
    errors = _error(lambda: campaign_create(actor=reviewer, data={**fields, field: value}))

    assert list(errors) == [field]


def test_two_campaigns_cannot_share_an_address(reviewer, fields, campaign):
    errors = _error(lambda: campaign_create(actor=reviewer, data={**fields, "slug": campaign.slug}))

    assert "already has the address" in errors["slug"][0]


def test_a_campaign_keeps_its_address_when_renamed_and_may_take_a_free_one(reviewer, campaign):
    campaign_update(actor=reviewer, campaign=campaign, data={"name_en": "LDC5", "slug": "ldc5"})

    campaign.refresh_from_db()
    assert (campaign.name_en, campaign.slug) == ("LDC5", "ldc5")


def test_missing_name_start_and_initiative_are_each_named(reviewer, fields):
    errors = _error(lambda: campaign_create(actor=reviewer, data={
        **fields, "name_en": " ", "start_date": None, "initiative": None, "slug": "x"}))

    assert {"name_en", "start_date", "initiative"} <= set(errors)


def test_a_bad_web_address_or_address_slug_is_refused(reviewer, fields):
    errors = _error(lambda: campaign_create(actor=reviewer, data={**fields, "url": "not a url", "slug": "a b"}))

    assert set(errors) == {"url", "slug"}


def test_codes_name_the_initiative_and_country(reviewer, fields, initiative, countries):
    campaign = campaign_create(actor=reviewer, data={**fields, "initiative": initiative.slug, "country": "ken"})

    assert (campaign.initiative, campaign.country) == (initiative, countries["KEN"])


def test_a_campaign_with_pledges_stays_with_their_initiative(
    campaign, reviewer, pledger_a, pledge_data, other_initiative,
):
    publish(pledger_a, reviewer, {**pledge_data, "campaign": campaign})

    errors = _error(lambda: campaign_update(actor=reviewer, campaign=campaign, data={"initiative": other_initiative}))

    assert list(errors) == ["initiative"]


def test_nothing_is_written_when_a_field_is_refused(campaign, reviewer):
    with pytest.raises(ValidationError):
        campaign_update(actor=reviewer, campaign=campaign, data={"goal_pledges": 5, "end_date": "2020-01-01"})

    campaign.refresh_from_db()
    assert campaign.goal_pledges == 100 and campaign.history.count() == 1
