"""The rules a plan's structure obeys, and the one way its records are written, whoever writes
them: a file the secretariat loads (`loading`), the admin and the update page (`services.plans`).

Each `*_clean` takes one record's own fields as typed or as text (a file gives text, a form
gives dates and numbers) and returns them typed and normalised, or raises ValidationError keyed
by the model's field names, worded for the person who typed them. Links to other records
(initiative, framework node, lead, partners, countries, the action continued) are resolved by
the caller, which knows whether it was given codes or objects. `references` says what still
points at an action or a pillar, so that nothing referenced is deleted. `record_save` and
`action_save` write a dated version only for what changed, so history and "as of" hold.
"""

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.actionplan.models import (
    Action,
    ActionStatus,
    Deliverable,
    DeliverableStatus,
    Pillar,
    Plan,
    action_history,
)
from coalition.common.i18n import choice_code, choice_codes
from coalition.common.text import TEXT_LIMIT, length_check, line_clean, text_clean
from coalition.common.versions import same_value, save_with_version
from coalition.pledges.validation import Bound, parse_decimal

# A weight fits its column (8 digits, 2 of them decimals) with room to spare.
WEIGHT = Bound(maximum=Decimal(10) ** 5, places=2)
FIRST_YEAR, LAST_YEAR = 1990, 2100
# Codes appear in page addresses (`action-plan/<plan>/actions/<code>/`).
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

PLAN_FIELDS = (
    "slug", "name_en", "name_fr", "short_name", "description_en", "description_fr", "start_year", "end_year",
    "endorsed_by", "endorsed_on", "endorsement_document", "endorsement_url", "source",
)
PILLAR_FIELDS = (
    "code", "name_en", "name_fr", "description_en", "description_fr", "working_group_en", "working_group_fr",
    "weight", "order",
)
ACTION_FIELDS = (
    "code", "title_en", "title_fr", "description_en", "description_fr", "start_date", "end_date", "status", "weight",
    "order", "illustrative",
)
DELIVERABLE_FIELDS = ("code", "title_en", "title_fr", "due_date", "weight", "progress", "status", "delivered_on", "order")
# What the working-group leads update (the rest of an action is the secretariat's).
PROGRESS_FIELDS = ("progress", "status", "delivered_on")

_DESCRIPTIONS = {"description_en", "description_fr"}


class _Cleaner:
    """Reads one record's fields into typed values, collecting one message per field."""

    def __init__(self, model: type[models.Model], data: Mapping[str, Any]):
        self.model, self.data = model, data
        self.errors: dict[str, str] = {}
        self.clean: dict[str, Any] = {}

    def label(self, name: str) -> str:
        return str(self.model._meta.get_field(name).verbose_name)

    def text(self, name: str, *, required: bool = False, missing: str = "") -> None:
        raw = self.data.get(name)
        value = text_clean(raw) if name in _DESCRIPTIONS else line_clean(raw)
        field = self.model._meta.get_field(name)
        limit = TEXT_LIMIT if name in _DESCRIPTIONS else field.max_length
        if required and not value:
            self.errors[name] = missing or _("Give the %(field)s.") % {"field": self.label(name)}
        length_check(self.errors, name, value, limit=limit, label=field.verbose_name)
        self.clean[name] = value

    def code(self, name: str = "code") -> None:
        self.text(name, required=True, missing=_("Give the code."))
        value = self.clean[name]
        if name not in self.errors and not CODE.match(value):
            self.errors[name] = _("“%(code)s” cannot be a code: use letters, digits, dots, hyphens and underscores, "
                                  "starting with a letter or a digit.") % {"code": value[:40]}

    def integer(self, name: str, *, low: int, high: int, default: int | None = None) -> None:
        raw = self.data.get(name)
        if raw in (None, ""):
            self.clean[name] = default
            if default is None:
                self.errors[name] = _("Give the %(field)s.") % {"field": self.label(name)}
            return
        try:
            number = int(str(raw).strip())
        except ValueError:
            self.errors[name] = _("“%(value)s” is not a whole number.") % {"value": str(raw)[:40]}
            return
        if not low <= number <= high:
            self.errors[name] = _("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            return
        self.clean[name] = number

    def weight(self, name: str = "weight") -> None:
        raw = self.data.get(name)
        if raw in (None, ""):
            self.clean[name] = Decimal(1)
            return
        number = parse_decimal(raw, name, self.errors, bound=WEIGHT)
        if number is not None and number < 0:
            self.errors[name] = _("A weight cannot be negative.")
        self.clean[name] = number

    def date(self, name: str) -> None:
        raw = self.data.get(name)
        if raw in (None, ""):
            self.clean[name] = None
        elif isinstance(raw, datetime.date):
            self.clean[name] = raw
        else:
            try:
                self.clean[name] = datetime.date.fromisoformat(str(raw).strip())
            except ValueError:
                self.errors[name] = _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2025-06-30.") % {
                    "value": str(raw)[:40]}

    def choice(self, name: str, choices, codes: dict[str, str], *, default: str) -> None:
        raw = self.data.get(name)
        if raw in (None, ""):
            self.clean[name] = default
            return
        code = choice_code(codes, raw)
        if code is None:
            self.errors[name] = _("“%(value)s” is not a status; choose one of: %(choices)s.") % {
                "value": str(raw)[:40], "choices": ", ".join(choices.values)}
        self.clean[name] = code

    def boolean(self, name: str) -> None:
        raw = self.data.get(name)
        if isinstance(raw, bool) or raw is None:
            self.clean[name] = bool(raw)
            return
        text = str(raw).strip().lower()
        if text in ("", "false", "no", "0", "non", "faux"):
            self.clean[name] = False
        elif text in ("true", "yes", "1", "oui", "vrai"):
            self.clean[name] = True
        else:
            self.errors[name] = _("“%(value)s” is neither true nor false.") % {"value": str(raw)[:40]}

    def url(self, name: str) -> None:
        self.text(name)
        if self.clean[name] and name not in self.errors:
            try:
                URLValidator(schemes=["http", "https"])(self.clean[name])
            except ValidationError:
                self.errors[name] = _("Give a full web address, starting with https://.")

    def done(self) -> dict[str, Any]:
        if self.errors:
            raise ValidationError(self.errors)
        return self.clean


_STATUS_CODES: dict[str, dict[str, str]] = {}


def _codes(choices) -> dict[str, str]:
    """Status codes and labels in every language, read once per process (`choice_codes`)."""
    if choices.__name__ not in _STATUS_CODES:
        _STATUS_CODES[choices.__name__] = choice_codes(choices)
    return _STATUS_CODES[choices.__name__]


def plan_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """A plan's own fields (PLAN_FIELDS), typed; its initiative and previous plan are the caller's."""
    read = _Cleaner(Plan, data)
    read.text("slug", required=True, missing=_("Give the plan a slug, e.g. ap-is-2022-2026."))
    if "slug" not in read.errors:
        try:
            validate_slug(read.clean["slug"])
        except ValidationError:
            read.errors["slug"] = _("“%(value)s” cannot be a slug: use letters, digits, hyphens and underscores.") % {
                "value": read.clean["slug"][:40]}
    read.text("name_en", required=True, missing=_("Give the plan's name in English."))
    read.text("name_fr")
    read.text("short_name", required=True, missing=_("Give the plan a short name, e.g. AP-IS 2022–2026."))
    read.text("description_en")
    read.text("description_fr")
    read.integer("start_year", low=FIRST_YEAR, high=LAST_YEAR)
    read.integer("end_year", low=FIRST_YEAR, high=LAST_YEAR)
    read.text("endorsed_by")
    read.date("endorsed_on")
    read.text("endorsement_document")
    read.url("endorsement_url")
    read.text("source")
    start, end = read.clean.get("start_year"), read.clean.get("end_year")
    if start and end and end < start and "end_year" not in read.errors:
        read.errors["end_year"] = _("The last year comes before the first year.")
    return read.done()


def pillar_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """A pillar's own fields (PILLAR_FIELDS), typed; its plan and framework node are the caller's."""
    read = _Cleaner(Pillar, data)
    read.code()
    read.text("name_en", required=True, missing=_("Give the pillar's name in English."))
    for name in ("name_fr", "description_en", "description_fr", "working_group_en", "working_group_fr"):
        read.text(name)
    read.weight()
    read.integer("order", low=0, high=32_767, default=0)
    return read.done()


def action_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """An action's own fields (ACTION_FIELDS), typed; its pillar and links are the caller's."""
    read = _Cleaner(Action, data)
    read.code()
    read.text("title_en", required=True, missing=_("Give the action's title in English."))
    for name in ("title_fr", "description_en", "description_fr"):
        read.text(name)
    read.date("start_date")
    read.date("end_date")
    read.choice("status", ActionStatus, _codes(ActionStatus), default=ActionStatus.NOT_STARTED)
    read.weight()
    read.integer("order", low=0, high=32_767, default=0)
    read.boolean("illustrative")
    start, end = read.clean.get("start_date"), read.clean.get("end_date")
    if start and end and end < start and "end_date" not in read.errors:
        read.errors["end_date"] = _("The end comes before the start.")
    return read.done()


def deliverable_clean(data: Mapping[str, Any], *, today: datetime.date | None = None) -> dict[str, Any]:
    """A deliverable's fields (DELIVERABLE_FIELDS), typed. A delivered deliverable is 100 % done
    (its progress defaults to 100) and only a delivered one has a delivery date, not in the future."""
    read = _Cleaner(Deliverable, data)
    read.code()
    read.text("title_en", required=True, missing=_("Give the deliverable's title in English."))
    read.text("title_fr")
    read.date("due_date")
    read.weight()
    read.choice("status", DeliverableStatus, _codes(DeliverableStatus), default=DeliverableStatus.PLANNED)
    delivered = read.clean.get("status") == DeliverableStatus.DELIVERED
    read.integer("progress", low=0, high=100, default=100 if delivered else 0)
    read.date("delivered_on")
    read.integer("order", low=0, high=32_767, default=0)
    _delivery_check(read, today=today)
    return read.done()


def deliverable_progress_clean(data: Mapping[str, Any], *, today: datetime.date | None = None) -> dict[str, Any]:
    """What a working-group lead updates on a deliverable (PROGRESS_FIELDS), typed, by the same rules."""
    read = _Cleaner(Deliverable, data)
    read.choice("status", DeliverableStatus, _codes(DeliverableStatus), default=DeliverableStatus.PLANNED)
    delivered = read.clean.get("status") == DeliverableStatus.DELIVERED
    read.integer("progress", low=0, high=100, default=100 if delivered else 0)
    read.date("delivered_on")
    _delivery_check(read, today=today)
    return read.done()


def action_status_clean(value: Any) -> str:
    read = _Cleaner(Action, {"status": value})
    read.choice("status", ActionStatus, _codes(ActionStatus), default=ActionStatus.NOT_STARTED)
    return read.done()["status"]


def _delivery_check(read: _Cleaner, *, today: datetime.date | None) -> None:
    status, progress, on = read.clean.get("status"), read.clean.get("progress"), read.clean.get("delivered_on")
    if status == DeliverableStatus.DELIVERED and progress is not None and progress != 100 \
            and "progress" not in read.errors:
        read.errors["progress"] = _("A delivered deliverable is 100 % done: set its progress to 100, or choose "
                                    "another status.")
    if on is not None and status != DeliverableStatus.DELIVERED and "delivered_on" not in read.errors:
        read.errors["delivered_on"] = _("Only a delivered deliverable has a delivery date: choose the status "
                                        "“Delivered”, or leave the date empty.")
    if on is not None and today is not None and on > today and "delivered_on" not in read.errors:
        read.errors["delivered_on"] = _("The delivery date is in the future.")


FIELD_LABELS = {
    "continuations": gettext_lazy("actions of a later plan continuing it"),
    "activities": gettext_lazy("activities recorded under it"),
    "national_measures": gettext_lazy("national measures naming it"),
    "good_practices": gettext_lazy("good practices naming it"),
    "leads": gettext_lazy("working-group leads appointed to it"),
}


def references(obj: models.Model, *, own: frozenset[str] = frozenset()) -> list[str]:
    """What still points at `obj` (an action or a pillar), as phrases ("activities recorded under
    it (2)"), leaving out the relations in `own` (its children, deleted with it). Every relation
    counts, those of apps written later included (activities, good practices): a record that
    another one names is never deleted from under it."""
    found = []
    for relation in type(obj)._meta.related_objects:
        name = relation.get_accessor_name()
        if not name or name in own:
            continue
        count = getattr(obj, name).count()
        if count:
            label = FIELD_LABELS.get(name) or relation.related_model._meta.verbose_name_plural
            found.append(f"{label} ({count})")
    return found


# --- The one write path: a dated version per change ---------------------------------------------


def record_save(obj: models.Model, values: Mapping[str, Any], *, actor, reason: str, at: datetime.datetime) -> str:
    """Give `obj` (a plan, pillar or deliverable) `values` and save it with its version, unless
    it is saved already and holds them: returns "created", "updated" or "unchanged"."""
    if obj.pk is not None and all(same_value(getattr(obj, name), value) for name, value in values.items()):
        return "unchanged"
    outcome = "updated" if obj.pk is not None else "created"
    for name, value in values.items():
        setattr(obj, name, value)
    save_with_version(obj, actor=actor, reason=reason, at=at)
    return outcome


def action_save(action: Action, values: Mapping[str, Any], *, partners, countries, actor, reason: str,
                at: datetime.datetime) -> str:
    """`record_save` for an action and its partners and countries: one version for the whole
    change (not one per save and per link), written only when something changed."""
    partner_ids, country_ids = {entity.pk for entity in partners}, {country.pk for country in countries}
    if action.pk is not None and all(same_value(getattr(action, name), value) for name, value in values.items()) \
            and set(action.partners.values_list("pk", flat=True)) == partner_ids \
            and set(action.countries.values_list("pk", flat=True)) == country_ids:
        return "unchanged"
    outcome = "updated" if action.pk is not None else "created"
    for name, value in values.items():
        setattr(action, name, value)
    action.skip_history_when_saving = True
    try:
        action.save()
        action.partners.set(partner_ids)
        action.countries.set(country_ids)
    finally:
        del action.skip_history_when_saving
    action._history_user, action._change_reason, action._history_date = actor, reason, at
    try:
        action_history.create_historical_record(action, "+" if outcome == "created" else "~")
    finally:
        del action._history_user, action._change_reason, action._history_date
    return outcome
