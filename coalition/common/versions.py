"""Writes that leave a dated version behind (django-simple-history): who, when and why.

Services write workflow objects and their child rows through these, so every row's history says
who changed it and when, and a later save of the same instance is never signed by an earlier one.
"""

import datetime
from collections.abc import Callable, Hashable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models


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
