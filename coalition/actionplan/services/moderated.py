"""What the services of the moderated objects (activities, participations, national measures)
share: one dated version per write, many-to-many links included, and the checks their fields
have in common.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext as _

from coalition.actionplan.models import ReviewAction, ReviewStatus
from coalition.common.asof import EARLIEST
from coalition.common.text import length_check
from coalition.common.versions import save_with_version, version_bump


@contextmanager
def _unrecorded(obj: models.Model):
    """Silence the per-save and per-link history signals: the service records one version itself."""
    obj.skip_history_when_saving = True
    try:
        yield
    finally:
        del obj.skip_history_when_saving


def content_state_of(values: Mapping[str, Any], links: Mapping[str, Iterable]) -> tuple:
    """Content comparable across writes: foreign keys by id, links as sets of ids."""
    scalars = tuple((name, value.pk if isinstance(value, models.Model) else value) for name, value in values.items())
    return scalars, tuple((name, frozenset(item.pk for item in items)) for name, items in links.items())


def content_state(obj: models.Model, fields: Iterable[str], links: Iterable[str]) -> tuple:
    """`content_state_of` what `obj` holds now."""
    return content_state_of({name: getattr(obj, name) for name in fields},
                            {name: list(getattr(obj, name).all()) for name in links})


def content_write(obj: models.Model, *, values: Mapping[str, Any], links: Mapping[str, Iterable], actor, reason: str,
                  at: datetime.datetime) -> bool:
    """Write `values` (fields) and `links` (many-to-many fields: objects) on `obj`, the one write path
    of moderated content. A new object gets its first version; an existing one, only when something
    changed, one more edit (`version`) and one version. Returns whether anything was written. The
    caller checks permission and state and holds the row lock."""
    created = obj.pk is None
    before = None if created else content_state(obj, values, links)
    for name, value in values.items():
        setattr(obj, name, value)
    with _unrecorded(obj):
        obj.save()
        for name, targets in links.items():
            getattr(obj, name).set(targets)
    if not created and content_state_of(values, links) == before:
        return False
    if not created:
        version_bump(obj)
    # Saved again, so that the version records the links as they now are.
    save_with_version(obj, actor=actor, reason=reason, at=at)
    return True


def moment_effects(check_complete: Callable[[Any], Any]):
    """A workflow's `effects`: check what a submission needs (`check_complete(obj)` raises), and
    date the submission and the publication."""

    def effects(obj, transition, moment: datetime.datetime) -> None:
        if transition.action == ReviewAction.SUBMIT:
            check_complete(obj)
            obj.submitted_at = moment
        if transition.target == ReviewStatus.PUBLISHED:
            obj.published_at = moment

    return effects


def choice_check(errors: dict, field: str, value, choices: type[models.TextChoices], message: str) -> None:
    if value not in choices.values:
        errors[field] = message


def date_check(errors: dict, field: str, value, *, latest: datetime.date, required: bool = False,
               missing: str = "") -> None:
    """A date within the years the platform covers (from `asof.EARLIEST` to `latest`)."""
    if value is None:
        if required:
            errors[field] = missing
    elif not isinstance(value, datetime.date):
        errors[field] = _("Write the date as YYYY-MM-DD.")
    elif not EARLIEST <= value <= latest:
        errors[field] = _("Choose a date between %(earliest)s and %(latest)s.") % {
            "earliest": EARLIEST.isoformat(), "latest": latest.isoformat()}


def url_check(errors: dict, field: str, url: str, *, limit: int, label) -> None:
    """A web link people will follow: http or https, within its column."""
    if not url:
        return
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors[field] = _("Give a full web address starting with https:// or http://.")
    length_check(errors, field, url, limit=limit, label=label)
