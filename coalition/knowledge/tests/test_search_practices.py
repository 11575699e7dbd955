"""The library's search and filters, on SQLite and PostgreSQL (run with DATABASE_URL=postgres://…)."""

import pytest
from django.http import QueryDict

from coalition.common.asof import as_of_now
from coalition.knowledge import services
from coalition.knowledge.search import practice_search_rebuild
from coalition.knowledge.selectors import library_filters_parse, library_page


@pytest.fixture
def library(pledger_a, country_focal, reviewer, practice_fields, entity_a, countries, tags):
    """Three published practices (EN, FR, one by a member state) and a draft."""

    def publish(author, data):
        practice = services.practice_create(actor=author, data=data)
        services.practice_move(actor=author, practice=practice, action="submit")
        return services.practice_move(actor=reviewer, practice=practice, action="publish")

    return {
        "telecentres": publish(pledger_a, {
            **practice_fields, "shared_by": "pledger", "entity": entity_a,
            "title": "Télécentres communautaires", "summary": "Des télécentres dans les bureaux de poste.",
            "problem": "Des villages sans accès à Internet.", "approach": "Des liaisons satellite.",
            "results": "Quarante télécentres ouverts.", "lessons": "Les écoles connectées attirent les familles."}),
        "schools": publish(pledger_a, {
            **practice_fields, "shared_by": "pledger", "entity": entity_a, "countries": [countries["BTN"]],
            "framework_nodes": [tags["FA1"]], "sdg_targets": [tags["4.a"]], "wsis_lines": [tags["C7.1"]],
            "title": "Connecting schools in the mountains", "summary": "Schools online by microwave links.",
            "problem": "Remote schools.", "approach": "Microwave relays.", "results": "200 schools connected.",
            "lessons": "A telecentre next to each school shares the link."}),
        "kenya": publish(country_focal, {
            **practice_fields, "shared_by": "member_state", "country": countries["KEN"], "countries": [],
            "framework_nodes": [], "sdg_targets": [], "wsis_lines": [],
            "title": "A national spectrum policy", "summary": "Spectrum for rural operators.",
            "problem": "Unused spectrum.", "approach": "Licences tied to coverage.", "results": "Coverage up to 96 %.",
            "lessons": ""}),
        "draft": services.practice_create(actor=pledger_a, data={
            **practice_fields, "shared_by": "pledger", "entity": entity_a, "title": "Draft telecentres plan"}),
    }


def _found(**params) -> list[str]:
    query = QueryDict(mutable=True)
    query.update(params)
    page = library_page(as_of=as_of_now(), filters=library_filters_parse(query), page_number=1)
    return [version.title for version in page.object_list]


@pytest.mark.parametrize("query", ["telecentres nepal", "TÉLÉCENTRES", "Télécentres Népal", "telecentre"])
def test_a_search_ignores_accents_and_case_and_finds_country_names(library, query):
    assert _found(q=query)[0] == "Télécentres communautaires"


def test_a_country_is_found_by_its_french_name(library):
    assert _found(q="Bhoutan") == ["Connecting schools in the mountains"]


def test_words_match_by_their_stem(library):
    assert _found(q="school") == ["Connecting schools in the mountains"]
    assert _found(q="mountain connected school") == ["Connecting schools in the mountains"]
    assert _found(q="école") == ["Télécentres communautaires"]


def test_the_last_word_matches_as_a_prefix(library):
    assert set(_found(q="télé")) == {"Télécentres communautaires", "Connecting schools in the mountains"}


def test_every_word_must_match(library):
    assert _found(q="spectrum nepal") == []
    assert _found(q="spectrum licences") == ["A national spectrum policy"]


def test_the_sharer_s_name_finds_its_practices(library):
    assert set(_found(q="ministry")) == {"Télécentres communautaires", "Connecting schools in the mountains"}


def test_only_published_practices_are_found(library):
    assert "Draft telecentres plan" not in _found(q="telecentres")
    assert "Draft telecentres plan" not in _found()


def test_a_title_match_ranks_first_when_sorted_by_relevance(library):
    assert _found(q="telecentre", sort="relevance")[0] == "Télécentres communautaires"
    assert _found(q="telecentre", sort="newest") == ["Connecting schools in the mountains", "Télécentres communautaires"]


@pytest.mark.parametrize("query", ['"nepal', "nepal OR *", "-nepal", "nepal AND (", "NEAR(nepal)", "'; DROP TABLE x; --"])
def test_operators_and_quotes_in_a_query_never_break_it(library, query):
    _found(q=query)  # no database error


def test_filters_by_country_including_the_member_state_sharing(library):
    assert _found(country="NPL") == ["Télécentres communautaires"]
    assert _found(country="KEN") == ["A national spectrum policy"]
    assert _found(country="npl", q="microwave") == []


def test_a_framework_node_filter_takes_the_nodes_under_it(library, tags):
    assert set(_found(node=str(tags["FA1"].pk))) == {"Télécentres communautaires", "Connecting schools in the mountains"}
    assert _found(node=str(tags["FA1.1"].pk)) == ["Télécentres communautaires"]


def test_filters_by_sdg_goal_wsis_line_and_sharer(library):
    assert _found(goal="4") == ["Connecting schools in the mountains"]
    assert _found(goal="9") == ["Télécentres communautaires"]
    assert _found(wsis="C7") == ["Connecting schools in the mountains"]
    assert _found(wsis="c2") == ["Télécentres communautaires"]
    assert _found(shared_by="member_state") == ["A national spectrum policy"]


def test_a_filter_naming_nothing_known_is_left_out(library):
    assert len(_found(country="XXX", node="abc", goal="99", wsis="C99", shared_by="aliens", sort="oldest")) == 3


def test_a_rebuild_keeps_the_search_working(library):
    assert practice_search_rebuild() == 4
    assert _found(q="telecentres nepal") == ["Télécentres communautaires"]
