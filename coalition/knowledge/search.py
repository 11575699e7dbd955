"""Full-text search of good practices, on the explorer's search layer (`common.search`).

Each practice has one `PracticeSearchDocument`: its title (twice: a word in the title says more),
summary, problem, what was done, results and lessons, who shares it, the names of its countries
and framework nodes in English and French, and the codes of its SDG targets and WSIS action
lines, all folded (casefold, accents stripped). Queries are folded the same way, so "telecentres
nepal" finds "Télécentres au Népal", and words match by their stem ("school" finds "schools"):
PostgreSQL's `coalition_english` and `coalition_french` configurations, SQLite's Porter stemmer
(migration 0002). The services rewrite a practice's document with every write of its content,
in the same transaction; every practice has one, whatever its state, and the callers filter.
Names are read when a document is written: a renamed entity or country reaches the documents at
each practice's next write, or at once with `practice_search_rebuild` (also the step after any
bulk write that bypasses the services, such as a demo loader).
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import QuerySet

from coalition.common.i18n import fold
from coalition.common.search import FullTextMatch, TsRank, search_terms
from coalition.entities.models import Entity
from coalition.knowledge.models import GoodPractice, PracticeSearchDocument, PracticeSearchFts, SharedBy
from coalition.reference.models import Country

for _model in (PracticeSearchDocument, PracticeSearchFts):
    _model._meta.get_field("document").register_lookup(FullTextMatch)

_TEXTS = ("summary", "problem", "approach", "results", "lessons")
_SECRETARIAT = "secretariat secretariat"  # "Secretariat" and "Secrétariat", folded


def _both(english: str, french: str) -> str:
    return fold(english if french in ("", english) else f"{english} {french}")


def _link_names(ids: list[int]) -> dict[int, list[str]]:
    """{practice id: folded names and codes of its countries, framework nodes, SDG targets and WSIS lines}."""
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    through = GoodPractice.countries.through
    for pk, english, french in through.objects.filter(goodpractice_id__in=ids).order_by("pk").values_list(
            "goodpractice_id", "country__name_en", "country__name_fr"):
        names[pk].append(_both(english, french))
    through = GoodPractice.framework_nodes.through
    for pk, english, french in through.objects.filter(goodpractice_id__in=ids).order_by("pk").values_list(
            "goodpractice_id", "frameworknode__name_en", "frameworknode__name_fr"):
        names[pk].append(_both(english, french))
    through = GoodPractice.sdg_targets.through
    for pk, code in through.objects.filter(goodpractice_id__in=ids).order_by("pk").values_list(
            "goodpractice_id", "sdgtarget__code"):
        names[pk].append(fold(f"SDG {code}"))
    through = GoodPractice.wsis_lines.through
    for pk, code in through.objects.filter(goodpractice_id__in=ids).order_by("pk").values_list(
            "goodpractice_id", "wsisactionline__code"):
        names[pk].append(fold(f"WSIS {code}"))
    return names


def _documents(ids: list[int]) -> list[PracticeSearchDocument]:
    rows = list(GoodPractice.objects.filter(pk__in=ids).values_list(
        "pk", "title", *_TEXTS, "shared_by", "entity_id", "country_id"))
    entities = {pk: fold(f"{name} {acronym}") for pk, name, acronym in
                Entity.objects.filter(pk__in={row[-2] for row in rows}).values_list("pk", "name", "acronym")}
    countries = {pk: _both(english, french) for pk, english, french in
                 Country.objects.filter(pk__in={row[-1] for row in rows}).values_list("pk", "name_en", "name_fr")}
    links = _link_names([row[0] for row in rows])
    documents = []
    for pk, title, *texts, shared_by, entity_id, country_id in rows:
        title = fold(title)
        sharer = {SharedBy.PLEDGER: entities.get(entity_id, ""), SharedBy.MEMBER_STATE: countries.get(country_id, ""),
                  SharedBy.SECRETARIAT: _SECRETARIAT}.get(shared_by, "")
        parts = [title, title, *(fold(text) for text in texts), sharer, *links[pk]]
        documents.append(PracticeSearchDocument(practice_id=pk, document=" ".join(part for part in parts if part)))
    return documents


@transaction.atomic
def practice_search_index(practice_ids: Iterable[int]) -> int:
    """Write (or rewrite) the search documents of the given practices; ids of practices that no
    longer exist lose theirs. Returns the number written. The FTS5 mirror follows through its
    triggers; the PostgreSQL vector is computed by the database."""
    ids = sorted(set(practice_ids))
    PracticeSearchDocument.objects.filter(practice_id__in=ids).delete()
    documents = _documents(ids)
    PracticeSearchDocument.objects.bulk_create(documents, batch_size=500)
    return len(documents)


@transaction.atomic
def practice_search_rebuild() -> int:
    """Rewrite every practice's search document (after writes that bypassed the services)."""
    PracticeSearchDocument.objects.all().delete()
    return practice_search_index(GoodPractice.objects.values_list("pk", flat=True))


def practice_ids_matching(query: str) -> QuerySet | None:
    """The ids of the practices (in any state) matching every word of `query`, as a subquery to
    filter on (`id__in=`); None for a query with no words, which filters nothing."""
    terms = search_terms(query)
    if not terms:
        return None
    if connection.vendor == "sqlite":
        return PracticeSearchFts.objects.filter(document__fulltext=terms).values("pk")
    return PracticeSearchDocument.objects.filter(document__fulltext=terms).values("practice_id")


def practice_ranks(query: str, *, among: Iterable[int] | None = None) -> dict[int, float]:
    """{practice id: rank} for the practices matching `query` (among the ids `among`, when
    given), higher for better matches: FTS5's bm25 on SQLite, ts_rank_cd on PostgreSQL."""
    terms = search_terms(query)
    if not terms:
        return {}
    if connection.vendor == "sqlite":
        rows = PracticeSearchFts.objects.filter(document__fulltext=terms)
        if among is not None:
            rows = rows.filter(pk__in=list(among))
        return {pk: -rank for pk, rank in rows.values_list("pk", "rank")}  # bm25 is lower for better matches
    rows = PracticeSearchDocument.objects.filter(document__fulltext=terms)
    if among is not None:
        rows = rows.filter(practice_id__in=list(among))
    rank = TsRank(terms, table=PracticeSearchDocument._meta.db_table)
    return dict(rows.annotate(rank=rank).values_list("practice_id", "rank"))

