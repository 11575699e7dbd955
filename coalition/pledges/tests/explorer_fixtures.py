"""A small registry shaped for the explorer's tests: reference rows for every facet and a
helper that publishes a pledge through the services with some fields changed.
"""

import datetime

import pytest
from django.utils import timezone

from coalition.common.intervals import intervals_rebuild
from coalition.common.signals import registry_changed
from coalition.entities.models import Entity
from coalition.pledges.models import Campaign, Pledge
from coalition.pledges.services import pledge_create, pledge_submit, pledge_transition
from coalition.reference.models import (
    BeneficiaryGroup,
    CountryGroup,
    CountryGroupMembership,
    SdgGoal,
    SdgTarget,
    WsisActionLine,
)

__all__ = ["publish", "reference", "university"]


@pytest.fixture
def reference(countries, initiative, other_initiative):
    """Groups with dated memberships, beneficiary groups, SDGs, WSIS lines and a campaign."""
    today = timezone.localdate()
    africa = CountryGroup.objects.create(code="ITU-AFR", kind=CountryGroup.Kind.ITU_REGION, name_en="Africa", name_fr="Afrique")
    asia = CountryGroup.objects.create(code="ITU-ASP", kind=CountryGroup.Kind.ITU_REGION, name_en="Asia & Pacific", name_fr="Asie-Pacifique")
    ldc = CountryGroup.objects.create(code="LDC", kind=CountryGroup.Kind.DEVELOPMENT, name_en="Least developed countries", name_fr="Pays les moins avancés")
    sids = CountryGroup.objects.create(code="SIDS", kind=CountryGroup.Kind.DEVELOPMENT, name_en="Small island developing States")
    CountryGroupMembership.objects.create(group=africa, country=countries["KEN"])
    CountryGroupMembership.objects.create(group=asia, country=countries["NPL"])
    CountryGroupMembership.objects.create(group=asia, country=countries["BTN"])
    CountryGroupMembership.objects.create(group=ldc, country=countries["NPL"])
    # Bhutan graduated from the LDC group: a member until last year, not today.
    CountryGroupMembership.objects.create(group=ldc, country=countries["BTN"], valid_to=today - datetime.timedelta(days=365))
    CountryGroupMembership.objects.create(group=sids, country=countries["VUT"])
    women = BeneficiaryGroup.objects.create(code="women", name_en="Women and girls", name_fr="Femmes et filles")
    youth = BeneficiaryGroup.objects.create(code="youth", name_en="Youth", name_fr="Jeunes", order=1)
    goal9 = SdgGoal.objects.create(number=9, title_en="Industry", short_en="Industry, innovation and infrastructure")
    goal4 = SdgGoal.objects.create(number=4, title_en="Education", short_en="Quality education")
    sdg = {
        "9.c": SdgTarget.objects.create(goal=goal9, code="9.c", short_en="Access to ICT", title_en="Access to ICT", order=3),
        "9.1": SdgTarget.objects.create(goal=goal9, code="9.1", short_en="Infrastructure", title_en="Infrastructure", order=1),
        "4.4": SdgTarget.objects.create(goal=goal4, code="4.4", short_en="Skills", title_en="Skills", order=4),
    }
    c2 = WsisActionLine.objects.create(code="C2", title_en="Information and communication infrastructure", order=2)
    c7 = WsisActionLine.objects.create(code="C7", title_en="ICT applications", order=7)
    wsis = {
        "C2": c2,
        "C7": c7,
        "C7.1": WsisActionLine.objects.create(code="C7.1", parent=c7, title_en="E-government", order=8),
    }
    campaign = Campaign.objects.create(
        initiative=initiative, slug="wtdc-25", name_en="World Telecommunication Development Conference",
        start_date=datetime.date(2025, 11, 17),
    )
    return {
        "groups": {"ITU-AFR": africa, "ITU-ASP": asia, "LDC": ldc, "SIDS": sids},
        "beneficiaries": {"women": women, "youth": youth},
        "sdg": sdg,
        "wsis": wsis,
        "campaign": campaign,
    }


@pytest.fixture
def publish(administrator, reviewer, pledge_data, reference):
    """publish(title=..., **fields, published_at=datetime): a pledge published through the services
    (submitted by an administrator, who acts for every lead entity)."""

    def publish(*, published_at=None, **fields):
        data = {**pledge_data, **fields}
        pledge = pledge_create(actor=administrator, data=data)
        pledge_submit(actor=administrator, pledge=pledge)
        pledge = pledge_transition(actor=reviewer, pledge=pledge, action="publish", at=published_at)
        if published_at is not None:
            # A pledge published in the past was drafted and submitted before it: its earlier
            # versions move back too, so the registry's history agrees with its live row.
            drafts = Pledge.history.filter(id=pledge.pk, history_date__gt=published_at)
            drafts.update(history_date=published_at - datetime.timedelta(minutes=1))
            intervals_rebuild(Pledge.history.model)
            registry_changed.send(sender=None, since=None)
        return pledge

    return publish


@pytest.fixture
def university(countries):
    return Entity.objects.create(name="Université de Dakar", acronym="UDK", entity_type=Entity.Type.ACADEMIA)
