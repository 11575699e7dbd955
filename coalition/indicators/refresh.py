"""Refreshing the public data from its publishers: fetch everything, then load it.

`PUBLISHERS` lists every publisher module (`coalition.*.publishers`) with what it fetches;
`fetch_all` runs them one after the other into the download folder, each independently (one
publisher down leaves the others' files fetched), and `refresh` follows it with the same loads
`coalition reference load` and `coalition indicators load` run. `coalition data fetch` and the
monthly background task (`tasks.refresh_public_data`, queued by `coalition data schedule`) call
these; nothing else touches the network.
"""

import csv
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pycountry
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from coalition.common.downloads import DownloadError, Fetched, Get, Manifest, Progress, http_get
from coalition.indicators.catalogue import DATA
from coalition.indicators.publishers import itu_datahub
from coalition.indicators.publishers import world_bank as world_bank_indicators
from coalition.reference.loaders.ecb_rates import ecb_currencies
from coalition.reference.publishers import ecb, iati, un_sdg
from coalition.reference.publishers import world_bank as world_bank_reference


def catalogue_series(source: str) -> list[str]:
    """The series codes the shipped catalogue maps for `source` (indicators/data/series.csv)."""
    with open(DATA / "series.csv", encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle) if row["source"] == source]


def currencies_without_ecb() -> set[str]:
    """The ISO 4217 currencies (the platform's, from pycountry) that the ECB does not quote: the
    World Bank's rates fill them. Read from pycountry, so a fetch before the first load knows them."""
    return {currency.alpha_3 for currency in pycountry.currencies} - ecb_currencies() - {"EUR", "USD"}


@dataclass(frozen=True)
class Publisher:
    label: str
    kind: str  # "indicator" or "reference"
    fetch: Callable[..., list[Fetched]]  # fetch(dest, *, get, progress, manifest)


PUBLISHERS = [
    Publisher("World Bank, World Development Indicators API", "indicator",
              lambda dest, **kw: world_bank_indicators.fetch_indicators(dest, catalogue_series("wb-wdi"), **kw)),
    Publisher("ITU DataHub", "indicator",
              lambda dest, **kw: itu_datahub.fetch_series(dest, catalogue_series("itu-datahub"), **kw)),
    Publisher("World Bank income classification", "reference",
              world_bank_reference.fetch_income_groups),
    Publisher("World Bank official exchange rates (PA.NUS.FCRF)", "reference",
              lambda dest, **kw: world_bank_reference.fetch_exchange_rates(
                  dest, currencies_without_ecb=currencies_without_ecb(), **kw)),
    Publisher("European Central Bank euro reference rates", "reference", ecb.fetch_ecb_rates),
    Publisher("UN SDG API (goal and target texts)", "reference", un_sdg.fetch_sdg_texts),
    Publisher("IATI schema and codelists", "reference", iati.fetch_iati),
]


@dataclass(frozen=True)
class Outcome:
    publisher: Publisher
    fetched: list[Fetched]
    error: str = ""


def fetch_all(dest: Path | None = None, *, kinds: tuple[str, ...] = ("indicator", "reference"), get: Get = http_get,
              progress: Progress | None = None) -> list[Outcome]:
    """Run every publisher of `kinds` into `dest` (default COALITION_DOWNLOAD_DIR); one failing
    does not stop the others, and each writes nothing when it fails."""
    dest = Path(dest or settings.COALITION_DOWNLOAD_DIR)
    dest.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(dest)
    outcomes = []
    for publisher in PUBLISHERS:
        if publisher.kind not in kinds:
            continue
        try:
            fetched = publisher.fetch(dest, get=get, progress=progress, manifest=manifest)
        except DownloadError as exc:
            outcomes.append(Outcome(publisher, [], str(exc)))
        else:
            outcomes.append(Outcome(publisher, fetched))
    return outcomes


def load_all(stdout) -> None:
    """Load what is there, as `coalition reference load` then `coalition indicators load` do
    (a load of an unchanged edition changes nothing); what they say goes to `stdout`."""
    call_command("reference", "load", stdout=stdout)
    call_command("indicators", "load", stdout=stdout)


def refresh(*, get: Get = http_get, progress: Progress | None = None) -> list[Outcome]:
    """Fetch everything, then load it; return what each publisher gave."""
    outcomes = fetch_all(get=get, progress=progress)
    load_all(StringIO())
    return outcomes


class NotScheduled(Exception):
    pass


def next_monthly_run(now: datetime.datetime) -> datetime.datetime:
    """03:00 UTC on the first day of the month after `now`."""
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return datetime.datetime(year, month, 1, 3, tzinfo=datetime.UTC)


def schedule_monthly() -> datetime.datetime | None:
    """Queue the monthly refresh for the background worker, unless one is already queued.

    Returns when it will run, or None when one was already waiting. Each run queues the next,
    so one call starts the cycle; `coalition data schedule` makes it.
    """
    from coalition.common.tasks import queued
    from coalition.indicators.tasks import refresh_public_data

    if not refresh_public_data.get_backend().supports_defer:
        raise NotScheduled("The task backend runs tasks at once (COALITION_TASKS_BACKEND); a monthly refresh needs "
                           "the database backend and a running `coalition worker`")
    if queued(refresh_public_data):
        return None
    when = next_monthly_run(timezone.now())
    refresh_public_data.using(run_after=when).enqueue(monthly=True)
    return when
