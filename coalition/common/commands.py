"""Helpers for the `coalition` management commands."""

import datetime

from django.core.management.base import CommandError


def command_date(value: str, option: str) -> datetime.date:
    """The value of a command-line `option` read as a date; CommandError naming the option otherwise."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, not {value!r}.") from None
