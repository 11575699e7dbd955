"""The indicator snapshot Coalition ships, so a clone with no data folder and no network has data.

`coalition indicators snapshot --data-dir DIR` reads each public indicator file of the catalogue
(public_files.INDICATOR_FILES) found in DIR through the platform's own readers, and writes what
they read — only the catalogue's series, every year — as one compact gzipped tidy CSV per file
under data/snapshot/, with an index (index.csv) giving for each part the file it was derived
from and that file's SHA-256, the source, the edition, the number of values, and the licence and
attribution of its source. `coalition indicators load` imports a part, under the same source and
edition, for every file the data folder does not hold; loading the real file later finds every
value unchanged. The parts are not copies of the publishers' files: one row per value, the
platform's columns, nothing the catalogue does not use.
"""

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coalition.common.downloads import sha256_hex, write_atomic
from coalition.indicators.catalogue import DATA
from coalition.indicators.models import DataSource, Indicator, Series
from coalition.indicators.public_files import IndicatorFile, indicator_files
from coalition.indicators.readers import reader_for
from coalition.indicators.readers.base import Value
from coalition.reference.loaders.base import RowError
from coalition.reference.models import Country

SNAPSHOT_DIR = DATA / "snapshot"
INDEX = "index.csv"
INDEX_COLUMNS = ["part", "derived_from", "derived_from_sha256", "source", "edition", "values", "first_year",
                 "last_year", "licence", "attribution"]
PART_COLUMNS = ["country", "indicator", "year", "value", "estimate", "note", "source"]


class SnapshotError(Exception):
    pass


@dataclass(frozen=True)
class Part:
    part: str
    derived_from: str
    derived_from_sha256: str
    source: str
    edition: str
    values: int
    first_year: int
    last_year: int
    licence: str
    attribution: str

    def row(self) -> list[str]:
        return [str(getattr(self, name)) for name in INDEX_COLUMNS]


def part_name(entry: IndicatorFile) -> str:
    return Path(entry.name).stem + ".csv.gz"


def snapshot_parts(folder: Path | None = None) -> dict[str, Part]:
    """The parts in `folder` (default: the shipped snapshot) by the file each was derived from."""
    path = Path(folder or SNAPSHOT_DIR) / INDEX
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["derived_from"]: Part(**{**row, "values": int(row["values"]), "first_year": int(row["first_year"]),
                                         "last_year": int(row["last_year"])}) for row in rows}


def snapshot_write(data_dir: Path, out_dir: Path) -> list[Part]:
    """Derive the parts from the files in `data_dir`; refuse (writing nothing) if a file has errors.

    Needs the catalogue and the countries loaded (the readers resolve codes against them).
    """
    entries = [entry for entry in indicator_files() if (Path(data_dir) / entry.name).exists()]
    if not entries:
        raise SnapshotError(f"{data_dir} holds none of the catalogue's public indicator files")
    iso3 = dict(Country.objects.values_list("id", "iso3"))
    indicator_codes = dict(Indicator.objects.values_list("id", "code"))
    written: list[tuple[Part, bytes]] = []
    for entry in entries:
        source = DataSource.objects.get(code=entry.source)
        series = {indicator_id: code for code, indicator_id in Series.objects.filter(source=source).values_list("code", "indicator_id")}
        indicator = Indicator.objects.get(code=entry.indicator) if entry.indicator else None
        path = Path(data_dir) / entry.name
        values = sorted(_values(reader_for(entry.format, path, source=source, indicator=indicator), entry.name),
                        key=lambda v: (series.get(v.indicator_id, ""), iso3[v.country_id], v.year))
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(PART_COLUMNS)
        for v in values:
            code = series.get(v.indicator_id) or indicator_codes[v.indicator_id]
            writer.writerow([iso3[v.country_id], code, v.year, repr(v.value), "yes" if v.is_estimate else "",
                             v.note, v.origin])
        years = [v.year for v in values]
        part = Part(part_name(entry), entry.name, _sha256_file(path), entry.source, entry.edition, len(values),
                    min(years, default=0), max(years, default=0), source.licence, source.citation)
        written.append((part, gzip.compress(text.getvalue().encode(), compresslevel=9, mtime=0)))
    out_dir = Path(out_dir)
    kept = {name: part for name, part in snapshot_parts(out_dir).items() if name not in {p.derived_from for p, _ in written}}
    for part, content in written:
        write_atomic(out_dir / part.part, content)
    index = io.StringIO()
    writer = csv.writer(index, lineterminator="\n")
    writer.writerow(INDEX_COLUMNS)
    parts = sorted([*kept.values(), *(part for part, _ in written)], key=lambda p: p.derived_from)
    writer.writerows(part.row() for part in parts)
    write_atomic(out_dir / INDEX, index.getvalue().encode())
    return [part for part, _ in written]


def _values(reader, name: str) -> Iterator[Value]:
    for item in reader:
        if isinstance(item, RowError):
            raise SnapshotError(f"{name}: line {item.row}, {item.column}: {item.message}")
        yield item


def _sha256_file(path: Path) -> str:
    return sha256_hex(Path(path).read_bytes())
