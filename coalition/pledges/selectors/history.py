"""Reads of a pledge's history: every recorded change for reviewers and its focal points, and the
public change history of a published pledge.
"""

import datetime
from itertools import groupby
from typing import Any

from django.utils.translation import gettext as _

from coalition.common.history import HistoryEntry, tracked_fields, version_entries
from coalition.pledges.models import Pledge, PledgePartner, PledgeTarget


def pledge_history(pledge: Pledge) -> list[HistoryEntry]:
    """Every recorded change to a pledge, its targets and partners, oldest first.

    Field changes name the field and give the old and new values (many-to-many links as
    lists of names). Reads only; a few queries per version, meant for one pledge's audit page.
    """
    m2m = [f.name for f in Pledge.history.model._history_m2m_fields]
    records = Pledge.history.filter(id=pledge.pk).select_related("history_user").order_by("history_date", "history_id")
    entries = version_entries(records, lambda r: "pledge", tracked_fields(Pledge, {"created_at"}), m2m)

    targets = PledgeTarget.history.filter(pledge_id=pledge.pk).select_related("history_user").order_by(
        "id", "history_date", "history_id"
    )
    for _target_id, group in groupby(targets, key=lambda r: r.id):
        entries += version_entries(list(group), lambda r: f"target “{r.description}”", tracked_fields(PledgeTarget, {"pledge"}))

    partners = PledgePartner.history.filter(pledge_id=pledge.pk).select_related("history_user").order_by(
        "id", "history_date", "history_id"
    )
    for _partner_id, group in groupby(partners, key=lambda r: r.id):
        entries += version_entries(list(group), lambda r: f"partner {r.entity}", tracked_fields(PledgePartner, {"pledge"}))

    return sorted(entries, key=lambda entry: entry.at)


# What the public never sees in a pledge's history: workflow bookkeeping and who handles it.
PRIVATE_FIELDS = frozenset({"status", "submitted_at", "published_at", "assigned_to", "created_by", "is_demo", "value_usd",
                            "value_usd_provisional"})


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


def history_subject_in_words(subject: str) -> str:
    """`pledge_history`'s subjects (`pledge`, `target “…”`, `partner …`) in the reader's language."""
    if subject == "pledge":
        return _("pledge")
    for prefix, words in (("target ", _("target %(name)s")), ("partner ", _("partner %(name)s"))):
        if subject.startswith(prefix):
            return words % {"name": subject.removeprefix(prefix)}
    return subject
