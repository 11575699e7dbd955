"""Reads of the registry. Views, API, admin and commands all call these."""

import datetime
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import groupby
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from coalition.common.i18n import fold

from .models import Entity, Pledge, PledgePartner, PledgeTarget, PledgeTransition
from .permissions import user_is_reviewer
from .workflow import Status


def pledge_list_published() -> QuerySet[Pledge]:
    return Pledge.objects.filter(status=Status.PUBLISHED).select_related(
        "lead_entity", "initiative", "value_currency", "campaign"
    )


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


def _field_changes(record, previous, fields, m2m_fields) -> list[Change]:
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


def _diffs(records, subject_of, fields, m2m_fields=()) -> list[HistoryEntry]:
    """Entries for the versions of one object, oldest first; versions that changed nothing are skipped."""
    entries, previous = [], None
    for record in records:
        changes = [] if previous is None else _field_changes(record, previous, fields, m2m_fields)
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


def _tracked(model, exclude=()) -> list:
    return [
        f for f in model.history.model._meta.fields
        if not f.name.startswith("history_") and f.name not in {"id", *exclude}
    ]


def pledge_history(pledge: Pledge) -> list[HistoryEntry]:
    """Every recorded change to a pledge, its targets and partners, oldest first.

    Field changes name the field and give the old and new values (many-to-many links as
    lists of names). Reads only; a few queries per version, meant for one pledge's audit page.
    """
    m2m = [f.name for f in Pledge.history.model._history_m2m_fields]
    records = Pledge.history.filter(id=pledge.pk).select_related("history_user").order_by("history_date", "history_id")
    entries = _diffs(records, lambda r: "pledge", _tracked(Pledge, {"created_at"}), m2m)

    targets = PledgeTarget.history.filter(pledge_id=pledge.pk).select_related("history_user").order_by(
        "id", "history_date", "history_id"
    )
    for _target_id, group in groupby(targets, key=lambda r: r.id):
        entries += _diffs(list(group), lambda r: f"target “{r.description}”", _tracked(PledgeTarget, {"pledge"}))

    partners = PledgePartner.history.filter(pledge_id=pledge.pk).select_related("history_user").order_by(
        "id", "history_date", "history_id"
    )
    for _partner_id, group in groupby(partners, key=lambda r: r.id):
        entries += _diffs(list(group), lambda r: f"partner {r.entity}", _tracked(PledgePartner, {"pledge"}))

    return sorted(entries, key=lambda entry: entry.at)


def pledge_transitions(pledge: Pledge) -> QuerySet[PledgeTransition]:
    return pledge.transitions.select_related("actor").order_by("at", "id")


def entities_for(user) -> QuerySet[Entity]:
    """Entities the user may pledge for: their own as a focal point; any for the secretariat."""
    if not user.is_authenticated:
        return Entity.objects.none()
    if user_is_reviewer(user):
        return Entity.objects.order_by("name")
    return Entity.objects.filter(focal_points__user=user).distinct().order_by("name")


def pledge_list_for_pledger(user) -> QuerySet[Pledge]:
    """Pledges led by the entities the user is a focal point of, newest activity first."""
    return (
        Pledge.objects.filter(lead_entity__focal_points__user=user)
        .select_related("lead_entity", "initiative")
        .prefetch_related(Prefetch("transitions", queryset=PledgeTransition.objects.order_by("-at", "-id")))
        .distinct()
        .order_by("-updated_at", "-id")
    )


REVIEW_STATES = (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED)


def review_queue(*, reviewer, status: str = "", initiative=None, assigned: str = "", search: str = "") -> QuerySet[Pledge]:
    """Pledges waiting on the secretariat, oldest submission first.

    `assigned` is "me", "none" or "" (everyone); `status` one of the review states or "" for
    submitted and in review.
    """
    states = [status] if status in REVIEW_STATES else [Status.SUBMITTED, Status.IN_REVIEW]
    pledges = Pledge.objects.filter(status__in=states).select_related(
        "lead_entity", "lead_entity__home_country", "initiative", "assigned_to"
    )
    if initiative is not None:
        pledges = pledges.filter(initiative=initiative)
    if assigned == "me":
        pledges = pledges.filter(assigned_to=reviewer)
    elif assigned == "none":
        pledges = pledges.filter(assigned_to=None)
    if search:
        pledges = pledges.filter(Q(title__icontains=search) | Q(lead_entity__name__icontains=search))
    return pledges.order_by("submitted_at", "id")


def pledge_possible_duplicates(pledge: Pledge, *, threshold: float = 0.75) -> list[Pledge]:
    """Other pledges of the same lead entity whose titles read almost the same.

    A hint for the reviewer, not a rule: titles are compared case- and accent-insensitively
    with difflib's ratio.
    """
    title = fold(pledge.title)
    others = Pledge.objects.filter(lead_entity_id=pledge.lead_entity_id).exclude(pk=pledge.pk).exclude(
        status=Status.DRAFT
    )
    return [
        other for other in others.only("id", "title", "status", "lead_entity_id")
        if SequenceMatcher(None, title, fold(other.title)).ratio() >= threshold
    ]


