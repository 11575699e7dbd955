"""Shared fixtures: a small registry and the six personas every endpoint is tested against."""

import datetime
import os
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import override_settings
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint, User
from coalition.accounts.roles import REVIEWERS
from coalition.entities.models import Entity, FocalPoint
from coalition.indicators.catalogue import CatalogueLoader
from coalition.indicators.models import DataSource, Edition, Indicator, Observation
from coalition.pledges.services import pledge_create, pledge_publish, pledge_submit
from coalition.reference.importing import run_import
from coalition.reference.models import (
    Country,
    CountryGroup,
    CountryGroupMembership,
    Currency,
    ExchangeRate,
    FrameworkNode,
    Initiative,
)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Argon2 is meant to be slow, and every persona pays for it: tests hash with MD5 instead.

    `test_services_sign_up` puts the production hashers back to check what a real account gets.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def countries(db):
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


# Countries' groups as the public pages and the connectivity pages show them (one ITU region
# each, LDC/LLDC/SIDS, an income group), memberships open-ended.
COUNTRY_GROUP_MEMBERS = {
    "ITU-AFR": ["KEN"], "ITU-ASP": ["NPL", "BTN", "VUT"], "ITU-EUR": ["FRA"],
    "LDC": ["KEN", "NPL"], "LLDC": ["NPL", "BTN"], "SIDS": ["VUT"], "WB-LIC": ["KEN", "NPL", "BTN"],
}


@pytest.fixture
def country_groups(countries):
    kind = CountryGroup.Kind
    made = {
        "ITU-AFR": CountryGroup.objects.create(code="ITU-AFR", kind=kind.ITU_REGION, name_en="Africa", name_fr="Afrique"),
        "ITU-ASP": CountryGroup.objects.create(code="ITU-ASP", kind=kind.ITU_REGION, name_en="Asia & Pacific",
                                               name_fr="Asie-Pacifique"),
        "ITU-EUR": CountryGroup.objects.create(code="ITU-EUR", kind=kind.ITU_REGION, name_en="Europe", name_fr="Europe"),
        "LDC": CountryGroup.objects.create(code="LDC", kind=kind.DEVELOPMENT, name_en="Least developed countries",
                                           name_fr="Pays les moins avancés"),
        "LLDC": CountryGroup.objects.create(code="LLDC", kind=kind.DEVELOPMENT, name_en="Landlocked developing countries",
                                            name_fr="Pays en développement sans littoral"),
        "SIDS": CountryGroup.objects.create(code="SIDS", kind=kind.DEVELOPMENT, name_en="Small island developing States",
                                            name_fr="Petits États insulaires en développement"),
        "WB-LIC": CountryGroup.objects.create(code="WB-LIC", kind=kind.INCOME_GROUP, name_en="Low income",
                                              name_fr="Faible revenu"),
    }
    for code, members in COUNTRY_GROUP_MEMBERS.items():
        for iso3 in members:
            CountryGroupMembership.objects.create(group=made[code], country=countries[iso3])
    return made


@pytest.fixture
def currencies(db):
    usd = Currency.objects.create(code="USD", name_en="US Dollar")
    eur = Currency.objects.create(code="EUR", name_en="Euro")
    ExchangeRate.objects.create(currency=eur, year=2022, usd_per_unit=Decimal("1.053"), source="test")
    return {"USD": usd, "EUR": eur}


@pytest.fixture
def initiative(db):
    p2c = Initiative.objects.create(slug="p2c", kind=Initiative.Kind.COALITION, name_en="Partner2Connect", short_name="P2C")
    access = FrameworkNode.objects.create(initiative=p2c, code="FA1", level="focus_area", name_en="Access")
    FrameworkNode.objects.create(initiative=p2c, parent=access, code="FA1.1", level="pillar", name_en="Infrastructure")
    return p2c


@pytest.fixture
def other_initiative(db):
    apis = Initiative.objects.create(slug="ap-is", kind=Initiative.Kind.ACTION_PLAN, name_en="AP-IS", short_name="AP-IS")
    FrameworkNode.objects.create(initiative=apis, code="P1", level="pillar", name_en="Connectivity for all")
    return apis


@pytest.fixture
def entity_a(countries):
    return Entity.objects.create(name="Ministry of ICT, Kenya", entity_type=Entity.Type.GOVERNMENT, home_country=countries["KEN"])


@pytest.fixture
def entity_b(countries):
    return Entity.objects.create(name="Connect Telecom", entity_type=Entity.Type.PRIVATE_SECTOR, home_country=countries["FRA"])


def _focal_point(entity, email):
    user = User.objects.create_user(email=email, password="x-Pass-123456")
    FocalPoint.objects.create(entity=entity, user=user, name=email.split("@")[0], email=email)
    return user


@pytest.fixture
def pledger_a(entity_a):
    return _focal_point(entity_a, "focal.a@example.org")


@pytest.fixture
def pledger_b(entity_b):
    return _focal_point(entity_b, "focal.b@example.org")


@pytest.fixture
def member_state_focal(db):
    return User.objects.create_user(email="ministry.focal@example.org", password="x-Pass-123456")


@pytest.fixture
def reviewer(db):
    user = User.objects.create_user(email="reviewer@example.org", password="x-Pass-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


@pytest.fixture
def administrator(db):
    return User.objects.create_superuser(email="admin@example.org", password="x-Pass-123456")


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def pledge_data(initiative, entity_a, countries, currencies):
    """A complete, valid set of pledge fields as a form would hand them to the services."""
    return {
        "initiative": initiative,
        "lead_entity": entity_a,
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


@pytest.fixture
def country_focal(member_state_focal, countries, administrator):
    """The member-state persona, approved to act for Kenya."""
    CountryFocalPoint.objects.create(
        user=member_state_focal, country=countries["KEN"], approved_by=administrator, approved_at=timezone.now()
    )
    return member_state_focal


@pytest.fixture
def newcomer(db):
    """A verified user who acts for nothing yet."""
    return User.objects.create_user(email="new.person@example.org", password="x-Pass-123456", full_name="Amina Otieno")



# --- Indicators: the shipped catalogue, and a helper to store values -----------------------------


@pytest.fixture
def catalogue(db):
    run = run_import(loader=CatalogueLoader())
    assert run.status == "succeeded", run.errors
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


@pytest.fixture
def observe(catalogue):
    """observe("internet-use", country, {2019: 20, 2023: 40}, source="itu-datahub")"""

    def store(indicator_code, country, values, *, source="itu-datahub", edition="test"):
        data_source = DataSource.objects.get(code=source)
        edition, _ = Edition.objects.get_or_create(source=data_source, label=edition)
        Observation.objects.bulk_create(
            Observation(indicator=catalogue[indicator_code], country=country, year=year, value=value,
                        source=data_source, edition=edition)
            for year, value in values.items()
        )

    return store


@pytest.fixture(autouse=True)
def tasks_run_immediately(settings):
    """Background tasks run at once, in the test's process and transaction (no worker)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}



def _publish(pledger, reviewer, data):
    pledge = pledge_create(actor=pledger, data=data)
    pledge_submit(actor=pledger, pledge=pledge)
    return pledge_publish(actor=reviewer, pledge=pledge)


@pytest.fixture
def published(pledger_a, reviewer, pledge_data):
    """Entity A's pledge, submitted and published through the services just now."""
    return _publish(pledger_a, reviewer, pledge_data)


@pytest.fixture
def published_b(pledger_b, reviewer, pledge_data, entity_b):
    """Entity B's published pledge, for the "someone else's pledge" cases."""
    return _publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": "Telecom pledge"})

# --- Headless Chromium ---------------------------------------------------------------------------
# Debian's Chromium driven by Playwright (never Playwright's own browser download). Tests that
# use `page` are marked `browser` and run against pytest-django's live server. One browser per
# test module: Playwright's threads stay out of the modules that fork writer processes.

CHROMIUM = os.environ.get("COALITION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()
