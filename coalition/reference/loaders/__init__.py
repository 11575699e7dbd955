"""Every reference source, in the order they must be loaded.

`ALWAYS` need nothing but the installed packages and the project's own tables, so a fresh
checkout always gets them. `FROM_FILES` read a public data file by its published name from a
data folder (see docs/reference-data.md); adding a source is one module and one entry here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coalition.reference.loaders import escap, income_groups, itu_regions, m49, rates_csv, sdg, wsis
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
    filename: str
    make: Callable[..., Loader]  # make(path, **options)
    takes_valid_from: bool = False


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
    FileSource("m49", "UN M49 regions", m49.FILENAME, m49.M49Loader, takes_valid_from=True),
    FileSource("itu-regions", "ITU-D regions", itu_regions.FILENAME, itu_regions.ItuRegionLoader, takes_valid_from=True),
    FileSource("escap", "ESCAP membership and subregions", escap.FILENAME, escap.EscapLoader, takes_valid_from=True),
    FileSource("income-groups", "World Bank income groups", income_groups.FILENAME, income_groups.IncomeGroupLoader, takes_valid_from=True),
    FileSource("sdg", "SDG goals and targets", sdg.FILENAME, sdg.SdgLoader),
    FileSource("wsis", "WSIS action lines", wsis.FILENAME, wsis.WsisLoader),
    FileSource("rates-csv", "exchange rates (CSV)", rates_csv.FILENAME, rates_csv.RateCsvLoader),
]

FILE_SOURCES = {source.key: source for source in FROM_FILES}


def file_loader(source: FileSource, data_dir: Path, **options) -> Loader:
    return source.make(Path(data_dir) / source.filename, **options)
