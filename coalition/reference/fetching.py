"""Download the public data files from their public origin, pinned to the commits in SOURCES.md.

Each file is fetched from raw.githubusercontent.com at a fixed commit, checked against its
published SHA-256 where one is given, and written atomically (a temporary file renamed into
place), so an interrupted or corrupted download never leaves a half file a loader could read.
"""

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

RAW = "https://raw.githubusercontent.com"
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class PublicFile:
    name: str  # path under the data folder
    repo: str = ""
    commit: str = ""
    path: str = ""
    sha256: str = ""
    note: str = ""  # why a file cannot be downloaded, when it cannot

    @property
    def url(self) -> str:
        return f"{RAW}/{self.repo}/{self.commit}/{quote(self.path)}" if self.repo else ""


_FIGURE_FRIDAY = ("plotly/Figure-Friday", "55cb522196cfeae09ee4f9a80a4cbee7401a4026")
_ITU = ("DenSkrytskyi/itu-ict-indicators-analysis", "3a84dc20573b4da5313f55049784b3b368bd9c8f")
_ASSEMBLED = "assembled for Coalition from public pages (see SOURCES.md); it has no raw origin, copy it from a Coalition data folder"
_IATI_SCHEMAS = ("IATI/IATI-Schemas", "4c9ba1e84815f57a4ffab03fdbd551ae4c71d08c")
_IATI_CODELISTS = ("IATI/IATI-Codelists", "75e827bacd29f77356cb43defbc0b655705432f3")
_IATI_NON_EMBEDDED = ("IATI/IATI-Codelists-NonEmbedded", "7aeece773c60afa0265eb95e988d5e61e96d8482")

PUBLIC_FILES: list[PublicFile] = [
    PublicFile("country-codes.csv", "datasets/country-codes", "caa72d1e0e5af8876c170bb36a9e4d64a01bba88",
               "data/country-codes.csv", "67b009b529330b0a6043551189f43faa785c9c3cc0011ad2bdb4eac876356c43"),
    PublicFile("population.csv", "datasets/population", "425fc447a53a26c767a15a7de60c4cc2478a0595",
               "data/population.csv", "7d2dd6a17f5ed7916de1f89a9c116791e64d207f2e2f6ce47c57e1ab46f0088a"),
    PublicFile("wb_IT.NET.USER.ZS_internet_users_pct.csv", *_FIGURE_FRIDAY,
               "2024/week-48/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv",
               "8ced611663bf77d05d222a16cbbaa6ecd456f5a31a03700611cc92339b36d36f"),
    PublicFile("wb_country_metadata.csv", *_FIGURE_FRIDAY,
               "2024/week-48/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv",
               "1458f65bf61be11d0b334f4676432762f781c0fba1e0c3f2da1fe654f5319356"),
    PublicFile("itu-regions.csv", note=_ASSEMBLED),
    PublicFile("escap-members.csv", note=_ASSEMBLED),
    PublicFile("sdg-goals-targets.csv", note=_ASSEMBLED),
    PublicFile("wsis-action-lines.csv", note=_ASSEMBLED),
    PublicFile("wb_IT.CEL.SETS.P2_mobile_cellular_per100.csv", "JBreitenbr/deriving-data",
               "82c2b64a654701b719af43127e9854a1676220e5", "World Bank Data/API_IT.CEL.SETS.P2_DS2_en_csv_v2_2987.csv",
               "e1219b2749ef0436f8d43235e3813d8533c93de5cac3d6203b99f451cded4160"),
    PublicFile("wb_NY.GNP.PCAP.CD_gni_per_capita_atlas.csv", "yusufaliozkan/geographic-bias-tool",
               "7a46133d3042ac6b8adfe590430df033f9763655", "API_NY.GNP.PCAP.CD_DS2_en_csv_v2_1519779.csv",
               "e8a6395d199d3bf4a0a9ce9fa2b4448f8203f07ce0ca4ec437f27b1abc7709a5"),
    PublicFile("itu_fixed_broadband_subscriptions.csv", *_ITU, "src/fixed_broadband_subscriptions.csv",
               "c4fdb402791d853f92ac3564a5c575075632868b03c24116b96d3c645cdf106a"),
    PublicFile("itu_population_coverage_mobile_network.csv", *_ITU, "src/population_coverage_mobile_network.csv",
               "6e568ba963e694a99b17a454104d5beafadb79228a250b93cd8decc170f7f2e1"),
    PublicFile("itu_data_only_mobile_broadband_basket_5gb.csv", *_ITU, "src/data_only_mobile_broadband_basket_5gb.csv",
               "cd70523deb19286bc620192db998a771e9fea39151cb0cd2333581bb22be3dcc"),
    PublicFile("itu_active_mobile_broadband_subscriptions.csv", *_ITU, "src/active_mobile_broadband_subscriptions.csv",
               "ee12db94a0a845bd3eb29df3d3b75d560f152c1070152d8b4aaec2cc4ff7169c"),
    PublicFile("itu_fixed_broadband_basket_5gb.csv", *_ITU, "src/fixed_broadband_price_5gb.csv",
               "1015c9b987e5a2e015258f1712b452923f77bf89002e7f08e5e9693922bb2e2c"),
    PublicFile("itu_individuals_using_internet.csv", *_ITU, "src/individuals_using_internet.csv",
               "2a5a15641687ccbccaf9e00e4db897e7aa37d280781fd42bcd7b68782c7954ad"),
    PublicFile("itu_households_internet_access.csv", *_ITU, "src/households_internet_access.csv",
               "be5b72ebd1ce0ea208c63b7bdfcffc237e6bf85466f18df7fef24a73174813db"),
    PublicFile("itu_mobile_phone_ownership.csv", *_ITU, "src/mobile_phone_ownership.csv",
               "dd8b64774fcaf9aba2db39f2a8952a5f9e59825c1cadfbb9914a0f2f15a05d89"),
    # SOURCES.md gives no checksums for the IATI files; they are pinned by commit only.
    *(PublicFile(f"iati/{name}", *_IATI_SCHEMAS, name) for name in ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd")),
    *(PublicFile(f"iati/codelists/{name}.xml", *_IATI_CODELISTS, f"xml/{name}.xml")
      for name in ("ActivityStatus", "BudgetType", "OrganisationRole", "TransactionType")),
    *(PublicFile(f"iati/codelists/{name}.xml", *_IATI_NON_EMBEDDED, f"xml/{name}.xml")
      for name in ("Sector", "SectorVocabulary", "OrganisationType", "Currency", "AidType", "FinanceType",
                   "FlowType", "TagVocabulary")),
]


class FetchError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_file(public: PublicFile, dest_dir: Path) -> str:
    """Download one file into dest_dir and return what happened; raise FetchError on failure.

    A file already present with the published checksum is left alone.
    """
    target = dest_dir / public.name
    if public.sha256 and target.exists() and sha256_of(target) == public.sha256:
        return "up to date (checksum matches)"
    try:
        with urllib.request.urlopen(public.url, timeout=TIMEOUT_SECONDS) as response:
            content = response.read()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{public.url} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"could not reach {public.url} ({reason}); are you offline?") from None
    actual = hashlib.sha256(content).hexdigest()
    if public.sha256 and actual != public.sha256:
        raise FetchError(f"checksum mismatch: expected {public.sha256}, got {actual}; file not written")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return f"downloaded {len(content):,} bytes" + (", checksum verified" if public.sha256 else "")
