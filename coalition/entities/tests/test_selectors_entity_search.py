"""Finding entities the way people spell them: case and accents aside, and a name with a slip
(trigram word similarity on PostgreSQL, a bounded count of slips on SQLite; every test here runs
on both and expects the same entities)."""

import pytest
from django.apps import apps
from django.db import connection

from coalition.entities.models import Entity
from coalition.entities.selectors import entities_close_to, entity_search
from coalition.entities.services import entity_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(countries):
    def entity(name, acronym="", entity_type=Entity.Type.PRIVATE_SECTOR):
        return Entity.objects.create(name=name, acronym=acronym, entity_type=entity_type)

    return {
        "turkiye": entity("Türkiye Telekom", "TT"),
        "sri_lanka": entity("Sri Lanka Telecom", "SLT"),
        "safaricom": entity("Safaricom PLC"),
        "economie": entity("Ministère de l'Économie numérique", "MEN", Entity.Type.GOVERNMENT),
        "malawi": entity("Malawi Communications Regulatory Authority", "MACRA", Entity.Type.GOVERNMENT),
    }


def _names(query, **kwargs):
    return [entity.name for entity in entity_search(query=query, **kwargs)]


@pytest.mark.parametrize("query", ["turkiye", "TURKIYE", "türkiye", "Türkiye", "TÜRKİYE telekom", "telekom turk"])
def test_a_name_is_found_whatever_its_case_and_accents(registry, query):
    assert _names(query) == ["Türkiye Telekom"]


@pytest.mark.parametrize("query", ["economie numerique", "l'economie", "ministere de l economie", "MEN"])
def test_punctuation_is_ignored_and_the_acronym_counts(registry, query):
    assert _names(query) == ["Ministère de l'Économie numérique"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Telcom", "Sri Lanka Telecom"),
        ("Safaricon", "Safaricom PLC"),
        ("safarcom", "Safaricom PLC"),
        ("sri lanka telecon", "Sri Lanka Telecom"),
        ("Malawi Comunications", "Malawi Communications Regulatory Authority"),
        ("communciations regulatory", "Malawi Communications Regulatory Authority"),  # swapped across the middle
    ],
)
def test_a_name_typed_with_a_slip_is_found(registry, query, name):
    assert _names(query) == [name]


def test_exact_matches_come_before_close_ones(registry):
    exact = Entity.objects.create(name="Telcom Vanuatu", entity_type=Entity.Type.PRIVATE_SECTOR)

    assert entity_search(query="telcom") == [exact, registry["sri_lanka"]]
    assert entity_search(query="telcom", limit=1) == [exact]


def test_short_words_carry_no_slip_and_unrelated_names_stay_out(registry):
    assert _names("SLX") == []
    assert _names("Safaricon telecom") == []
    assert entities_close_to(query="sri") == []  # nothing long enough to carry a slip


def test_the_search_name_follows_the_name(registry, reviewer):
    entity = registry["turkiye"]
    assert entity.search_name == "turkiye telekom"

    entity_update(actor=reviewer, entity=entity, data={
        "name": "Türk Telekomünikasyon", "entity_type": entity.entity_type, "itu_membership": entity.itu_membership,
    })

    entity.refresh_from_db()
    assert entity.search_name == "turk telekomunikasyon"
    assert _names("telekomunikasyon") == ["Türk Telekomünikasyon"]


def test_the_migration_fills_the_search_names_of_registered_entities(registry):
    migration = __import__("coalition.entities.migrations.0004_entity_search_name", fromlist=["search_names_fill"])
    Entity.objects.update(search_name="")

    migration.search_names_fill(apps, None)

    assert Entity.objects.get(pk=registry["economie"].pk).search_name == "ministere de l economie numerique"


def test_the_search_name_has_a_trigram_index_on_postgresql(registry):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'entity_search_name_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
