"""Reads of pledge revisions: the open revision, the reviewers' queue, and what a revision changes."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import formats

from coalition.common.history import Change
from coalition.pledges.content import M2M_FIELDS, SCALAR_FIELDS, pledge_data, revision_data_dump, revision_data_load
from coalition.pledges.models import OPEN_REVISION_STATES, Pledge, PledgeRevision, RevisionStatus, RevisionTransition


def revision_open_for(pledge: Pledge) -> PledgeRevision | None:
    """The pledge's revision in progress (draft, submitted or returned for changes), if any."""
    return pledge.revisions.filter(status__in=OPEN_REVISION_STATES).select_related("created_by").first()


def revision_list_for_pledge(pledge: Pledge) -> QuerySet[PledgeRevision]:
    """Every revision of a pledge, newest first, with its decisions (oldest first) and who made them."""
    return pledge.revisions.select_related("created_by", "decided_by").prefetch_related(
        Prefetch("transitions", queryset=RevisionTransition.objects.select_related("actor").order_by("at", "id"))
    ).order_by("-number")


def revision_review_queue() -> QuerySet[PledgeRevision]:
    """Revisions waiting on the secretariat, oldest submission first."""
    return PledgeRevision.objects.filter(status=RevisionStatus.SUBMITTED).select_related(
        "pledge", "pledge__lead_entity", "pledge__assigned_to"
    ).order_by("submitted_at", "id")


def revision_changes(revision: PledgeRevision) -> list[Change]:
    """Field by field, what the revision changes: the published value next to the proposed one.

    Fields are named as in `pledge_history`; related rows are shown by name, targets and
    partners as one line each.
    """
    return content_changes(revision_data_dump(pledge_data(revision.pledge)), revision.data)


def content_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Field by field, how two dumped contents of a pledge (`revision_data_dump`) differ, each
    value as the reviewer reads it."""
    old, new = revision_data_load(before), revision_data_load(after)
    return [
        Change(name, _display(name, old.get(name)), _display(name, new.get(name)))
        for name in (*SCALAR_FIELDS, *M2M_FIELDS, "targets", "partners")
        if before.get(name) != after.get(name)
    ]


def _value(value: Any) -> str:
    """One value in the reader's language: dates with the month's name, numbers grouped."""
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return formats.number_format(value.normalize(), force_grouping=True)
    return str(value)


def _display(name: str, value: Any) -> str:
    """A value as the reviewer reads it: choices by their label, lists joined with semicolons,
    nothing as a dash."""
    if name in M2M_FIELDS:
        items = sorted(str(item) for item in value or [])
    elif name == "targets":
        items = [
            f"{t.get('description')}: {_value(t.get('target_value'))} {t.get('unit')}"
            + (f" ({_value(t['target_date'])})" if t.get("target_date") else "")
            for t in value or []
        ]
    elif name == "partners":
        items = [f"{p['entity']}" + (f" ({p['role']})" if p.get("role") else "") for p in value or []]
    else:
        field = Pledge._meta.get_field(name)
        if value in (None, ""):
            return "—"
        return str(dict(field.flatchoices).get(value, value)) if field.choices else _value(value)
    return "; ".join(items) or "—"
