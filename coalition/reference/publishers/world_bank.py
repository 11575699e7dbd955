"""The World Bank Indicators API (v2): income groups and official exchange rates.

Every answer of `https://api.worldbank.org/v2/...?format=json` is a JSON array of two items: a
page header (`page`, `pages`, `per_page`, `total`, and on indicator data `sourceid` and
`lastupdated`, the date the database was last updated) and the page's records. A refused
request answers, with HTTP 200, a one-item array `[{"message": [{"id", "key", "value"}]}]`.
`pages` reads every page of an endpoint; the fetchers turn what it returns into the files the
reference loaders read (`loaders/income_groups.py`, `loaders/rates_csv.py`) and store them
through `common.downloads.store`, so an edition already downloaded is not written again.

Exchange rates: PA.NUS.FCRF is local currency units per US dollar, a period average, by
country. A country's currency is the one Babel (CLDR) gives as its legal tender on the date
the series was last updated (the World Bank restates a country's history in its current
units); where two circulate (BTN and INR in Bhutan, PAB and USD in Panama), the country's own
wins: the one that is legal tender in the fewest territories. A year is kept only when that
currency was legal tender in the country all year, so a value in an older unit (VEF before
VES) is never labelled with the new code. Where several countries share a currency (XOF,
XAF, XCD…), one row per currency and year: the value most of them report, ties going to the
first country by ISO code, which the source column names.
"""

import csv
import datetime
import functools
import io
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pycountry
from babel.core import get_global
from babel.numbers import get_territory_currencies
from django.utils import timezone

from coalition.common.downloads import (
    DownloadError,
    Fetched,
    FormatChanged,
    Get,
    Manifest,
    Progress,
    http_get,
    sha256_hex,
    store,
)
from coalition.reference.loaders import income_groups, rates_csv

PUBLISHER = "World Bank"
API = "https://api.worldbank.org"
FOLDER = "world-bank"
COUNTRY_PER_PAGE = 400
DATA_PER_PAGE = 20000
AGGREGATES = "Aggregates"
NOT_CLASSIFIED = "Not classified"
EXCHANGE_RATE_SERIES = "PA.NUS.FCRF"
DATA_FIELDS = ("indicator", "country", "countryiso3code", "date", "value")
# incomeLevel values as the loader's IncomeGroup column writes them.
INCOME_LEVELS = {**{name: name for name in income_groups.INCOME_GROUPS}, NOT_CLASSIFIED: "", AGGREGATES: ""}

Check = Callable[[dict, str], None]  # check(record, page URL) raises FormatChanged for a record it cannot read


def _describe(value) -> str:
    """What a JSON value is, in a few words, for a FormatChanged message."""
    if isinstance(value, dict):
        keys = ", ".join(list(value)[:8])
        return f"an object with keys {keys}" if keys else "an empty object"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    if value is None:
        return "null"
    return f"{type(value).__name__} {str(value)[:40]!r}"


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _count(header: dict, key: str, url: str) -> int:
    """A header count, which the API writes as a number or, on some endpoints, a numeric string."""
    value = header.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    found = _describe(value) if key in header else _describe(header)
    raise FormatChanged(PUBLISHER, url, f"a page header with a whole number {key!r}", found)


def _page(body: bytes, url: str, page: int, fields: tuple[str, ...], check: Check | None) -> tuple[dict, list[dict]]:
    """One page's header and records, checked; numbers with a fraction come as Decimal (their exact text)."""
    try:
        answer = json.loads(body.decode("utf-8-sig"), parse_float=Decimal, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        text = body[:60].decode("utf-8", "replace")
        raise FormatChanged(PUBLISHER, url, "a JSON array [header, records]", f"text that is not JSON ({text!r})") from None
    if (isinstance(answer, list) and len(answer) == 1 and isinstance(answer[0], dict)
            and isinstance(answer[0].get("message"), list)):
        reasons = "; ".join(
            f"{item.get('key', '')}: {item.get('value', '')} (error {item.get('id', '?')})" if isinstance(item, dict) else str(item)
            for item in answer[0]["message"]
        )
        raise DownloadError(f"The World Bank refused {url}: {reasons or 'no reason given'}")
    if not (isinstance(answer, list) and len(answer) == 2 and isinstance(answer[0], dict)):
        raise FormatChanged(PUBLISHER, url, "a JSON array [header, records]", _describe(answer))
    header, records = answer
    for key in ("page", "pages", "total"):
        _count(header, key, url)
    if records is None and _count(header, "total", url) == 0:
        return header, []  # what the API answers for a query that matches nothing (its header says page 0)
    if not isinstance(records, list):
        raise FormatChanged(PUBLISHER, url, "a list of records after the page header", _describe(records))
    if _count(header, "page", url) != page:
        raise FormatChanged(PUBLISHER, url, f"page {page}", f"page {header['page']}")
    for record in records:
        missing = [name for name in fields if not isinstance(record, dict) or name not in record]
        if missing:
            raise FormatChanged(PUBLISHER, url, f"records with the fields {', '.join(fields)}",
                                f"a record without {', '.join(missing)}" if isinstance(record, dict) else _describe(record))
        if check:
            check(record, url)
    return header, records


def page_url(path_and_query: str, page: int) -> str:
    path = path_and_query if path_and_query.startswith("/") else f"/{path_and_query}"
    return f"{API}{path}{'&' if '?' in path else '?'}page={page}"


def pages(path_and_query: str, *, get: Get = http_get, progress: Progress | None = None,
          fields: tuple[str, ...] = (), check: Check | None = None) -> tuple[dict, list[dict]]:
    """The first page's header and the records of every page of a v2 JSON endpoint.

    `path_and_query` is e.g. "/v2/country?format=json&per_page=400"; `&page=K` is added for
    each page, as many as the first page's header says. Every record must be an object with
    `fields`, and `check(record, url)` may raise FormatChanged for a record it cannot read.
    Raises FormatChanged (naming the page's URL) when a page is not [header, records] in
    that shape, and DownloadError with the API's own message when it refuses the request,
    or when the pages do not add up (the database was updated between two pages).
    """
    first_url = page_url(path_and_query, 1)
    if progress:
        progress(f"{PUBLISHER}: {first_url}")
    header, records = _page(get(first_url), first_url, 1, fields, check)
    count = _count(header, "pages", first_url)
    records = list(records)
    for number in range(2, count + 1):
        url = page_url(path_and_query, number)
        if progress:
            progress(f"{PUBLISHER}: page {number} of {count}, {url}")
        later, more = _page(get(url), url, number, fields, check)
        if ("lastupdated" in later) != ("lastupdated" in header):
            has = "has" if "lastupdated" in header else "has no"
            raise FormatChanged(PUBLISHER, url, f"a page header that, like page 1's, {has} lastupdated", _describe(later))
        if _count(later, "pages", url) != count or later.get("lastupdated") != header.get("lastupdated"):
            raise DownloadError(f"The World Bank's answer changed while {first_url} was being read "
                                f"(page {number} says {later.get('pages')} pages, updated {later.get('lastupdated')}; "
                                f"page 1 said {count}, updated {header.get('lastupdated')}); fetch again")
        records.extend(more)
    total = _count(header, "total", first_url)
    if len(records) != total:
        raise DownloadError(f"{first_url}: the World Bank announced {total} records and its {count} pages held {len(records)}")
    return header, records


def _field(record: dict, name: str, url: str) -> str:
    """The `value` of one of a record's {"id", "value"} objects (region, incomeLevel...)."""
    part = record.get(name)
    if not isinstance(part, dict) or not isinstance(part.get("value"), str):
        raise FormatChanged(PUBLISHER, url, f"{name} as an object with a text value", _describe(part))
    return part["value"].strip()


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _economy(record: dict, url: str) -> list[str]:
    """[Country Code, Region, IncomeGroup] of a /v2/country record; blank for aggregates and the unclassified."""
    code, region, income = record["id"], _field(record, "region", url), _field(record, "incomeLevel", url)
    if not isinstance(code, str):
        raise FormatChanged(PUBLISHER, url, "a text id", _describe(code))
    if region == AGGREGATES:
        return [code.strip(), "", ""]
    if income not in INCOME_LEVELS:
        raise FormatChanged(PUBLISHER, url, f"an income level among {', '.join(INCOME_LEVELS)}", repr(income))
    return [code.strip(), region, INCOME_LEVELS[income]]


def fiscal_year(day: datetime.date) -> tuple[str, datetime.date]:
    """The World Bank fiscal year in force on `day` ("FY2027") and the date it began (1 July)."""
    year = day.year + 1 if day.month >= 7 else day.year
    return f"FY{year}", datetime.date(year - 1, 7, 1)


def fetch_income_groups(dest: Path, *, get: Get = http_get, progress: Progress | None = None,
                        manifest: Manifest | None = None, today: datetime.date | None = None,
                        per_page: int = COUNTRY_PER_PAGE) -> list[Fetched]:
    """The income classification in force today, as world-bank/income-groups.csv.

    The API gives only the current classification, so its edition is the fiscal year of
    `today` (default: the local date), and the loader's valid_from the day that year began.
    """
    dest = Path(dest)
    edition, valid_from = fiscal_year(today or timezone.localdate())
    path_and_query = f"/v2/country?format=json&per_page={per_page}"
    rows = []
    pages(path_and_query, get=get, progress=progress, fields=("id", "region", "incomeLevel"),
          check=lambda record, url: rows.append(_economy(record, url)))
    content = _csv(income_groups.COLUMNS, sorted(rows))
    fetched = Fetched(
        name=f"{FOLDER}/income-groups.csv", kind="reference", format="income-groups", source=PUBLISHER,
        edition=edition, sha256=sha256_hex(content), url=page_url(path_and_query, 1),
        options={"valid_from": valid_from.isoformat()},
    )
    return [store(dest, manifest or Manifest(dest), fetched, content)]


@functools.cache
def _territories_using(day: datetime.date) -> Counter:
    """How many territories have each currency as legal tender on `day`."""
    return Counter(code for territory in get_global("territory_currencies")
                   for code in get_territory_currencies(territory, day))


def national_currency(iso2: str, day: datetime.date) -> str | None:
    """The country's own legal-tender currency on `day` (see the module's docstring), or None."""
    tender = get_territory_currencies(iso2, day)
    if not tender:
        return None
    using = _territories_using(day)
    return min(tender, key=lambda code: (using[code], tender.index(code)))


def _tender_all_year(iso2: str, code: str, year: int) -> bool:
    return all(code in get_territory_currencies(iso2, day)
               for day in (datetime.date(year, 1, 1), datetime.date(year, 12, 31)))


def edition_of(header: dict, url: str) -> tuple[str, datetime.date]:
    """The page header's `lastupdated` ("2025-12-16"), as text and as a date."""
    edition = header.get("lastupdated")
    try:
        return edition, datetime.date.fromisoformat(edition)
    except (TypeError, ValueError):
        raise FormatChanged(PUBLISHER, url, "a page header with the date it was last updated (lastupdated)",
                            _describe(edition)) from None


def _number(value) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) and not isinstance(value, bool)


def observation(record: dict, url: str, *, series: str) -> tuple[int, int | Decimal | None]:
    """The year and value of a data record of `series` (an annual series dates its values "2023")."""
    indicator = record["indicator"].get("id") if isinstance(record["indicator"], dict) else record["indicator"]
    if indicator != series:
        raise FormatChanged(PUBLISHER, url, f"values of {series}", f"a value of {_describe(indicator)}")
    date, value = record["date"], record["value"]
    if not (isinstance(date, str) and len(date) == 4 and date.isdigit()):
        raise FormatChanged(PUBLISHER, url, "a year (four digits) as the date", _describe(date))
    if value is not None and not _number(value):
        raise FormatChanged(PUBLISHER, url, "a number or null as the value", _describe(value))
    return int(date), value


def _rate(value: int | Decimal) -> Decimal | None:
    """US dollars per unit from local currency units per US dollar, to the loader's 12 places."""
    if value <= 0:
        return None
    rate = (Decimal(1) / Decimal(value)).quantize(Decimal(1).scaleb(-rates_csv.PLACES), rounding=ROUND_HALF_EVEN)
    return rate.normalize() if rate else None  # None: too small to write in 12 places


def fetch_exchange_rates(dest: Path, *, currencies_without_ecb: Collection[str], get: Get = http_get, progress: Progress | None = None,
                         manifest: Manifest | None = None, per_page: int = DATA_PER_PAGE) -> list[Fetched]:
    """Official annual rates (PA.NUS.FCRF) of `currencies_without_ecb`, as world-bank/exchange-rates.csv.

    The edition is the date the World Bank last updated the series. USD is never written (the
    loader refuses it: it is always 1).
    """
    dest = Path(dest)
    wanted = set(currencies_without_ecb) - {"USD"}
    path_and_query = f"/v2/country/all/indicator/{EXCHANGE_RATE_SERIES}?format=json&per_page={per_page}"
    url = page_url(path_and_query, 1)
    values = []  # (iso2, iso3, year, local currency units per US dollar)

    def read(record, page):
        year, value = observation(record, page, series=EXCHANGE_RATE_SERIES)
        iso2 = record["country"].get("id") if isinstance(record["country"], dict) else None
        if value is not None:
            values.append((iso2, record["countryiso3code"], year, value))

    header, _records = pages(path_and_query, get=get, progress=progress, fields=DATA_FIELDS, check=read)
    edition, edition_date = edition_of(header, url)
    reported: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)  # (currency, year) -> {iso3: rate}
    for iso2, iso3, year, value in values:
        country = pycountry.countries.get(alpha_2=iso2) if isinstance(iso2, str) and len(iso2) == 2 else None
        if country is None or country.alpha_3 != iso3:
            continue  # an aggregate (Euro area, World...) rather than a country
        currency, rate = national_currency(iso2, edition_date), _rate(value)
        if rate is not None and currency in wanted and _tender_all_year(iso2, currency, year):
            reported[currency, year][iso3] = rate
    rows = []
    for (currency, year), by_country in sorted(reported.items()):
        votes = Counter(by_country.values())
        top = max(votes.values())
        iso3 = min(code for code, rate in by_country.items() if votes[rate] == top)
        source = f"World Bank WDI {EXCHANGE_RATE_SERIES} ({iso3}), official rate, period average, updated {edition}"
        rows.append([currency, str(year), format(by_country[iso3], "f"), source])
    content = _csv(rates_csv.COLUMNS, rows)
    fetched = Fetched(
        name=f"{FOLDER}/exchange-rates.csv", kind="reference", format="rates-csv", source=PUBLISHER,
        edition=edition, sha256=sha256_hex(content), url=url,
    )
    return [store(dest, manifest or Manifest(dest), fetched, content)]
