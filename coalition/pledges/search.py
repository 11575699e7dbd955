"""Full-text search of pledges: one interface over SQLite FTS5 and PostgreSQL full-text.

Each pledge has one `PledgeSearchDocument`: its title, description, lead and partner names,
and the names of its beneficiary countries, regions, focus areas and pillars, initiative and
campaign in English and French, folded (casefold, accents stripped). Queries are folded the
same way, so "Népal", "nepal" and "NEPAL" find the same pledges, and "connectivité" finds
"connectivite". Words are matched by their stem ("school" finds "schools"): on PostgreSQL a
stored tsvector of the document in English and in French (configurations `coalition_english`
and `coalition_french`, which also strip accents with `unaccent`; migration 0010) and a query
word matching either language's stem; on SQLite FTS5's Porter stemmer. Every word of the query
must match; the last one also matches as a prefix (people type "conn" and expect
"connectivity"). User input is reduced to words before it reaches the database, so no
operator or quote can break the query.

A search that finds nothing may be a name typed with a slip ("Safaricon"): the explorer then
shows the pledges of the entities named like it (`pledges_of_entities_named_like`, trigram word
similarity on PostgreSQL, a bounded count of slips on SQLite: `entities.selectors`).
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from coalition.common.i18n import fold
from coalition.common.search import FullTextMatch, TsRank, search_terms
from coalition.entities.models import Entity
from coalition.entities.selectors import entities_close_to
from coalition.pledges.models import Campaign, Pledge, PledgePartner, PledgeSearchDocument, PledgeSearchFts
from coalition.reference.models import BeneficiaryGroup, Country, CountryGroup, FrameworkNode, Initiative

_CHUNK = 2000

# Registered on the two document fields only, not on every TextField.
for _model in (PledgeSearchDocument, PledgeSearchFts):
    _model._meta.get_field("document").register_lookup(FullTextMatch)


def pledge_search(queryset: QuerySet[Pledge], query: str) -> QuerySet[Pledge]:
    """`queryset` narrowed to pledges matching every word of `query` (a query with no words
    leaves it as it is). The match runs once, as a subquery of ids: joined instead, SQLite's
    planner walks the pledges and runs the full-text match once per pledge (minutes at 100,000
    pledges). For the order of relevance, see `search_ranks`. `queryset` may hold pledge versions
    (the explorer on a past day): they are matched by their pledge's `id` against today's index.
    """
    terms = search_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "sqlite":
        return queryset.filter(id__in=PledgeSearchFts.objects.filter(document__fulltext=terms).values("pk"))
    return queryset.filter(
        id__in=PledgeSearchDocument.objects.filter(document__fulltext=terms).values("pledge_id")
    )


def pledges_of_entities_named_like(queryset: QuerySet[Pledge], query: str, *, limit: int = 20
                                   ) -> tuple[QuerySet[Pledge], list[Entity]]:
    """The pledges of `queryset` led or partnered by the entities whose name holds every word of
    `query` give or take a slip (`entities_close_to`, at most `limit` entities), and those
    entities. For a search that found nothing: "Safaricon" finds Safaricom's pledges."""
    entities = entities_close_to(query=query, limit=limit)
    if not entities:
        return queryset.none(), []
    ids = [entity.pk for entity in entities]
    partnered = PledgePartner.objects.filter(entity__in=ids).values("pledge_id")
    return queryset.filter(Q(lead_entity__in=ids) | Q(id__in=partnered)), entities


def search_ranks(query: str, *, among: QuerySet[Pledge] | None = None) -> dict[int, float]:
    """{pledge id: rank} for every pledge matching `query`, higher for better matches, in one
    query (FTS5's bm25 on SQLite, ts_rank_cd on PostgreSQL). Empty for a query with no words.

    On PostgreSQL, `among` limits the ranking to its pledges: a word found in half the registry
    is then ranked for the few pledges the other filters leave. SQLite ranks every match
    anyway (given a list of rows, FTS5 runs the match once per row, which is slower).
    """
    terms = search_terms(query)
    if not terms:
        return {}
    if connection.vendor == "sqlite":
        rows = PledgeSearchFts.objects.filter(document__fulltext=terms).values_list("pk", "rank")
        return {pk: -rank for pk, rank in rows}  # bm25 is lower for better matches
    rows = PledgeSearchDocument.objects.filter(document__fulltext=terms)
    if among is not None:
        rows = rows.filter(pledge_id__in=among.order_by().values("id"))
    return dict(rows.annotate(rank=TsRank(terms, table=PledgeSearchDocument._meta.db_table))
                .values_list("pledge_id", "rank"))


class _Names:
    """The folded names a search document is made of, each read and folded once per indexing run:
    reference rows (countries, groups, framework nodes, beneficiary groups, initiatives,
    campaigns) in English and, when it differs, French; entities by name and acronym."""

    _REFERENCE = {
        "beneficiary_countries": Country, "beneficiary_regions": CountryGroup,
        "framework_nodes": FrameworkNode, "beneficiary_groups": BeneficiaryGroup,
        "initiative": Initiative, "campaign": Campaign,
    }

    def __init__(self):
        self._reference: dict[str, dict[int, str]] = {}
        self._entities: dict[int, str] = {}

    def of(self, field: str, pk: int) -> str:
        if field not in self._reference:
            rows = self._REFERENCE[field].objects.values_list("pk", "name_en", "name_fr")
            self._reference[field] = {
                key: fold(english if french in ("", english) else f"{english} {french}") for key, english, french in rows
            }
        return self._reference[field].get(pk, "")

    def entity(self, pk: int) -> str:
        return self._entities[pk]

    def load_entities(self, ids: set[int]) -> None:
        missing = ids - self._entities.keys()
        for pk, name, acronym in Entity.objects.filter(pk__in=missing).values_list("pk", "name", "acronym"):
            self._entities[pk] = fold(f"{name} {acronym}")


# The pledge's links whose names go into its document, in the document's order.
_LINKS = ("beneficiary_countries", "beneficiary_regions", "framework_nodes", "beneficiary_groups")


def _documents(ids: list[int], names: _Names) -> list[PledgeSearchDocument]:
    """The search documents of the pledges `ids`, read as plain rows (a query per link table)."""
    pledges = list(Pledge.objects.filter(pk__in=ids).values_list(
        "pk", "title", "description", "lead_entity_id", "initiative_id", "campaign_id"
    ))
    partners: dict[int, list[int]] = {}
    for pledge_id, entity_id in (PledgePartner.objects.filter(pledge_id__in=ids)
                                 .order_by("pledge_id", "entity__name").values_list("pledge_id", "entity_id")):
        partners.setdefault(pledge_id, []).append(entity_id)
    names.load_entities({row[3] for row in pledges} | {e for entities in partners.values() for e in entities})
    links: dict[str, dict[int, list[int]]] = {}
    for field in _LINKS:
        through = Pledge._meta.get_field(field).remote_field.through
        target = Pledge._meta.get_field(field).m2m_reverse_name()
        by_pledge = links[field] = {}
        for pledge_id, target_id in through.objects.filter(pledge_id__in=ids).order_by("pk").values_list("pledge_id", target):
            by_pledge.setdefault(pledge_id, []).append(target_id)
    documents = []
    for pk, title, description, lead_id, initiative_id, campaign_id in pledges:
        # The title comes twice: a word in the title says more about a pledge than one in passing.
        title = fold(title)
        parts = [title, title, fold(description), names.entity(lead_id)]
        parts += [names.entity(entity_id) for entity_id in partners.get(pk, ())]
        for field in _LINKS:
            parts += [names.of(field, target_id) for target_id in links[field].get(pk, ())]
        parts.append(names.of("initiative", initiative_id))
        if campaign_id is not None:
            parts.append(names.of("campaign", campaign_id))
        documents.append(PledgeSearchDocument(pledge_id=pk, document=" ".join(part for part in parts if part)))
    return documents


@transaction.atomic
def search_index_pledges(pledge_ids: Iterable[int]) -> int:
    """Write (or rewrite) the search documents of the given pledges; ids of pledges that no
    longer exist lose their document. Returns the number of documents written. A handful of
    queries per 2,000 pledges, with no model instance but the documents; the FTS5 mirror follows
    through its triggers.
    """
    ids = sorted(set(pledge_ids))
    names = _Names()
    written = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        PledgeSearchDocument.objects.filter(pledge_id__in=chunk).delete()
        documents = _documents(chunk, names)
        PledgeSearchDocument.objects.bulk_create(documents, batch_size=500)
        written += len(documents)
    return written


@transaction.atomic
def search_rebuild() -> int:
    """Rebuild every pledge's search document from scratch (after bulk writes that bypass the
    services, such as the demo generator). Returns the number of documents written.

    On PostgreSQL the full-text index is dropped for the rebuild and built again at the end, in
    the same transaction: kept, it would be updated document by document (at a million pledges
    17 minutes instead of 5). Searches wait for the rebuild meanwhile.
    """
    PledgeSearchDocument.objects.all().delete()
    with connection.cursor() as cursor:
        index = None
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [_VECTOR_INDEX])
            index = cursor.fetchone()
            if index is not None:
                cursor.execute(f"DROP INDEX {_VECTOR_INDEX}")
        else:
            # The triggers mirrored the deletes; 'rebuild' also drops anything a raw write left behind.
            cursor.execute("INSERT INTO pledges_search_fts(pledges_search_fts) VALUES ('rebuild')")
        written = search_index_pledges(Pledge.objects.values_list("pk", flat=True).iterator())
        if index is not None:
            cursor.execute(index[0])
    return written


# The GIN index over the documents' tsvectors (migration 0010).
_VECTOR_INDEX = "pledges_search_vector"
