"""The full-text match shared by every searchable document (pledges, good practices): one
interface over SQLite FTS5 and PostgreSQL full-text.

A searchable thing keeps one document row of folded text (casefold, accents stripped, in English
and French). On PostgreSQL the row carries a stored, generated tsvector `search_vector` of the
document in the configurations `coalition_english` and `coalition_french` (which strip accents
with `unaccent` before stemming; pledges migration 0010), with a GIN index; on SQLite an FTS5
table mirrors the documents with the Porter stemmer over an accent-folding tokenizer. Queries are
folded the same way and reduced to words before they reach the database, so no operator or
quote can break the query. Every word must match; the last one also matches as a prefix
(people type "conn" and expect "connectivity").
"""

import re

from django.db.models import FloatField, Func, Lookup

from coalition.common.i18n import fold

# Letters and digits only: what both full-text parsers treat as a word.
_WORD = re.compile(r"[^\W_]+")
_MAX_TERMS = 12


def search_terms(query: str) -> list[str]:
    """The words of a user's query, folded; punctuation and operators dropped."""
    return _WORD.findall(fold(query))[:_MAX_TERMS]


class FullTextMatch(Lookup):
    """`document__fulltext=<terms list>`: the backend's full-text match, prefix on the last term.

    Register it on a document field (`field.register_lookup(FullTextMatch)`): on PostgreSQL the
    field's table must carry the `search_vector` column, on SQLite the field must be the FTS5
    table's column."""

    lookup_name = "fulltext"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if connection.vendor == "postgresql":
            query, params = tsquery(self.rhs)
            # The stored tsvector beside the document, which the GIN index covers.
            return f"{compiler.quote_name(self.lhs.alias)}.search_vector @@ {query}", params
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} MATCH %s", [*lhs_params, fts5_query(self.rhs)]


class TsRank(Func):
    """PostgreSQL's rank of the stored tsvector of a document in `table` against the query the
    match uses."""

    output_field = FloatField()

    def __init__(self, terms: list[str], *, table: str):
        super().__init__()
        self.terms, self.table = terms, table

    def as_sql(self, compiler, connection, **extra):
        query, params = tsquery(self.terms)
        table = compiler.quote_name(self.table)
        # Cover density, so a word's every occurrence counts (ts_rank's weight per occurrence
        # falls so fast that, over the document in two languages, a shorter text won); divided by
        # 1 + log(length), so a long text does not win by length alone.
        return f"ts_rank_cd({table}.search_vector, {query}, 1)", params


def tsquery(terms: list[str]) -> tuple[str, list[str]]:
    """Every word in English or in French (a word that is a stop word in one language is matched
    in the other; one in both is left out), the last one as a prefix. Words are letters and
    digits only, so quoting them as tsquery lexemes is safe."""
    words = [f"'{term}'" for term in terms]
    words[-1] += ":*"
    either = "(to_tsquery('coalition_english'::regconfig, %s) || to_tsquery('coalition_french'::regconfig, %s))"
    return "(" + " && ".join([either] * len(words)) + ")", [w for word in words for w in (word, word)]


def fts5_query(terms: list[str]) -> str:
    parts = [f'"{term}"' for term in terms]
    parts[-1] += "*"
    return " ".join(parts)
