"""The registry as it stood at a moment: the reading side of "what did the registry say on date D?".

Every pledge, partner, entity and report change writes a dated version (django-simple-history),
and group memberships carry valid-from/valid-to dates. A snapshot picks, for each object, its
latest version at the moment and drops objects whose latest version is a deletion. Today's
figures are read the same way as last year's, so a figure quoted today can be re-derived later
with `?as_of=` and the two code paths can never drift apart.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Entity, Pledge, PledgePartner
from .models_reporting import ProgressReport
from .workflow import Status


@dataclass(frozen=True)
class AsOf:
    """The moment figures describe: the end of `date` in the site's time zone, or now for today."""

    date: datetime.date
    moment: datetime.datetime
    is_today: bool

    @property
    def query_value(self) -> str:
        """What to put in `?as_of=` to see the same figures again ("" for today)."""
        return "" if self.is_today else self.date.isoformat()

    def year_earlier(self) -> "AsOf":
        """The same day one year before (28 February for a 29 February)."""
        try:
            day = self.date.replace(year=self.date.year - 1)
        except ValueError:
            day = self.date.replace(year=self.date.year - 1, day=28)
        return as_of_date(day)


def as_of_now() -> AsOf:
    now = timezone.now()
    return AsOf(date=timezone.localdate(now), moment=now, is_today=True)


def as_of_date(day: datetime.date) -> AsOf:
    """The registry at the end of `day`; today (or a future day) means now."""
    if day >= timezone.localdate():
        return as_of_now()
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    end = timezone.make_aware(next_day) - datetime.timedelta(microseconds=1)
    return AsOf(date=day, moment=end, is_today=False)


def as_of_parse(value: str | None) -> AsOf:
    """`?as_of=YYYY-MM-DD` read into an AsOf; blank means now.

    Raises ValidationError on the `as_of` field for anything but an ISO date.
    """
    value = (value or "").strip()
    if not value:
        return as_of_now()
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {"as_of": _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2025-06-30.") % {"value": value}}
        ) from None
    return as_of_date(day)


def versions_as_of(model: type[models.Model], moment: datetime.datetime) -> QuerySet:
    """The latest version of every object of a history-tracked `model` at `moment`, deleted
    objects left out. Returns a queryset of the historical model (its fields are the object's,
    its primary key `history_id`).
    """
    history = model.history.model
    latest = (
        history.objects.filter(id=OuterRef("id"), history_date__lte=moment)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return history.objects.filter(history_date__lte=moment, history_id=Subquery(latest)).exclude(history_type="-")


def published_pledge_versions(as_of: AsOf) -> QuerySet:
    """The version of each pledge that was published at the moment: what the public saw."""
    return versions_as_of(Pledge, as_of.moment).filter(status=Status.PUBLISHED)


def entity_versions(as_of: AsOf) -> QuerySet:
    return versions_as_of(Entity, as_of.moment)


def partner_versions(as_of: AsOf) -> QuerySet:
    return versions_as_of(PledgePartner, as_of.moment)


def report_versions(as_of: AsOf) -> QuerySet:
    return versions_as_of(ProgressReport, as_of.moment)
