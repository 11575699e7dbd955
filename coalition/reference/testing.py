"""A complete-enough reference data set for tests, loaded through the real importers.

Countries and currencies (pycountry), the project's authored tables, ECB rates for the main
currencies 2015–2025, and small files shaped like the public ones in tests/data/ (official
texts of every SDG goal and a few targets, all WSIS lines, ITU/M49/ESCAP/income for a handful
of countries); a source with no such file (the SDG classification) loads the packaged table.
`rates_csv_load` and `ecb_history_load` load rates a test writes, through the real loaders.
"""

import datetime
from pathlib import Path

from coalition.reference.importing import run_import
from coalition.reference.loaders import ALWAYS, FROM_FILES, file_loader
from coalition.reference.loaders.base import Loader
from coalition.reference.loaders.ecb_rates import EcbRateLoader
from coalition.reference.loaders.rates_csv import RateCsvLoader
from coalition.reference.models import ImportRun

FIXTURE_DIR = Path(__file__).resolve().parent / "tests" / "data"
# Enough for pledges in the usual donor and host currencies without averaging all of ECB's
# history on every test that needs money; XOF/XAF come from their fixed euro peg.
FIXTURE_CURRENCIES = {"EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "CNY", "INR", "KRW", "ZAR", "BRL", "XOF", "XAF"}
FIXTURE_YEARS = range(2015, 2026)


def fixture_loaders() -> list[Loader]:
    """The loaders `load_reference_fixture` runs, in order."""
    loaders = [make() for _label, make in ALWAYS if make is not EcbRateLoader]
    loaders.append(
        EcbRateLoader(currencies=FIXTURE_CURRENCIES, years=FIXTURE_YEARS, today=datetime.date(2026, 1, 1))
    )
    loaders += [file_loader(source, FIXTURE_DIR) if (FIXTURE_DIR / source.filename).exists() else source.make()
                for source in FROM_FILES if (FIXTURE_DIR / source.filename).exists() or source.packaged]
    return loaders


def load_reference_fixture() -> dict[str, ImportRun]:
    """Load the fixture set into the test database and return its import runs by kind.

    Needs the `db` fixture (or a TestCase). Raises AssertionError naming the errors if any
    import fails, because a broken fixture should stop the test rather than skew it.
    """
    runs = {loader.kind: run_import(loader=loader) for loader in fixture_loaders()}
    failed = {kind: run.errors[:5] for kind, run in runs.items() if run.status != ImportRun.Status.SUCCEEDED}
    assert not failed, f"Reference fixture failed to load: {failed}"
    return runs


def rates_csv_load(folder, rows) -> ImportRun:
    """Load [(currency, year, usd_per_unit)] through the rates-csv route, as an administrator would."""
    path = folder / "exchange-rates.csv"
    path.write_text("currency,year,usd_per_unit,source\n"
                    + "".join(f"{code},{year},{rate},IMF IFS period average\n" for code, year, rate in rows))
    return run_import(loader=RateCsvLoader(path))


def ecb_history_load(folder, days, *, today: datetime.date) -> ImportRun:
    """Load an ECB history file of `days` [(date, {code: units per euro})] as the ECB loader does
    on `today` (USD must be quoted each day)."""
    codes = sorted({code for _day, quotes in days for code in quotes})
    lines = ["Date," + ",".join(codes) + ","]
    for day, quotes in sorted(days, reverse=True):
        lines.append(day.isoformat() + "," + ",".join(str(quotes.get(code, "N/A")) for code in codes) + ",")
    path = folder / f"eurofxref-hist-{today.isoformat()}.csv"
    path.write_text("\n".join(lines) + "\n")
    return run_import(loader=EcbRateLoader(path, today=today))
