"""The public indicator files `coalition indicators load` imports, and how to read each.

The files themselves (where to download them, their checksums) are listed once, in
coalition.reference.fetching.PUBLIC_FILES; this table only says, for those holding indicator
values, their format, source and edition. Every ITU DataHub export (`itu_*.csv`) is the
late-2025 snapshot.
"""

from dataclasses import dataclass
from pathlib import Path

from coalition.reference.fetching import PUBLIC_FILES, PublicFile


@dataclass(frozen=True)
class IndicatorFile:
    name: str
    format: str
    source: str  # DataSource code
    edition: str
    indicator: str = ""  # for files that do not name their series (tidy population.csv)


ITU_EDITION = "2025-12"

INDICATOR_FILES: list[IndicatorFile] = [
    IndicatorFile("population.csv", "tidy", "wb-wdi", "2026-03", indicator="population"),
    IndicatorFile("wb_IT.NET.USER.ZS_internet_users_pct.csv", "wb-api", "wb-wdi", "2024-11"),
    IndicatorFile("wb_IT.CEL.SETS.P2_mobile_cellular_per100.csv", "wb-api", "wb-wdi", "2024-02"),
    IndicatorFile("wb_NY.GNP.PCAP.CD_gni_per_capita_atlas.csv", "wb-api", "wb-wdi", "2024-06"),
    *(IndicatorFile(public.name, "itu-datahub", "itu-datahub", ITU_EDITION)
      for public in PUBLIC_FILES if public.name.startswith("itu_") and public.name.endswith(".csv")),
]


def indicator_files(data_dir: Path | None = None) -> list[IndicatorFile]:
    """The known files, plus any other ITU DataHub export (itu_*.csv) found in `data_dir`."""
    files = list(INDICATOR_FILES)
    known = {entry.name for entry in files}
    if data_dir is not None and data_dir.is_dir():
        files += [IndicatorFile(path.name, "itu-datahub", "itu-datahub", ITU_EDITION)
                  for path in sorted(data_dir.glob("itu_*.csv")) if path.name not in known]
    return files


def public_files_to_fetch() -> list[PublicFile]:
    """The entries of PUBLIC_FILES that hold indicator values."""
    names = {entry.name for entry in INDICATOR_FILES}
    return [public for public in PUBLIC_FILES if public.name in names]
