"""The moment a page or a figure describes: "as of" a date, or now.

Every public figure carries its as-of date, and `?as_of=YYYY-MM-DD` asks for the registry (and the
indicator values) as they stood at the end of that day in the site's time zone.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# No figure the platform shows goes back further (pledge values and indicator series start in
# 1990); refusing earlier days also keeps "one year earlier" and the day's end within the calendar.
EARLIEST = datetime.date(1990, 1, 1)


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
        raise ValidationError({"as_of": _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2025-06-30.")
                                         % {"value": value[:40]}}) from None
    if day < EARLIEST:
        raise ValidationError({"as_of": _("Choose a date from %(earliest)s on: the registry holds nothing earlier.")
                                         % {"earliest": EARLIEST.isoformat()}})
    return as_of_date(day)


def as_of_asked(request) -> tuple[AsOf, str | None]:
    """The moment a page's `?as_of=` asks for, and the message to show when it is not a date
    (then the page shows today, and answers with a 400 status)."""
    try:
        return as_of_parse(request.GET.get("as_of")), None
    except ValidationError as error:
        return as_of_now(), error.message_dict["as_of"][0]
