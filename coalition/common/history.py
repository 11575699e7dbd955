"""Field-by-field differences between the dated versions of an object (django-simple-history).

Reads only. Pages that show who changed what, when, from what to what, build their entries here.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change: who, when, what kind of object, which fields from what to what."""

    at: datetime.datetime
    user: Any
    subject: str
    kind: str  # created, changed, deleted
    reason: str
    changes: list[Change] = field(default_factory=list)


_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def field_changes(record, previous, fields, m2m_fields=()) -> list[Change]:
    """Field-by-field differences between two versions, related rows shown by name."""
    changes = []
    for model_field in fields:
        old, new = getattr(previous, model_field.attname), getattr(record, model_field.attname)
        if old != new:
            if model_field.is_relation:
                old = getattr(previous, model_field.name) if old is not None else None
                new = getattr(record, model_field.name) if new is not None else None
            changes.append(Change(model_field.name, old, new))
    if m2m_fields:
        delta = record.diff_against(previous, included_fields=m2m_fields)
        for change in delta.changes:
            changes.append(Change(change.field, _m2m_names(previous, change.field), _m2m_names(record, change.field)))
    return changes


def _m2m_names(record, name: str) -> list[str]:
    target = record.instance_type._meta.get_field(name).m2m_reverse_field_name()
    return sorted(str(getattr(row, target)) for row in getattr(record, name).select_related(target))


def version_entries(records, subject_of, fields, m2m_fields=()) -> list[HistoryEntry]:
    """Entries for the versions of one object, oldest first; versions that changed nothing are skipped."""
    entries, previous = [], None
    for record in records:
        changes = [] if previous is None else field_changes(record, previous, fields, m2m_fields)
        if previous is None or changes or record.history_type != "~":
            entries.append(
                HistoryEntry(
                    at=record.history_date,
                    user=record.history_user,
                    subject=subject_of(record),
                    kind=_KINDS[record.history_type],
                    reason=record.history_change_reason or "",
                    changes=changes,
                )
            )
        previous = record
    return entries


def tracked_fields(model, exclude=()) -> list:
    """The object's own fields as its versions record them (not the versions' bookkeeping:
    history_*, the edit version, the validity interval's end)."""
    return [
        f for f in model.history.model._meta.fields
        if not f.name.startswith("history_") and f.name not in {"id", "version", "valid_to", *exclude}
    ]
