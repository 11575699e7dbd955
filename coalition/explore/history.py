"""The full history of an entity (its record, its pledges, their revisions and reports) for its
focal points: it names people, so it is never public.
"""

from django.utils.translation import gettext as _

from coalition.common.history import HistoryEntry, tracked_fields, version_entries
from coalition.entities.models import Entity
from coalition.pledges.models import RevisionTransition
from coalition.pledges.selectors.history import history_subject_in_words, pledge_history
from coalition.reporting.models import ProgressReportTransition


def entity_history(entity: Entity) -> list[HistoryEntry]:
    """Every recorded change to an entity and to its pledges, their revisions and progress
    reports, with who and when, newest first. For the entity's own focal points: it names people.
    A few queries per pledge version; the page paginates the result.
    """
    records = Entity.history.filter(id=entity.pk).select_related("history_user").order_by("history_date", "history_id")
    entries = version_entries(records, lambda r: str(entity), tracked_fields(Entity, {"created_at", "updated_at"}))
    for pledge in entity.led_pledges.all():
        for entry in pledge_history(pledge):
            entries.append(HistoryEntry(
                at=entry.at, user=entry.user, subject=f"“{pledge.title}”: {history_subject_in_words(entry.subject)}",
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
