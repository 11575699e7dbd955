"""When each dated version of an object held: valid from its `history_date` until the next version's.

The registry is read as it stood at any moment D ("what did the registry say on D?"). With the
end of each version stored beside its start, the versions current at D are a range condition
the database answers from an index —

    history_date <= D AND (valid_to IS NULL OR valid_to > D)

— instead of a search for the latest version of every object. Versions are ordered by
(history_date, history_id): of two versions written at the same instant the later row wins, and
the earlier one holds for an empty interval.

Every version written through django-simple-history closes the one before it (and, for a
version backdated between two others, takes its own end from the next one) in the same
transaction, through `post_create_historical_record`. Loaders that write version rows in bulk
(the demo generator, restores) call `intervals_rebuild` once at the end.
"""

import datetime

from django.db import connections, migrations, models
from django.db.models import Q


class VersionInterval(models.Model):
    """The base of every historical model the registry reads as of a date."""

    valid_to = models.DateTimeField(
        null=True, blank=True, editable=False, db_index=True,
        help_text="When the next version of the object replaced this one; empty for its current version.",
    )

    class Meta:
        abstract = True


def current_at(moment: datetime.datetime) -> Q:
    """The condition on a historical model that selects the versions current at `moment`
    (deletions included: a deleted object's last version has history_type "-")."""
    return Q(history_date__lte=moment) & (Q(valid_to__isnull=True) | Q(valid_to__gt=moment))


def intervals_follow(history_model: type[models.Model], object_id, *, using: str = "default") -> int:
    """Set the end of every version of one object from the version after it; returns the
    number of versions changed (usually one: the version the new one replaced)."""
    versions = list(
        history_model.objects.using(using).filter(id=object_id)
        .order_by("history_date", "history_id").values_list("history_id", "history_date", "valid_to")
    )
    changed = 0
    for (pk, _start, end), following in zip(versions, [*versions[1:], None], strict=True):
        expected = following[1] if following else None
        if end != expected:
            history_model.objects.using(using).filter(history_id=pk).update(valid_to=expected)
            changed += 1
    return changed


def intervals_rebuild(history_model: type[models.Model], *, using: str = "default", connection=None) -> None:
    """Set the end of every version of every object in one statement (after a bulk load)."""
    connection = connection or connections[using]
    quote = connection.ops.quote_name
    table = quote(history_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET valid_to = following.next_date FROM ("
            f" SELECT history_id, LEAD(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id) AS next_date"
            f" FROM {table}) AS following"
            f" WHERE {table}.history_id = following.history_id"
            f" AND ({table}.valid_to IS NULL AND following.next_date IS NOT NULL"
            f" OR {table}.valid_to IS NOT NULL AND following.next_date IS NULL"
            f" OR {table}.valid_to <> following.next_date)"
        )


def intervals_fill(app_label: str, *model_names: str) -> migrations.RunPython:
    """The migration operation that gives every existing version of the historical models
    `model_names` of `app_label` its end (the migrations that add `valid_to`)."""

    def fill(apps, schema_editor):
        for name in model_names:
            intervals_rebuild(apps.get_model(app_label, name), connection=schema_editor.connection)

    return migrations.RunPython(fill, migrations.RunPython.noop)


def interval_models() -> list[type[models.Model]]:
    """Every historical model that carries validity intervals."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, VersionInterval)]


def version_written(sender, history_instance, using=None, **kwargs) -> None:
    """`post_create_historical_record` receiver: close the version the new one replaced."""
    if isinstance(history_instance, VersionInterval):
        intervals_follow(sender, history_instance.id, using=using or "default")
