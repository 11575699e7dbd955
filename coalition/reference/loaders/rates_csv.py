"""Annual USD rates from a CSV (currency,year,usd_per_unit,source), for currencies ECB does not quote.

The route for the official annual rates of every other currency (IMF International Financial
Statistics, World Bank PA.NUS.FCRF; docs/reference-data.md says how). A rate loaded here
replaces any stored rate for the same currency and year, provisional or not, and is final;
the source column says where it came from (for example "IMF IFS, period average, 2023").
Values that were waiting for these rates are converted in the same transaction.
"""

import datetime
from collections.abc import Iterator

from coalition.reference.loaders.base import (
    Counts,
    DuplicateCheck,
    FileLoader,
    Row,
    RowError,
    parse_decimal,
    parse_int,
    read_csv,
    sync,
)
from coalition.reference.models import Currency, ExchangeRate
from coalition.reference.services import rates_written

FILENAME = "exchange-rates.csv"
COLUMNS = ["currency", "year", "usd_per_unit", "source"]
PLACES = 12


class RateCsvLoader(FileLoader):
    kind = "exchange_rates_csv"

    def read(self) -> Iterator[Row | RowError]:
        currencies = dict(Currency.objects.values_list("code", "id"))
        duplicates = DuplicateCheck("rate for")
        this_year = datetime.date.today().year
        for line, record in read_csv(self.path, required=COLUMNS):
            errors = []
            if record["currency"] not in currencies:
                errors.append(RowError(line, "currency", f"Unknown currency {record['currency']!r} (not an ISO 4217 code we know)"))
            elif record["currency"] == "USD":
                errors.append(RowError(line, "currency", "USD needs no rate: it is always 1"))
            year = parse_int(record["year"], row=line, column="year", low=1950, high=this_year)
            rate = parse_decimal(record["usd_per_unit"], row=line, column="usd_per_unit")
            if not isinstance(rate, RowError) and rate.as_tuple().exponent < -PLACES:
                rate = RowError(line, "usd_per_unit", f"{record['usd_per_unit']!r} has more than {PLACES} decimal places")
            if not record["source"]:
                errors.append(RowError(line, "source", "Say where the rate comes from"))
            errors += [value for value in (year, rate) if isinstance(value, RowError)]
            if not errors:
                duplicate = duplicates.check((record["currency"], year), row=line, column="year")
                errors += [duplicate] if duplicate else []
            if errors:
                yield from errors
                continue
            yield Row(
                line,
                {
                    "currency_id": currencies[record["currency"]],
                    "year": year,
                    "usd_per_unit": rate,
                    "source": record["source"][:200],
                    "observations": None,
                    "provisional": False,
                },
            )

    def write(self, rows: list[Row], counts: Counts) -> None:
        written = counts.created + counts.updated
        sync(ExchangeRate, key=["currency_id", "year"], rows=(row.data for row in rows), counts=counts)
        if counts.created + counts.updated > written:
            rates_written()
