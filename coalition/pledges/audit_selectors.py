"""Reads for history and audit: the public change history of a published pledge, and the full
history of an entity (its record, its pledges, their revisions and reports) for its focal points.
"""

import datetime
from typing import Any

from django.utils.translation import gettext as _

from .models import Entity, Pledge
from .models_reporting import ProgressReportTransition
from .models_revisions import RevisionTransition
from .selectors import HistoryEntry, _diffs, _tracked, pledge_history

# What the public never sees in a pledge's history: workflow bookkeeping and who handles it.
PRIVATE_FIELDS = frozenset({"status", "submitted_at", "published_at", "assigned_to", "created_by", "is_demo", "value_usd"})


def pledge_public_history(pledge: Pledge) -> list[dict[str, Any]]:
    """When a published pledge was published and when its content changed since, newest first.

    Each item is {"at", "fields", "published"}: the first version in the published state is
    the publication; every later published version that changed public fields lists their names
    (as in `pledge_history`). No values, people or reasons. Read from the versions' states, not
    their reasons, so imported or generated histories read the same.
    """
    public_moments = list(
        Pledge.history.filter(id=pledge.pk, status="published").order_by("history_date")
        .values_list("history_date", flat=True)
    )
    if not public_moments:
        return []
    published, later = public_moments[0], set(public_moments[1:])
    by_moment: dict[datetime.datetime, set[str]] = {}
    for entry in pledge_history(pledge):
        if entry.at not in later:
            continue
        fields = by_moment.setdefault(entry.at, set())
        if entry.subject.startswith("target"):
            fields.add("targets")
        elif entry.subject.startswith("partner"):
            fields.add("partners")
        else:
            fields.update(change.field for change in entry.changes if change.field not in PRIVATE_FIELDS)
    changes = [
        {"at": at, "fields": sorted(fields), "published": False}
        for at, fields in sorted(by_moment.items(), reverse=True) if fields
    ]
    return [*changes, {"at": published, "fields": [], "published": True}]


def _subject_in_words(subject: str) -> str:
    """`pledge_history`'s subjects (`pledge`, `target “…”`, `partner …`) in the reader's language."""
    if subject == "pledge":
        return _("pledge")
    for prefix, words in (("target ", _("target %(name)s")), ("partner ", _("partner %(name)s"))):
        if subject.startswith(prefix):
            return words % {"name": subject.removeprefix(prefix)}
    return subject


def entity_history(entity: Entity) -> list[HistoryEntry]:
    """Every recorded change to an entity and to its pledges, their revisions and progress
    reports, with who and when, newest first. For the entity's own focal points: it names people.
    A few queries per pledge version; the page paginates the result.
    """
    records = Entity.history.filter(id=entity.pk).select_related("history_user").order_by("history_date", "history_id")
    entries = _diffs(records, lambda r: str(entity), _tracked(Entity, {"created_at", "updated_at"}))
    for pledge in entity.led_pledges.all():
        for entry in pledge_history(pledge):
            entries.append(HistoryEntry(
                at=entry.at, user=entry.user, subject=f"“{pledge.title}”: {_subject_in_words(entry.subject)}",
                kind=entry.kind, reason=entry.reason, changes=entry.changes,
            ))
    revisions = RevisionTransition.objects.filter(revision__pledge__lead_entity=entity).select_related(
        "actor", "revision", "revision__pledge"
    )
    for move in revisions:
        entries.append(HistoryEntry(
            at=move.at, user=move.actor, subject=f"“{move.revision.pledge.title}”: "
            + _("revision %(number)s") % {"number": move.revision.number},
            kind=move.get_to_status_display(), reason=move.comment,
        ))
    reports = ProgressReportTransition.objects.filter(report__pledge__lead_entity=entity).select_related(
        "actor", "report", "report__pledge"
    )
    for move in reports:
        entries.append(HistoryEntry(
            at=move.at, user=move.actor, subject=f"“{move.report.pledge.title}”: " + _("report %(year)s") % {"year": move.report.year},
            kind=move.get_to_status_display(), reason=move.comment,
        ))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
