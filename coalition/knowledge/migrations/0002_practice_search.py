"""Full-text search of good practices, on the explorer's search layer (`common.search`).

SQLite: an FTS5 table over the search documents (external content, kept in step by triggers,
so any write to the documents reaches the index), with the Porter stemmer over the
accent-folding tokenizer, as for pledges. PostgreSQL: a stored tsvector of each document in
`coalition_english` and `coalition_french` (the configurations pledges migration 0010 creates)
with a GIN index.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE knowledge_search_fts USING fts5(
        document, content='knowledge_practicesearchdocument', content_rowid='practice_id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER knowledge_search_fts_insert AFTER INSERT ON knowledge_practicesearchdocument BEGIN
        INSERT INTO knowledge_search_fts(rowid, document) VALUES (new.practice_id, new.document);
    END""",
    """CREATE TRIGGER knowledge_search_fts_delete AFTER DELETE ON knowledge_practicesearchdocument BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, document)
        VALUES ('delete', old.practice_id, old.document);
    END""",
    """CREATE TRIGGER knowledge_search_fts_update AFTER UPDATE ON knowledge_practicesearchdocument BEGIN
        INSERT INTO knowledge_search_fts(knowledge_search_fts, rowid, document)
        VALUES ('delete', old.practice_id, old.document);
        INSERT INTO knowledge_search_fts(rowid, document) VALUES (new.practice_id, new.document);
    END""",
    "INSERT INTO knowledge_search_fts(knowledge_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS knowledge_search_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_search_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_search_fts_insert",
    "DROP TABLE IF EXISTS knowledge_search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE knowledge_practicesearchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('coalition_english'::regconfig, document) || to_tsvector('coalition_french'::regconfig, document)"
    ") STORED",
    "CREATE INDEX knowledge_search_vector ON knowledge_practicesearchdocument USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_search_vector",
    "ALTER TABLE knowledge_practicesearchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0001_initial"),
        ("pledges", "0010_explorer_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PracticeSearchFts",
            fields=[
                (
                    "practice",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_fts",
                        serialize=False,
                        to="knowledge.goodpractice",
                    ),
                ),
                ("document", models.TextField()),
                ("rank", models.FloatField()),
            ],
            options={"db_table": "knowledge_search_fts", "managed": False},
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
