"""Full-text search of pledges: the folded search document, and per database its index.

SQLite gets an FTS5 table over the documents (external content, kept in step by triggers, so
any write to the documents table, raw deletes included, reaches the index). PostgreSQL gets a
GIN index on the documents' 'simple' tsvector. Also indexes what the explorer filters on.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE pledges_search_fts USING fts5(
        document, content='pledges_pledgesearchdocument', content_rowid='pledge_id',
        tokenize='unicode61 remove_diacritics 2')""",
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
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS pledges_search_fts_update",
    "DROP TRIGGER IF EXISTS pledges_search_fts_delete",
    "DROP TRIGGER IF EXISTS pledges_search_fts_insert",
    "DROP TABLE IF EXISTS pledges_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX pledges_search_tsvector ON pledges_pledgesearchdocument "
    "USING gin (to_tsvector('simple'::regconfig, document))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS pledges_search_tsvector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("pledges", "0005_pledge_revisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="PledgeSearchDocument",
            fields=[
                (
                    "pledge",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="pledges.pledge",
                    ),
                ),
                ("document", models.TextField()),
            ],
        ),
        migrations.CreateModel(
            name="PledgeSearchFts",
            fields=[
                (
                    "pledge",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_fts",
                        serialize=False,
                        to="pledges.pledge",
                    ),
                ),
                ("document", models.TextField()),
                ("rank", models.FloatField()),
            ],
            options={"db_table": "pledges_search_fts", "managed": False},
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(fields=["status", "value_usd"], name="pledge_status_value_usd"),
        ),
    ]
