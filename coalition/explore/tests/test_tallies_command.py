"""`coalition tallies` counts the days not stored yet (or again), and forgets them on request."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.common.asof import as_of_date
from coalition.explore.daily import tallies_for
from coalition.explore.models import TalliedDay
from coalition.explore.tallies import for_pages, tallies_count
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)


def run(*args) -> str:
    out = StringIO()
    call_command("tallies", *args, stdout=out)
    return out.getvalue()


def test_it_counts_the_missing_days_of_a_period_and_skips_the_stored_ones(registry):
    tallies_for(as_of_date(datetime.date(2024, 5, 3)))
    assert "Counted 4 day(s) from 2024-05-01 to 2024-05-05" in run("--since", "2024-05-01", "--until", "2024-05-05")
    assert "Counted 0 day(s)" in run("--since", "2024-05-01", "--until", "2024-05-05")
    assert "Counted 5 day(s)" in run("--since", "2024-05-01", "--until", "2024-05-05", "--again")
    stored = tallies_for(as_of_date(datetime.date(2024, 5, 2)))
    assert stored.counts == for_pages(tallies_count(as_of_date(datetime.date(2024, 5, 2)))).counts
    assert stored.get("all").pledges == 2


def test_by_default_it_starts_at_the_registrys_first_version(registry):
    run("--until", "2024-03-03")
    days = list(TalliedDay.objects.values_list("day", flat=True))
    assert days[-1] == datetime.date(2024, 3, 3) and days[0] <= datetime.date(2024, 3, 1)


def test_forget_deletes_the_stored_days_from_a_date(registry):
    run("--since", "2024-05-01", "--until", "2024-05-05")
    assert "Forgot the stored tallies of 2 day(s)." in run("--forget", "--since", "2024-05-04")
    assert TalliedDay.objects.count() == 3


def test_a_bad_date_is_named(db):
    with pytest.raises(CommandError, match="--since must be a date written YYYY-MM-DD, not '2024-13-01'"):
        run("--since", "2024-13-01")
    with pytest.raises(CommandError, match="before the first day"):
        run("--since", "2024-05-01", "--until", "2024-04-01")
