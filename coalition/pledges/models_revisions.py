"""Revisions of published pledges: a proposed change, reviewed before it replaces the public content.

A published pledge stays exactly what the public sees until a revision is approved: the proposed
content lives in the revision's `data` (the shape `pledge_data` returns, serialised by
`revision_data_dump` / `revision_data_load`), never in the pledge's own rows. Revisions are
changed only through `revision_services.py`; their states and transitions are the table below.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RevisionAction(models.TextChoices):
    SUBMIT = "submit", _("Submit the change for review")
    PUBLISH = "publish", _("Approve and publish the change")
    REQUEST_CHANGES = "request_changes", _("Request changes to the revision")
    REJECT = "reject", _("Reject the change")
    WITHDRAW = "withdraw", _("Withdraw the change")


PLEDGER, REVIEWER = "pledger", "reviewer"

# action: (states it may start from, state it leads to, who may take it, comment required)
REVISION_TRANSITIONS: dict[str, tuple[frozenset[str], str, str, bool]] = {
    RevisionAction.SUBMIT: (
        frozenset({RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED}), RevisionStatus.SUBMITTED, PLEDGER, False
    ),
    RevisionAction.PUBLISH: (frozenset({RevisionStatus.SUBMITTED}), RevisionStatus.PUBLISHED, REVIEWER, False),
    RevisionAction.REQUEST_CHANGES: (
        frozenset({RevisionStatus.SUBMITTED}), RevisionStatus.CHANGES_REQUESTED, REVIEWER, True
    ),
    RevisionAction.REJECT: (frozenset({RevisionStatus.SUBMITTED}), RevisionStatus.REJECTED, REVIEWER, True),
    RevisionAction.WITHDRAW: (
        frozenset({RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.CHANGES_REQUESTED}),
        RevisionStatus.WITHDRAWN,
        PLEDGER,
        False,
    ),
}

# A pledge has at most one revision in these states.
OPEN_REVISION_STATES = frozenset({RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.CHANGES_REQUESTED})
# States in which the pledger may still edit the revision's content.
REVISION_EDITABLE_STATES = frozenset({RevisionStatus.DRAFT, RevisionStatus.CHANGES_REQUESTED})


def revision_allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, *_rest) in REVISION_TRANSITIONS.items() if status in sources]


class PledgeRevision(models.Model):
    """A proposed new content for a published pledge, numbered 1, 2, … per pledge."""

    pledge = models.ForeignKey("pledges.Pledge", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT, db_index=True,
        editable=False,
    )
    data = models.JSONField(_("proposed content"), default=dict, editable=False)
    reason = models.TextField(_("reason for the change"), help_text=_("Shown to the reviewers."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    reviewer_comment = models.TextField(_("reviewer's comment"), blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pledge", "number"]
        verbose_name = _("pledge revision")
        verbose_name_plural = _("pledge revisions")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "number"], name="revision_number_once_per_pledge"),
            models.UniqueConstraint(
                fields=["pledge"], condition=Q(status__in=sorted(OPEN_REVISION_STATES)),
                name="one_open_revision_per_pledge",
            ),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.pledge}"


class RevisionTransition(models.Model):
    """One decision on a revision: who moved it from which state to which, when and why."""

    revision = models.ForeignKey(PledgeRevision, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=RevisionAction.choices)
    from_status = models.CharField(max_length=20, choices=RevisionStatus.choices)
    to_status = models.CharField(max_length=20, choices=RevisionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["revision", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


# --- The proposed content, to and from JSON ------------------------------------------------------
# Foreign keys and links are stored as primary keys, decimals and dates as strings, so the
# revision keeps what was proposed even if the form changes; loading gives back `pledge_data`'s shape.

_TARGET_DECIMALS = ("target_value", "baseline_value")


def _dump_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _dump_decimal(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return _dump_value(Decimal(str(value)))


def revision_data_dump(data: dict[str, Any]) -> dict[str, Any]:
    """Pledge content (as `pledge_data` or `pledge_clean` give it) as JSON-ready values."""
    from .validation import M2M_FIELDS, SCALAR_FIELDS, TARGET_FIELDS

    dumped: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = data.get(name)
        if name in ("value_amount",):
            dumped[name] = _dump_decimal(value)
        elif name == "value_currency" and isinstance(value, str):
            dumped[name] = _currency_pk(value)
        else:
            dumped[name] = _dump_value(value)
    for name in M2M_FIELDS:
        dumped[name] = sorted(_dump_value(item) for item in data.get(name) or [])
    dumped["targets"] = [
        {
            field: _dump_decimal(target.get(field)) if field in _TARGET_DECIMALS else _dump_value(target.get(field))
            for field in TARGET_FIELDS
        }
        for target in data.get("targets") or []
    ]
    dumped["partners"] = [
        {"entity": _dump_value(partner.get("entity")), "role": partner.get("role") or ""}
        for partner in data.get("partners") or []
    ]
    return dumped


def _currency_pk(code: str) -> int | None:
    from coalition.reference.models import Currency

    return Currency.objects.filter(code=code.strip().upper()).values_list("pk", flat=True).first()


def revision_data_load(dumped: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `revision_data_dump`: model instances, decimals and dates again."""
    from .models import Entity, Pledge
    from .validation import M2M_FIELDS, SCALAR_FIELDS, TARGET_FIELDS

    data: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = dumped.get(name)
        field = Pledge._meta.get_field(name)
        if field.is_relation:
            value = field.related_model.objects.filter(pk=value).first() if value is not None else None
        elif isinstance(field, models.DecimalField):
            value = Decimal(value) if value is not None else None
        elif isinstance(field, models.DateField):
            value = datetime.date.fromisoformat(value) if value else None
        data[name] = value
    for name in M2M_FIELDS:
        model = Pledge._meta.get_field(name).related_model
        data[name] = list(model.objects.filter(pk__in=dumped.get(name) or []))
    data["targets"] = [
        {
            field: (
                Decimal(target[field]) if field in _TARGET_DECIMALS and target.get(field) is not None
                else datetime.date.fromisoformat(target[field]) if field == "target_date" and target.get(field)
                else target.get(field)
            )
            for field in TARGET_FIELDS
        }
        for target in dumped.get("targets") or []
    ]
    entities = Entity.objects.in_bulk([p["entity"] for p in dumped.get("partners") or []])
    data["partners"] = [
        {"entity": entities.get(partner["entity"]), "role": partner.get("role") or ""}
        for partner in dumped.get("partners") or []
    ]
    return data
