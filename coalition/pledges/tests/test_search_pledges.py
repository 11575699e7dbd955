"""Full-text search: accent- and case-insensitive, English and French, by stem, on either database
(every test here runs on both and expects the same pledges)."""

import pytest
from django.db import connection

from coalition.pledges.content import pledge_data
from coalition.pledges.models import Pledge, PledgeSearchDocument
from coalition.pledges.search import pledge_search, search_index_pledges, search_ranks, search_rebuild, search_terms
from coalition.pledges.services import pledge_update
from coalition.pledges.tests.explorer_fixtures import *  # noqa: F403  (the fixtures publish, reference, university)

pytestmark = pytest.mark.django_db


def _titles(query):
    return sorted(pledge_search(Pledge.objects.all(), query).values_list("title", flat=True))


@pytest.fixture
def pledges(publish, countries):
    return {
        "nepal": publish(title="Community networks in the mountains", beneficiary_countries=[countries["NPL"]],
                         description="Wireless links between villages."),
        "french": publish(title="Connectivité des écoles rurales", beneficiary_countries=[countries["KEN"]],
                          description="Former les enseignants à l’usage du numérique."),
        "english": publish(title="Connectivity for rural schools", beneficiary_countries=[countries["FRA"]],
                           description="Fibre to every school."),
    }


@pytest.mark.parametrize("query", ["Nepal", "nepal", "NÉPAL", "Népal", "népal"])
def test_a_country_is_found_by_its_english_or_french_name_with_or_without_accents(pledges, query):
    assert _titles(query) == ["Community networks in the mountains"]


@pytest.mark.parametrize("query", ["écoles", "ecoles", "ÉCOLES", "enseignants numérique", "ENSEIGNANTS numerique"])
def test_french_text_is_found_with_or_without_accents(pledges, query):
    assert _titles(query) == ["Connectivité des écoles rurales"]


@pytest.mark.parametrize("query", ["fibre", "Fibre rural", "fibre school"])
def test_english_text_is_found_by_its_words(pledges, query):
    assert _titles(query) == ["Connectivity for rural schools"]


def test_the_last_word_matches_as_a_prefix(pledges):
    assert _titles("conn") == ["Connectivity for rural schools", "Connectivité des écoles rurales"]
    assert _titles("ecoles conn") == ["Connectivité des écoles rurales"]
    assert _titles("conn ecoles") == []  # only the last word is a prefix


def test_every_word_must_match(pledges):
    assert _titles("fibre") == ["Connectivity for rural schools"]
    assert _titles("nepal") == ["Community networks in the mountains"]
    assert _titles("fibre nepal") == []


# Words are matched by their stem, in both languages and on both databases alike: a singular finds
# a plural and the other way round, with or without accents.
@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("school fibre", ["Connectivity for rural schools"]),
        ("schools", ["Connectivity for rural schools"]),
        ("école rurale", ["Connectivité des écoles rurales"]),
        ("ecole rurale", ["Connectivité des écoles rurales"]),
        ("enseignant", ["Connectivité des écoles rurales"]),
        ("village wireless", ["Community networks in the mountains"]),
        ("mountain networks", ["Community networks in the mountains"]),
        ("rural", ["Connectivity for rural schools", "Connectivité des écoles rurales"]),
        ("rurales", ["Connectivity for rural schools", "Connectivité des écoles rurales"]),
        ("numériques former", ["Connectivité des écoles rurales"]),
    ],
)
def test_words_are_found_by_their_stem_in_english_and_french(pledges, query, titles):
    assert _titles(query) == titles


def test_the_french_name_of_a_country_finds_pledges_written_in_english(pledges):
    # Kenya is "Kenya" in both languages; France is "France"; Nepal's French name is Népal.
    assert _titles("Népal mountains") == ["Community networks in the mountains"]


def test_the_lead_entity_and_partners_are_searched_by_name_and_acronym(publish, university, pledges, entity_b):
    pledge = publish(title="Research network", partners=[{"entity": university, "role": "research"}])
    assert _titles("universite dakar") == [pledge.title]
    assert _titles("UDK") == [pledge.title]
    assert "Research network" in _titles("Ministry of ICT Kenya")


def test_framework_nodes_are_searched_in_both_languages(publish, initiative, pledges):
    node = initiative.nodes.get(code="FA1.1")
    node.name_fr = "Infrastructures numériques"
    node.save()
    search_index_pledges(Pledge.objects.values_list("pk", flat=True))
    assert len(_titles("infrastructures numeriques")) == 3
    assert len(_titles("infrastructure")) == 3


@pytest.mark.parametrize(
    "query",
    ['"', "'", "*", "AND", "OR NOT", "a OR b", "NEAR(x y)", "col:value", "(((", "-", "^", "\\", "'; DROP TABLE x; --",
     "école:*", "nepal & | !", "\x00", "«»", "🙂"],
)
def test_no_input_breaks_the_query(pledges, query):
    list(pledge_search(Pledge.objects.all(), query))


def test_operators_are_searched_as_words_or_dropped(pledges):
    assert _titles("nepal OR kenya") == []
    assert _titles('"nepal"') == ["Community networks in the mountains"]
    assert _titles("nepal*") == ["Community networks in the mountains"]


def test_a_query_with_no_words_leaves_the_list_as_it_is(pledges):
    assert pledge_search(Pledge.objects.all(), " ?! ").count() == 3
    assert search_terms(" ?! ") == []


def test_matches_carry_a_rank_higher_for_better_matches(publish, pledges):
    strong = publish(title="Rural rural rural connectivity", description="Rural connectivity, rural schools.")
    ranks = search_ranks("rural")
    matching = set(pledge_search(Pledge.objects.all(), "rural").values_list("pk", flat=True))
    assert set(ranks) == matching
    assert max(ranks, key=ranks.get) == strong.pk


def test_an_edit_through_the_services_updates_the_index(pledges, pledger_a, reviewer, initiative):
    pledge = pledges["english"]
    # Published pledges change through revisions, which share `pledge_apply_content` with edits;
    # a reviewer's correction under review takes the same path.
    Pledge.objects.filter(pk=pledge.pk).update(status="in_review")
    pledge_update(actor=reviewer, pledge=pledge, data={**pledge_data(pledge), "title": "Satellite backhaul"})
    assert _titles("satellite") == ["Satellite backhaul"]
    assert _titles("connectivity fibre") == []


def test_rebuild_writes_one_document_per_pledge_and_drops_stale_ones(pledges):
    PledgeSearchDocument.objects.create(pledge_id=999_999, document="ghost")
    PledgeSearchDocument.objects.filter(pledge=pledges["nepal"]).delete()
    assert _titles("nepal") == []

    index_before = _vector_index()

    assert search_rebuild() == 3

    assert PledgeSearchDocument.objects.count() == 3
    assert _titles("nepal") == ["Community networks in the mountains"]
    assert _titles("ghost") == []
    assert _vector_index() == index_before  # dropped for the rebuild on PostgreSQL, and back


def _vector_index():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'pledges_search_vector'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition
    return definition


def test_the_backend_index_is_in_place():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'pledges_search_fts'")
            assert "porter unicode61 remove_diacritics 2" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'pledges_search_vector'")
            assert "gin" in cursor.fetchone()[0]
