"""Writes to the national measures member states report under a plan: a policy adopted, a law, a
project launched. Recorded by the country's focal points (or the secretariat), moderated like
activities (`MEASURE_WORKFLOW`), one dated version per write.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import MeasureKind, NationalMeasure, ReviewStatus
from coalition.actionplan.permissions import user_is_country_focal_point
from coalition.actionplan.services.moderated import (
    choice_check,
    content_state,
    content_state_of,
    content_write,
    date_check,
    moment_effects,
    url_check,
)
from coalition.actionplan.workflow import EDITABLE_STATES, MEASURE_WORKFLOW
from coalition.common.text import TEXT_LIMIT, length_check, line_clean, text_clean
from coalition.common.versions import version_check

MEASURE_FIELDS = ("country", "kind", "title", "description", "adopted_on", "url")
MEASURE_LINKS = ("actions", "framework_nodes")


def measure_data(measure: NationalMeasure) -> dict[str, Any]:
    """A measure's content as the services take it (and edit forms show it)."""
    return {**{name: getattr(measure, name) for name in MEASURE_FIELDS},
            **{name: list(getattr(measure, name).all()) for name in MEASURE_LINKS}}


def measure_clean(*, data: Mapping[str, Any], complete: bool = False) -> dict[str, Any]:
    """Validate a national measure's fields and return them normalised.

    `data` holds MEASURE_FIELDS (a Country for `country`) and MEASURE_LINKS as iterables of
    instances. The date it was adopted or launched is not in the future (a measure is recorded
    once taken). One going to review (`complete`) also says what the measure does.
    """
    errors: dict[str, str] = {}
    clean = {name: data.get(name) for name in MEASURE_FIELDS}
    links = {name: list(data.get(name) or []) for name in MEASURE_LINKS}
    clean["title"], clean["url"] = line_clean(clean["title"]), text_clean(clean["url"])
    clean["description"] = text_clean(clean["description"])
    if clean["country"] is None:
        errors["country"] = _("Choose the country that took the measure.")
    choice_check(errors, "kind", clean["kind"], MeasureKind, _("Choose the kind of measure."))
    if not clean["title"]:
        errors["title"] = _("Give the measure a title.")
    length_check(errors, "title", clean["title"], limit=300, label=gettext_lazy("title"))
    length_check(errors, "description", clean["description"], limit=TEXT_LIMIT, label=gettext_lazy("description"))
    date_check(errors, "adopted_on", clean["adopted_on"], latest=timezone.localdate())
    url_check(errors, "url", clean["url"], limit=1000, label=gettext_lazy("link"))
    if complete and not clean["description"]:
        errors["description"] = _("Say what the measure does and for whom.")
    if errors:
        raise ValidationError(errors)
    return {**clean, **links}


def _country_check(actor, country) -> None:
    if not (user_is_reviewer(actor) or user_is_country_focal_point(actor, country)):
        raise PermissionDenied(_("Only focal points of %(country)s can do this.") % {"country": country})


def _write(measure: NationalMeasure, clean: Mapping[str, Any], *, actor, reason: str) -> bool:
    return content_write(measure, values={name: clean[name] for name in MEASURE_FIELDS},
                         links={name: clean[name] for name in MEASURE_LINKS}, actor=actor, reason=reason,
                         at=timezone.now())


@transaction.atomic
def measure_create(*, actor, data: Mapping[str, Any]) -> NationalMeasure:
    """Record a draft national measure of `data['country']` (see `measure_clean`).

    The country's focal points record its measures, the secretariat's reviewers any country's.
    Writes the measure, its links and its first version; it is public once a reviewer publishes it.
    """
    clean = measure_clean(data=data)
    _country_check(actor, clean["country"])
    measure = NationalMeasure(status=ReviewStatus.DRAFT, created_by=actor)
    _write(measure, clean, actor=actor, reason="created")
    return measure


@transaction.atomic
def measure_update(*, actor, measure: NationalMeasure, data: Mapping[str, Any],
                   seen_version: int | None = None) -> NationalMeasure:
    """Replace a measure's content with `data` (every field, as for creation).

    MEASURE_WORKFLOW says who edits in which state (the country's focal points while a draft or
    returned, reviewers also under review); moving it to another country needs the right to act
    for that one too. `seen_version` refuses a save over someone else's later change. One version
    when something changed.
    """
    measure = NationalMeasure.objects.select_for_update().select_related("country").get(pk=measure.pk)
    MEASURE_WORKFLOW.check_edit(measure, actor)
    clean = measure_clean(data=data, complete=measure.status not in EDITABLE_STATES)
    if clean["country"].pk != measure.country_id:
        _country_check(actor, clean["country"])
    version_check(measure, seen=seen_version, changes_nothing=lambda: content_state_of(
        {name: clean[name] for name in MEASURE_FIELDS}, {name: clean[name] for name in MEASURE_LINKS},
    ) == content_state(measure, MEASURE_FIELDS, MEASURE_LINKS))
    _write(measure, clean, actor=actor, reason="edited")
    return measure


@transaction.atomic
def measure_move(*, actor, measure: NationalMeasure, action: str, comment: str = "",
                 at: datetime.datetime | None = None) -> NationalMeasure:
    """Move a national measure along MEASURE_WORKFLOW: submit and withdraw are the country's focal
    points' (and reviewers'), the decisions the reviewers' (request changes and reject with a
    comment). Submitting checks it is complete; publishing dates the publication. Records the
    decision and a version, and tells the person who recorded it about a reviewer's decision.
    """
    measure = NationalMeasure.objects.select_for_update().select_related("country").get(pk=measure.pk)
    return MEASURE_WORKFLOW.move(
        measure, actor=actor, action=action, comment=comment, at=at,
        effects=moment_effects(lambda obj: measure_clean(data=measure_data(obj), complete=True)),
    )
