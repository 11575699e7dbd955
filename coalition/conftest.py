"""Shared fixtures: a small registry and the six personas every endpoint is tested against."""

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone, translation

from coalition.accounts.models import CountryFocalPoint, User
from coalition.indicators.catalogue import CatalogueLoader
from coalition.indicators.models import DataSource, Edition, Indicator, Observation
from coalition.reference.importing import run_import
from coalition.reference.models import CountryGroup, CountryGroupMembership, FrameworkNode, Initiative
from coalition.tests import builders


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Argon2 is meant to be slow, and every persona pays for it: tests hash with MD5 instead.

    `test_services_sign_up` puts the production hashers back to check what a real account gets.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# Each test process keeps its own cache in memory, emptied before every test: no throttle counter
# or cached dashboard reaches another test, and pytest-xdist workers never share one (the
# configured cache, a folder under var/ by default, would be shared by all of them).
TEST_CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-{alias}"}
    for alias in ("default", "throttle")
}


@pytest.fixture(scope="session", autouse=True)
def cache_in_memory():
    with override_settings(CACHES=TEST_CACHES):
        yield


@pytest.fixture(autouse=True)
def language_reset():
    """Every test starts in the site's language, whatever an earlier test in the same process left
    active (a URL reversed in French would start with /fr/)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def cache_cleared(cache_in_memory):
    for alias in TEST_CACHES:
        caches[alias].clear()


@pytest.fixture
def countries(db):
    return builders.make_countries()


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
    return builders.make_currencies()


@pytest.fixture
def initiative(db):
    return builders.make_initiative()


@pytest.fixture
def other_initiative(db):
    apis = Initiative.objects.create(slug="ap-is", kind=Initiative.Kind.ACTION_PLAN, name_en="AP-IS", short_name="AP-IS")
    FrameworkNode.objects.create(initiative=apis, code="P1", level="pillar", name_en="Connectivity for all")
    return apis


@pytest.fixture
def entity_a(countries):
    return builders.make_entity_a(countries)


@pytest.fixture
def entity_b(countries):
    return builders.make_entity_b(countries)


@pytest.fixture
def pledger_a(entity_a):
    return builders.make_focal_point(entity_a, "focal.a@example.org")


@pytest.fixture
def pledger_b(entity_b):
    return builders.make_focal_point(entity_b, "focal.b@example.org")


@pytest.fixture
def member_state_focal(db):
    return builders.make_member_state_focal()


@pytest.fixture
def reviewer(db):
    return builders.make_reviewer()


@pytest.fixture
def administrator(db):
    return builders.make_administrator()


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def pledge_data(initiative, entity_a, countries, currencies):
    """A complete, valid set of pledge fields as a form would hand them to the services."""
    return builders.pledge_fields(initiative, entity_a, countries)


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



@pytest.fixture
def published(pledger_a, reviewer, pledge_data):
    """Entity A's pledge, submitted and published through the services just now."""
    return builders.publish(pledger_a, reviewer, pledge_data)


@pytest.fixture
def published_b(pledger_b, reviewer, pledge_data, entity_b):
    """Entity B's published pledge, for the "someone else's pledge" cases."""
    return builders.publish(pledger_b, reviewer, {**pledge_data, "lead_entity": entity_b, "title": "Telecom pledge"})

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


# Every page a browser test opens is held to the site's Content-Security-Policy (settings.SECURE_CSP):
# a script, style or eval the policy blocks fails the test that met it, at teardown.
REPORT_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", e => console.error(
    `CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline code"} in ${e.sourceFile}:${e.lineNumber}`));"""


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    tab = context.new_page()
    violations = []
    tab.on("console", lambda message: violations.append(f"{tab.url}: {message.text}")
           if message.type == "error" and message.text.startswith("CSP violation") else None)
    yield tab
    context.close()
    assert not violations, "\n".join(violations)
