"""Writes that leave a dated version behind (django-simple-history): who, when and why.

Services write workflow objects and their child rows through these, so every row's history says
who changed it and when, and a later save of the same instance is never signed by an earlier one.
"""

import datetime
from collections.abc import Callable, Hashable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

from coalition.common.history import Change, field_changes, tracked_fields
from coalition.common.intervals import VersionInterval


def save_with_version(obj: models.Model, *, actor, reason: str = "", at: datetime.datetime) -> None:
    """Save `obj` and write its dated version with who (`actor`) and why (`reason`)."""
    obj._history_user, obj._change_reason, obj._history_date = actor, reason, at
    try:
        obj.save()
    finally:
        del obj._history_user, obj._change_reason, obj._history_date


def delete_with_version(obj: models.Model, *, actor, reason: str = "", at: datetime.datetime) -> None:
    """Delete `obj`; its last version (a deletion) says who and when."""
    obj._history_user, obj._change_reason, obj._history_date = actor, reason, at
    obj.delete()


def same_value(old: Any, new: Any) -> bool:
    """Equality as a form means it: a Decimal equals the same number typed as text."""
    if isinstance(old, Decimal) and new not in (None, ""):
        return old == Decimal(str(new))
    return old == new


def rows_sync(
    *, current: Mapping[Hashable, models.Model], wanted: Mapping[Hashable, Mapping[str, Any]],
    new: Callable[[Hashable], models.Model], actor, at: datetime.datetime,
) -> None:
    """Make the child rows `current` (by key) hold `wanted` (by key: field values), keeping the
    rows that stay and their history: rows no longer wanted are deleted, new keys get a row
    made by `new(key)`, and a row is saved (with its version) only when a value changed."""
    for key, row in current.items():
        if key not in wanted:
            delete_with_version(row, actor=actor, at=at)
    for key, values in wanted.items():
        row = current.get(key) or new(key)
        if row.pk and all(same_value(getattr(row, name), value) for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        save_with_version(row, actor=actor, at=at)


# --- Optimistic concurrency ----------------------------------------------------------------------
# Workflow objects carry a `version` number, raised by every write of their content. An edit form
# sends back the number it was opened at; a save over a later number is refused, so two people
# editing the same pledge or report never silently undo each other's work.


class EditConflict(ValidationError):
    """Someone saved the object after the person editing it opened their form.

    The message (on the `version` key) says who, when and which fields; `version` is the number
    the form should now carry, so that saving again keeps this person's input deliberately.
    """

    def __init__(self, message: str, *, version: int):
        super().__init__({"version": message})
        self.version = version


def version_seen(value: Any) -> int | None:
    """The version a form was opened at (its hidden "version" input); None when absent or garbled,
    which saves without the check."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def version_check(
    obj: models.Model, *, seen: int | None, changes_nothing: Callable[[], bool] = lambda: False,
    label: Callable[[str], str] | None = None,
) -> None:
    """Raise EditConflict when `obj` (read under its row lock) moved past version `seen`.

    A stale save that would leave the content as it now is loses nothing and is let through
    (`changes_nothing()`, asked only then): a double click on Save re-sends what was just saved.
    The message names each changed field by `label(name)`, by default its model's verbose name.
    """
    if seen is None or seen == obj.version or changes_nothing():
        return
    label = label or (lambda name: str(type(obj)._meta.get_field(name).verbose_name))
    raise EditConflict(_conflict_message(obj, seen, label), version=obj.version)


def version_bump(obj: models.Model) -> None:
    """Count one more write of `obj`'s content; call before the save that records it."""
    obj.version += 1


def _now_reads(label: Callable[[str], str], change: Change) -> str:
    """A changed field as the conflict message names it: its label and, unless it is a set of
    links, what it says now."""
    label = label(change.field)
    if isinstance(change.new, list):
        return str(label)
    if change.new in (None, ""):
        shown = _("now empty")
    else:
        text = " ".join(str(change.new).split())
        shown = _("now “%(value)s”") % {"value": text if len(text) <= 80 else text[:79] + "…"}
    return _("%(field)s: %(now)s") % {"field": label, "now": shown}


def _conflict_message(obj: models.Model, seen: int, label: Callable[[str], str]) -> str:
    history = obj.history.order_by("-history_date", "-history_id")
    latest, opened = history.first(), history.filter(version=seen).first()
    fields = []
    if latest is not None and opened is not None:
        model = type(obj)
        links = [field.name for field in getattr(latest, "_history_m2m_fields", [])]
        fields = [_now_reads(label, change) for change in field_changes(latest, opened, tracked_fields(model), links)]
    who = getattr(latest, "history_user", None)
    when = formats.date_format(timezone.localtime(latest.history_date), "j F Y, H:i") if latest else ""
    values = {"who": who.get_full_name() if who else _("Someone"), "when": when,
              "fields": "; ".join(fields) or _("targets or partners")}
    return _("%(who)s saved changes on %(when)s, after you opened this page (%(fields)s). Your input below "
             "is not saved yet: compare it with theirs, then save again to keep yours.") % values


# --- Versions written in bulk ---------------------------------------------------------------------

BULK_CHUNK = 500


def versions_bulk_record(objs: list[models.Model], *, actor, reason: str, at: datetime.datetime) -> None:
    """Record one changed ("~") version of each of `objs` (saved already, by a bulk update), as the
    services' one-by-one writes would: the fields as they are now, the many-to-many links as they
    are now, who, why and when. Each object's current version ends at `at` (`common.intervals`).
    A few queries per BULK_CHUNK objects, not per object; sends no per-version signal, so the
    caller says what changed (`common.signals.registry_changed`)."""
    if not objs:
        return
    model = type(objs[0])
    history = model.history.model
    links = getattr(history, "_history_m2m_fields", [])
    for start in range(0, len(objs), BULK_CHUNK):
        chunk = objs[start:start + BULK_CHUNK]
        ids = [obj.pk for obj in chunk]
        if issubclass(history, VersionInterval):
            history.objects.filter(id__in=ids, valid_to__isnull=True).update(valid_to=at)
        versions = history.objects.bulk_create([
            history(
                history_date=at, history_type="~", history_user=actor, history_change_reason=reason,
                **{field.attname: getattr(obj, field.attname) for field in history.tracked_fields},
            )
            for obj in chunk
        ])
        new_version = {version.id: version.history_id for version in versions}
        for field in links:
            _links_record(model, field, ids, new_version)


def _links_record(model: type[models.Model], field, ids: list, new_version: dict) -> None:
    """Copy the current rows of the many-to-many `field` of the objects `ids` to their new versions
    (what django-simple-history writes beside each version of a model with versioned links)."""
    link_history = HistoricalRecords.m2m_models[field]
    through = getattr(model, field.name).through
    source = get_m2m_field_name(field)
    names = [f.attname for f in through._meta.fields]
    rows = through.objects.filter(**{f"{source}__in": ids}).values_list(*names)
    source_at = names.index(through._meta.get_field(source).attname)
    link_history.objects.bulk_create(
        [link_history(history_id=new_version[row[source_at]], **dict(zip(names, row, strict=True))) for row in rows],
        batch_size=BULK_CHUNK,
    )
