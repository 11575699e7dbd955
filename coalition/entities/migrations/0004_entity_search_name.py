"""Entities found the way they are spelled (issue 15): each entity's name folded for search.

`search_name` holds the name's words folded (case and accents aside, punctuation dropped), kept
by `Entity.save()` and filled here for the entities already registered. Both databases: a b-tree
index on it, for the duplicate check's equality. PostgreSQL only: the `pg_trgm` extension (also
created by pledges 0010, which may run later) and a trigram GIN index on it, for substring search
and typo-tolerant word similarity; SQLite reads the column without one (see `entities.selectors`).
"""

from django.db import migrations, models, transaction

from coalition.common.spelling import name_key

TRIGRAM_INDEX = "entity_search_name_trgm"


def search_names_fill(apps, schema_editor):
    Entity = apps.get_model("entities", "Entity")
    entities = list(Entity.objects.only("pk", "name"))
    for entity in entities:
        entity.search_name = name_key(entity.name)[:400]
    Entity.objects.bulk_update(entities, ["search_name"], batch_size=1000)


def trigram_index_create(apps, schema_editor):
    """PostgreSQL only: the trigram index, with a message an operator can act on when the role may
    not create the extension."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception as error:  # noqa: BLE001  (privileges, or the contrib package missing)
                raise RuntimeError(
                    "Entity search needs the PostgreSQL extension pg_trgm, and the database role could not "
                    f"create it ({str(error).splitlines()[0]}). Ask a database administrator to run "
                    f"CREATE EXTENSION IF NOT EXISTS pg_trgm; in database {connection.settings_dict.get('NAME')!r}, "
                    "then run `coalition migrate` again."
                ) from error
        cursor.execute(f"CREATE INDEX {TRIGRAM_INDEX} ON pledges_entity USING gin (search_name gin_trgm_ops)")


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("entities", "0003_access_request_type_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="entity",
            name="search_name",
            field=models.CharField(
                blank=True, editable=False, max_length=400, db_default="",
                help_text="The name as search and the duplicate check compare it (`common.spelling.name_key`); "
                "set by save().",
            ),
        ),
        migrations.RunPython(search_names_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="entity",
            index=models.Index(fields=["search_name"], name="entity_search_name"),
        ),
        migrations.RunPython(trigram_index_create, trigram_index_drop),
    ]
