"""The small registry the tests share, as plain functions: the fixtures in `coalition/conftest.py`
call them once per test, and module-scoped worlds (the permission matrices) once per module."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group

from coalition.accounts.models import User
from coalition.accounts.roles import REVIEWERS
from coalition.entities.models import Entity, FocalPoint
from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit
from coalition.reference.models import Country, Currency, ExchangeRate, FrameworkNode, Initiative

PASSWORD = "x-Pass-123456"


def make_countries() -> dict[str, Country]:
    rows = [
        ("KEN", "KE", "404", "Kenya", "Kenya"),
        ("VUT", "VU", "548", "Vanuatu", "Vanuatu"),
        ("BTN", "BT", "064", "Bhutan", "Bhoutan"),
        ("FRA", "FR", "250", "France", "France"),
        ("NPL", "NP", "524", "Nepal", "Népal"),
    ]
    return {
        iso3: Country.objects.create(iso3=iso3, iso2=iso2, numeric=num, name_en=en, name_fr=fr)
        for iso3, iso2, num, en, fr in rows
    }


def make_currencies() -> dict[str, Currency]:
    usd = Currency.objects.create(code="USD", name_en="US Dollar")
    eur = Currency.objects.create(code="EUR", name_en="Euro")
    ExchangeRate.objects.create(currency=eur, year=2022, usd_per_unit=Decimal("1.053"), source="test")
    return {"USD": usd, "EUR": eur}


def make_initiative() -> Initiative:
    p2c = Initiative.objects.create(slug="p2c", kind=Initiative.Kind.COALITION, name_en="Partner2Connect", short_name="P2C")
    access = FrameworkNode.objects.create(initiative=p2c, code="FA1", level="focus_area", name_en="Access")
    FrameworkNode.objects.create(initiative=p2c, parent=access, code="FA1.1", level="pillar", name_en="Infrastructure")
    return p2c


def make_entity_a(countries) -> Entity:
    return Entity.objects.create(name="Ministry of ICT, Kenya", entity_type=Entity.Type.GOVERNMENT,
                                 home_country=countries["KEN"])


def make_entity_b(countries) -> Entity:
    return Entity.objects.create(name="Connect Telecom", entity_type=Entity.Type.PRIVATE_SECTOR,
                                 home_country=countries["FRA"])


def make_focal_point(entity, email) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD)
    FocalPoint.objects.create(entity=entity, user=user, name=email.split("@")[0], email=email)
    return user


def make_member_state_focal() -> User:
    return User.objects.create_user(email="ministry.focal@example.org", password=PASSWORD)


def make_reviewer() -> User:
    user = User.objects.create_user(email="reviewer@example.org", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def make_reviewer_named(email, *, language="en") -> User:
    """Another reviewer of the secretariat, speaking `language`."""
    user = User.objects.create_user(email=email, password=PASSWORD, is_staff=True, preferred_language=language)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def make_administrator() -> User:
    return User.objects.create_superuser(email="admin@example.org", password=PASSWORD)


def pledge_fields(initiative, entity, countries) -> dict:
    """A complete, valid set of pledge fields as a form would hand them to the services."""
    return {
        "initiative": initiative,
        "lead_entity": entity,
        "title": "Connect 500 rural schools",
        "description": "Fibre and satellite links for rural schools, with teacher training.",
        "pledge_type": "programmatic",
        "scope": "national",
        "beneficiary_countries": [countries["KEN"]],
        "framework_nodes": list(initiative.nodes.filter(code="FA1.1")),
        "value_amount": Decimal("1000000"),
        "value_currency": "EUR",
        "value_year": 2022,
        "start_date": datetime.date(2023, 1, 1),
        "end_date": datetime.date(2026, 12, 31),
        "targets": [{"description": "Schools connected", "unit": "schools", "target_value": "500"}],
        "partners": [],
    }


def publish(pledger, reviewer, data):
    """A pledge created and submitted by `pledger` and published by `reviewer`, through the services."""
    pledge = pledge_create(actor=pledger, data=data)
    pledge_submit(actor=pledger, pledge=pledge)
    return pledge_publish(actor=reviewer, pledge=pledge)
