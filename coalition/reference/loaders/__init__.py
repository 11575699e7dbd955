"""Every reference source, in the order they must be loaded.

`ALWAYS` need nothing but the installed packages and the project's own tables, so a fresh
checkout always gets them. `FROM_FILES` are classifications and texts with a public file: each
is read from a data folder when one holds its file, else from what `coalition data fetch`
downloaded, else, for the classifications Coalition ships (`packaged`), from the package's own
table — so every one of those loads with no data folder at all (see docs/reference-data.md).
Adding a source is one module and one entry here.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from coalition.common.downloads import Manifest
from coalition.reference.loaders import ecb_rates, escap, income_groups, itu_regions, m49, rates_csv, sdg, wsis
from coalition.reference.loaders.base import Loader
from coalition.reference.loaders.beneficiary_groups import BeneficiaryGroupLoader
from coalition.reference.loaders.country_groups import CountryGroupLoader
from coalition.reference.loaders.development_groups import DevelopmentGroupLoader
from coalition.reference.loaders.ecb_rates import EcbRateLoader
from coalition.reference.loaders.initiatives import FrameworkLoader, InitiativeLoader
from coalition.reference.loaders.pycountry_countries import CountryLoader
from coalition.reference.loaders.pycountry_currencies import CurrencyLoader


@dataclass(frozen=True)
class FileSource:
    key: str
    label: str
    filename: str  # its name in a data folder
    make: Callable[..., Loader]  # make(path, **options); make() reads the packaged table
    takes_valid_from: bool = False
    packaged: bool = False  # Coalition ships a table of it (the loader's default_path)


ALWAYS: list[tuple[str, Callable[[], Loader]]] = [
    ("countries", CountryLoader),
    ("currencies", CurrencyLoader),
    ("country groups", CountryGroupLoader),
    ("LDC/LLDC/SIDS memberships", DevelopmentGroupLoader),
    ("beneficiary groups", BeneficiaryGroupLoader),
    ("initiatives", InitiativeLoader),
    ("frameworks", FrameworkLoader),
    ("exchange rates (ECB)", EcbRateLoader),
]

FROM_FILES: list[FileSource] = [
    FileSource("m49", "UN M49 regions", m49.FILENAME, m49.M49Loader, takes_valid_from=True, packaged=True),
    FileSource("itu-regions", "ITU-D regions", itu_regions.FILENAME, itu_regions.ItuRegionLoader,
               takes_valid_from=True, packaged=True),
    FileSource("escap", "ESCAP membership and subregions", escap.FILENAME, escap.EscapLoader,
               takes_valid_from=True, packaged=True),
    FileSource("income-groups", "World Bank income groups", income_groups.FILENAME, income_groups.IncomeGroupLoader,
               takes_valid_from=True, packaged=True),
    FileSource("sdg", "SDG goals and targets", sdg.FILENAME, sdg.SdgLoader, packaged=True),
    FileSource("sdg-texts", "SDG official texts", sdg.TEXTS_FILENAME, sdg.SdgTextLoader),
    FileSource("wsis", "WSIS action lines", wsis.FILENAME, wsis.WsisLoader, packaged=True),
    FileSource("ecb-rates", "exchange rates (ECB download)", ecb_rates.FILENAME, EcbRateLoader),
    FileSource("rates-csv", "exchange rates (CSV)", rates_csv.FILENAME, rates_csv.RateCsvLoader),
]

FILE_SOURCES = {source.key: source for source in FROM_FILES}


def file_loader(source: FileSource, data_dir: Path, **options) -> Loader:
    return source.make(Path(data_dir) / source.filename, **options)


def configured_data_dir() -> Path | None:
    """The data folder of the settings (COALITION_DATA_DIR), when one is set."""
    return Path(settings.COALITION_DATA_DIR) if settings.COALITION_DATA_DIR else None


@dataclass(frozen=True)
class Planned:
    """What `reference load` does for one source: its loader and where the data comes from."""

    source: FileSource
    loader: Loader | None  # None: nothing to load it from
    origin: str  # "data folder", "download (edition …)", "Coalition's table", or why it is skipped


def load_plan(data_dir: Path | None, download_dir: Path | None) -> list[Planned]:
    """Each file source from the data folder, else the downloads, else the packaged table."""
    fetched = {entry.format: entry for entry in Manifest(download_dir).of_kind("reference")} if download_dir else {}
    plan = []
    for source in FROM_FILES:
        if data_dir is not None and (Path(data_dir) / source.filename).exists():
            plan.append(Planned(source, file_loader(source, data_dir), f"data folder {data_dir}"))
        elif entry := fetched.get(source.key):
            options = {"valid_from": datetime.date.fromisoformat(entry.options["valid_from"])} if "valid_from" in entry.options else {}
            plan.append(Planned(source, source.make(Path(download_dir) / entry.name, **options),
                                f"downloaded from {entry.source}, edition {entry.edition}"))
        elif source.packaged:
            plan.append(Planned(source, source.make(), "Coalition's own table"))
        else:
            plan.append(Planned(source, None, f"{source.filename} not in the data folder and not downloaded"))
    return plan
