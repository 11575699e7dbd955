"""The public indicator files `coalition indicators load` imports, and how to read each.

These are the publishers' files an operator may keep in a data folder (COALITION_DATA_DIR); the
snapshot Coalition ships is derived from them (indicators.snapshot), and `coalition data fetch`
gets fresher editions from the publishers' APIs instead (indicators.refresh). Every ITU
DataHub export (`itu_*.csv`) named here is the late-2025 one.
"""

from dataclasses import dataclass
from pathlib import Path

from coalition.common.downloads import Manifest


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
    *(IndicatorFile(f"itu_{name}.csv", "itu-datahub", "itu-datahub", ITU_EDITION) for name in (
        "fixed_broadband_subscriptions", "population_coverage_mobile_network", "data_only_mobile_broadband_basket_5gb",
        "active_mobile_broadband_subscriptions", "fixed_broadband_basket_5gb", "individuals_using_internet",
        "households_internet_access", "mobile_phone_ownership",
    )),
]


def indicator_files(data_dir: Path | None = None) -> list[IndicatorFile]:
    """The known files, plus any other ITU DataHub export (itu_*.csv) found in `data_dir`."""
    files = list(INDICATOR_FILES)
    known = {entry.name for entry in files}
    if data_dir is not None and data_dir.is_dir():
        files += [IndicatorFile(path.name, "itu-datahub", "itu-datahub", ITU_EDITION)
                  for path in sorted(data_dir.glob("itu_*.csv")) if path.name not in known]
    return files


@dataclass(frozen=True)
class Planned:
    """One import `coalition indicators load` runs: which file, read how, as which edition."""

    label: str
    path: Path | None  # None: a data folder lacks this file
    format: str
    source: str
    edition: str
    origin: str  # "data folder", "download", "snapshot"
    indicator: str = ""


def load_plan(data_dir: Path | None, download_dir: Path | None) -> list[Planned]:
    """What `coalition indicators load` imports, in order.

    A data folder, when there is one, is the whole truth: its files, and the known files it
    lacks reported as missing (`path` None). Otherwise, per source, what `coalition data fetch`
    downloaded from the publisher, else the part of the snapshot Coalition ships
    (indicators.snapshot).
    """
    from coalition.indicators import snapshot

    if data_dir is not None:
        return [Planned(entry.name, Path(data_dir) / entry.name if (Path(data_dir) / entry.name).exists() else None,
                        entry.format, entry.source, entry.edition, "data folder", entry.indicator)
                for entry in indicator_files(data_dir)]
    fetched = Manifest(download_dir).of_kind("indicator") if download_dir else []
    plan = [Planned(entry.name, Path(download_dir) / entry.name, entry.format, entry.source, entry.edition,
                    "download") for entry in fetched]
    fetched_sources = {entry.source for entry in fetched}
    parts = snapshot.snapshot_parts()
    for entry in INDICATOR_FILES:
        if entry.name in parts and entry.source not in fetched_sources:
            part = parts[entry.name]
            # The part names each value's series (or, for population, the indicator) itself.
            plan.append(Planned(entry.name, snapshot.SNAPSHOT_DIR / part.part, "tidy", part.source, part.edition, "snapshot"))
    return plan
