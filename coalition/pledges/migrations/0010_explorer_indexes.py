"""Indexes for the public explorer (issue 14): its sorts, its facets' filter and count paths,
full-text search in English and French, and substring search of names.

PostgreSQL: the `unaccent` and `pg_trgm` extensions; two text search configurations,
`coalition_english` and `coalition_french`, that strip accents before stemming; a stored
tsvector of each search document in both (so ranking reads it instead of re-parsing the text)
with a GIN index; trigram indexes for the `icontains` searches of entity names and pledge
titles; the descending index of values. SQLite: the FTS5 mirror is rebuilt with the Porter stemmer over the same
accent-folding tokenizer. Both: (target, pledge) indexes on the link tables, and the pledge
indexes the model declares.
"""

import django.db.models.functions.text
from django.db import migrations, models, transaction

EXTENSIONS = ["unaccent", "pg_trgm"]

POSTGRES_FORWARD = [
    "CREATE TEXT SEARCH CONFIGURATION coalition_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION coalition_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "CREATE TEXT SEARCH CONFIGURATION coalition_french (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION coalition_french "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "ALTER TABLE pledges_pledgesearchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('coalition_english'::regconfig, document) || to_tsvector('coalition_french'::regconfig, document)"
    ") STORED",
    "CREATE INDEX pledges_search_vector ON pledges_pledgesearchdocument USING gin (search_vector)",
    "DROP INDEX IF EXISTS pledges_search_tsvector",
    # Django's icontains is UPPER(column::text) LIKE UPPER(%s): the indexes are on that expression.
    "CREATE INDEX pledges_entity_name_trgm ON pledges_entity USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX pledges_entity_acronym_trgm ON pledges_entity USING gin (UPPER(acronym::text) gin_trgm_ops)",
    "CREATE INDEX pledges_pledge_title_trgm ON pledges_pledge USING gin (UPPER(title::text) gin_trgm_ops)",
    # The explorer's "highest value first" (SQLite reads it backwards off the ascending index).
    "CREATE INDEX pledge_status_value_usd_desc ON pledges_pledge (status, value_usd DESC NULLS LAST, id DESC)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS pledge_status_value_usd_desc",
    "DROP INDEX IF EXISTS pledges_pledge_title_trgm",
    "DROP INDEX IF EXISTS pledges_entity_acronym_trgm",
    "DROP INDEX IF EXISTS pledges_entity_name_trgm",
    "CREATE INDEX IF NOT EXISTS pledges_search_tsvector ON pledges_pledgesearchdocument "
    "USING gin (to_tsvector('simple'::regconfig, document))",
    "DROP INDEX IF EXISTS pledges_search_vector",
    "ALTER TABLE pledges_pledgesearchdocument DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS coalition_french",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS coalition_english",
]


def _fts5(tokenizer: str) -> list[str]:
    """The FTS5 mirror of the documents (as in migration 0006) with `tokenizer`, rebuilt from them."""
    return [
        "DROP TRIGGER IF EXISTS pledges_search_fts_update",
        "DROP TRIGGER IF EXISTS pledges_search_fts_delete",
        "DROP TRIGGER IF EXISTS pledges_search_fts_insert",
        "DROP TABLE IF EXISTS pledges_search_fts",
        f"""CREATE VIRTUAL TABLE pledges_search_fts USING fts5(
            document, content='pledges_pledgesearchdocument', content_rowid='pledge_id',
            tokenize='{tokenizer}')""",
        """CREATE TRIGGER pledges_search_fts_insert AFTER INSERT ON pledges_pledgesearchdocument BEGIN
            INSERT INTO pledges_search_fts(rowid, document) VALUES (new.pledge_id, new.document);
        END""",
        """CREATE TRIGGER pledges_search_fts_delete AFTER DELETE ON pledges_pledgesearchdocument BEGIN
            INSERT INTO pledges_search_fts(pledges_search_fts, rowid, document) VALUES ('delete', old.pledge_id, old.document);
        END""",
        """CREATE TRIGGER pledges_search_fts_update AFTER UPDATE ON pledges_pledgesearchdocument BEGIN
            INSERT INTO pledges_search_fts(pledges_search_fts, rowid, document) VALUES ('delete', old.pledge_id, old.document);
            INSERT INTO pledges_search_fts(rowid, document) VALUES (new.pledge_id, new.document);
        END""",
        "INSERT INTO pledges_search_fts(pledges_search_fts) VALUES ('rebuild')",
    ]


SQLITE_FORWARD = _fts5("porter unicode61 remove_diacritics 2")
SQLITE_BACKWARD = _fts5("unicode61 remove_diacritics 2")

# What the explorer's filters and counts start from: the pledges linked to a value.
LINKS = {
    "pledges_pledge_beneficiary_countries": "country_id",
    "pledges_pledge_beneficiary_regions": "countrygroup_id",
    "pledges_pledge_beneficiary_groups": "beneficiarygroup_id",
    "pledges_pledge_sdg_targets": "sdgtarget_id",
    "pledges_pledge_wsis_lines": "wsisactionline_id",
    "pledges_pledge_framework_nodes": "frameworknode_id",
}


def extensions_create(apps, schema_editor):
    """PostgreSQL only: the extensions the search indexes need, with a message an operator can
    act on when the database role may not create them."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    refused = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = ANY(%s)", [EXTENSIONS])
        present = {row[0] for row in cursor.fetchall()}
        for name in EXTENSIONS:
            if name in present:
                continue
            try:
                with transaction.atomic(using=connection.alias):  # a savepoint: the migration goes on after a refusal
                    cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
            except Exception as error:  # noqa: BLE001  (any refusal: privileges, or the extension not installed)
                refused[name] = str(error).splitlines()[0]
    if refused:
        settings = connection.settings_dict
        raise RuntimeError(
            "Coalition's search needs the PostgreSQL extensions unaccent and pg_trgm, and the database role "
            f"{settings.get('USER') or '(default)'!r} could not create "
            + "; ".join(f"{name} ({reason})" for name, reason in refused.items())
            + f". Ask a database administrator to run, in database {settings.get('NAME')!r}: "
            + " ".join(f"CREATE EXTENSION IF NOT EXISTS {name};" for name in refused)
            + " (or to grant this role CREATE on the database; the extensions come with PostgreSQL's "
            "contrib package), then run `coalition migrate` again."
        )


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("entities", "0002_version_intervals"),
        ("pledges", "0009_version_intervals"),
        ("reference", "0004_import_run_heartbeat"),
    ]

    operations = [
        migrations.RunPython(extensions_create, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunSQL(
            [f"CREATE INDEX {table}_by_target ON {table} ({column}, pledge_id)" for table, column in LINKS.items()],
            [f"DROP INDEX IF EXISTS {table}_by_target" for table in LINKS],
        ),
        migrations.RemoveIndex(model_name="pledge", name="pledges_ple_status_f0ec06_idx"),
        migrations.RemoveIndex(model_name="pledge", name="pledge_status_value_usd"),
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(fields=["status", "published_at", "id"], name="pledge_status_published_id"),
        ),
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(fields=["status", "value_usd", "id"], name="pledge_status_value_usd_id"),
        ),
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(
                models.F("status"), django.db.models.functions.text.Lower("title"), models.F("id"),
                name="pledge_status_title_id",
            ),
        ),
        migrations.AddIndex(
            model_name="pledge", index=models.Index(fields=["status", "pledge_type"], name="pledge_status_type"),
        ),
        migrations.AddIndex(
            model_name="pledge", index=models.Index(fields=["status", "initiative"], name="pledge_status_initiative"),
        ),
        migrations.AddIndex(
            model_name="pledge", index=models.Index(fields=["status", "campaign"], name="pledge_status_campaign"),
        ),
        migrations.AddIndex(
            model_name="pledge", index=models.Index(fields=["status", "lead_entity"], name="pledge_status_lead_entity"),
        ),
    ]
