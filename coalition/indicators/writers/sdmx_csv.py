"""Indicator values and group aggregates as SDMX-CSV 2.0, and the same file imported back.

One row per value: STRUCTURE, STRUCTURE_ID, ACTION, then the dimensions and attributes of the
structure `sdmx_structure` describes. Country values come with their source, edition, estimate
flag (OBS_STATUS E), note and origin, as the platform held them at the moment asked for; each
indicator's group aggregates (`aggregates.aggregates`, from its preferred source, over every
country group and the world, for every year with values) follow, their REF_AREA the group code.

`sdmx_csv_import` reads such a file back through the one import runner (`importing`): one run per
source and edition in the file, so each value keeps the edition that gave it, all of them or none.
Aggregates are computed, never imported: the reader skips their rows.
"""

import csv
import heapq
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils.translation import gettext_lazy

from coalition.common.actors import person
from coalition.common.asof import AsOf
from coalition.indicators.aggregates import WORLD, aggregates, years_with_data
from coalition.indicators.importing import import_kind, indicator_import
from coalition.indicators.models import DataSource, Indicator, Observation, ObservationRevision
from coalition.indicators.readers.sdmx import SdmxReader
from coalition.indicators.selectors import held_at
from coalition.indicators.writers import Writer
from coalition.indicators.writers.sdmx_structure import ATTRIBUTES, DIMENSIONS, ESTIMATED, NORMAL, STRUCTURE_ID
from coalition.reference.models import CountryGroup, ImportRun

HEADER = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS, "OBS_VALUE", *ATTRIBUTES]
CHUNK = 5_000
_FIELDS = ("source__code", "country__iso3", "year", "value", "is_estimate", "note", "origin", "edition__label")


def sdmx_csv_write(*, stream: TextIO, as_of: AsOf, language: str = "en") -> None:
    """Write every indicator's country values and group aggregates held at `as_of` to `stream`
    (text, opened with newline=""), row by row as they are read: memory stays flat whatever
    the number of values. `language` is unused (codes only; names are in the structure)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADER)
    groups = [WORLD, *CountryGroup.objects.order_by("kind", "order", "code").values_list("code", flat=True)]
    for indicator in Indicator.objects.order_by("order", "code"):
        lead = ["dataflow", STRUCTURE_ID, "I", indicator.code]
        for source, iso3, year, value, estimate, note, origin, edition in _values(indicator, as_of):
            writer.writerow([*lead, iso3, source, year, _number(value), indicator.unit,
                             ESTIMATED if estimate else NORMAL, edition, note, origin, ""])
        years = years_with_data(indicator=indicator)
        if not years:
            continue
        for row in aggregates(indicator=indicator, groups=groups, years=years, as_of=held_at(as_of)):
            if row.value is None:
                continue
            writer.writerow([*lead, row.group, row.source or "", row.year, _number(row.value), indicator.unit,
                             NORMAL if row.coverage >= 1 else ESTIMATED, "", "", "", _number(round(row.coverage, 6))])


def _values(indicator: Indicator, as_of: AsOf) -> Iterator[tuple]:
    """The indicator's values held at `as_of`, ordered by source, country and year: the current
    values (streamed), or at an earlier moment those of editions imported by then, each replaced
    by the value a later revision replaced (`selectors.values_by_country`'s rule)."""
    order = ("source__code", "country__iso3", "year")
    moment = held_at(as_of)
    if moment is None:
        yield from Observation.objects.filter(indicator=indicator).order_by(*order).values_list(*_FIELDS).iterator(CHUNK)
        return
    held = {"indicator": indicator, "edition__first_imported_at__lte": moment}
    current = Observation.objects.filter(**held).order_by(*order).values_list(*_FIELDS).iterator(CHUNK)
    revised: dict[tuple, tuple] = {}
    for row in ObservationRevision.objects.filter(**held, replaced_at__gt=moment).order_by("-replaced_at").values_list(*_FIELDS):
        revised[row[:3]] = row  # the earliest revision after the moment is written last: the value then
    merged = heapq.merge(((row[:3], 1, row) for row in current), ((key, 0, row) for key, row in sorted(revised.items())))
    last = None
    for key, _rank, row in merged:
        if key != last:
            last = key
            yield row


def _number(value: float) -> str:
    """The shortest text that reads back as the same float."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


SDMX_CSV = Writer(
    slug="sdmx-csv",
    title=gettext_lazy("Connectivity indicators and group aggregates (SDMX-CSV)"),
    description=gettext_lazy(
        "Every indicator value by country and year, with its source, edition and status, and the "
        "population-weighted aggregates of every country group and the world, in SDMX-CSV 2.0. "
        "Read it with its structure definition (SDMX-ML)."),
    media_type="application/vnd.sdmx.data+csv; version=2.0.0",
    file_name="connectivity.sdmx.csv",
    write=sdmx_csv_write,
)


def sdmx_csv_parts(path: Path | str) -> list[tuple[str, str]]:
    """The (source code, edition) pairs of a platform SDMX-CSV file's country rows, in file order."""
    groups = {WORLD, *CountryGroup.objects.values_list("code", flat=True)}
    seen: dict[tuple[str, str], None] = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("REF_AREA") not in groups and row.get("DATA_SOURCE") and row.get("OBS_VALUE"):
                seen.setdefault((row["DATA_SOURCE"], row.get("EDITION") or ""), None)
    return list(seen)


def sdmx_csv_import(*, actor, path: Path | str, name: str | None = None) -> list[ImportRun]:
    """Import a platform SDMX-CSV file back: one import run (`importing.indicator_import`) per
    source and edition in it, every country value keeping its edition; aggregates skipped.

    All or nothing: when one run fails, every run's writes are rolled back and the failed run is
    kept, with its row and column errors; the runs are returned, the failed one last. A source
    the platform does not know fails its run before anything is read. Raises PermissionDenied,
    with nothing written, for someone who may not import.
    """
    runs: list[ImportRun] = []
    failed: ImportRun | None = None
    with transaction.atomic():
        for source_code, edition in sdmx_csv_parts(path):
            source = DataSource.objects.filter(code=source_code).first()
            if source is None:
                failed = ImportRun(kind=import_kind(DataSource(code=source_code)), source=(name or str(path))[:500],
                                   edition=edition, started_by=person(actor), status=ImportRun.Status.FAILED, errors=[{
                                       "row": None, "column": "DATA_SOURCE",
                                       "message": f"Unknown data source {source_code!r}: add it before importing its values"}])
                break
            reader = SdmxReader(path, source=source, name=name, edition=edition)
            run = indicator_import(actor=actor, reader=reader, source=source, edition_label=edition or "sdmx-csv")
            if run.status != ImportRun.Status.SUCCEEDED:
                failed = run
                break
            runs.append(run)
        if failed is not None:
            transaction.set_rollback(True)
    if failed is None:
        return runs
    failed.pk = None
    failed._state.adding = True
    failed.save()
    return [failed]
