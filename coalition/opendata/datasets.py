"""The open datasets and the formats they are published in: two registries the downloads page,
the dump builder, the data package and the selection downloads all read.

A **dataset** is a set of tables (`tables.TABLES`) with a title, a description and a licence.
A **format** is a writer that describes itself (title, description, media type, file extension)
and writes a dataset, or one table of it, to a binary stream. Adding a format is one entry in
`FORMATS` (a writer that reads its own data, like the IATI and SDMX writers, through
`_writer_format`), named in the `formats` of the datasets that offer it.
"""

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.common.asof import AsOf
from coalition.indicators.writers import Writer
from coalition.indicators.writers import writers as indicator_writers
from coalition.opendata.iati import IATI_ACTIVITIES
from coalition.opendata.tables import TABLES, Scope, Table
from coalition.opendata.tables.columns import utc_text
from coalition.opendata.writers import csv as csv_writer
from coalition.opendata.writers import json as json_writer
from coalition.opendata.writers import xlsx as xlsx_writer


@dataclass(frozen=True)
class Licence:
    code: str
    title: str
    path: str


LICENCES = {
    licence.code: licence for licence in (
        Licence("CC-BY-4.0", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
        Licence("CC0-1.0", "Creative Commons CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        Licence("ODC-BY-1.0", "Open Data Commons Attribution License v1.0",
                "https://opendatacommons.org/licenses/by/1-0/"),
    )
}


def licence() -> Licence:
    """The licence the platform publishes its data under (COALITION_OPENDATA_LICENCE)."""
    return LICENCES[settings.COALITION_OPENDATA_LICENCE]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    table_names: tuple[str, ...]
    formats: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    @property
    def tables(self) -> list[Table]:
        return [TABLES[name] for name in self.table_names]

    def available_formats(self) -> list["Format"]:
        return [FORMATS[slug] for slug in self.formats if slug in FORMATS]


@dataclass(frozen=True)
class Format:
    """A writer that describes itself. `write(dataset=, tables=, scope=, stream=, as_of=)` writes
    `tables` of `dataset` and yields rows written so far. `per_table`: one file per table
    (`<table>.<extension>`); otherwise one per dataset (`file_name`, or `<dataset>.<extension>`)."""

    slug: str
    title: str
    description: str
    media_type: str
    extension: str
    write: Callable[..., Iterator[int]]
    per_table: bool = False
    file_name: str = ""

    def file_for(self, dataset: Dataset, table: Table | None = None) -> str:
        if self.per_table:
            return f"{table.name}.{self.extension}"
        return self.file_name or f"{dataset.slug}.{self.extension}"


def _standalone(writer: Writer) -> Callable[..., Iterator[None]]:
    """A format's `write` for a writer that reads its own data (IATI, SDMX): called as
    `writer.write(stream=, as_of=, language=)` with the build's moment, through a UTF-8 text
    layer when the writer writes text."""

    def write(*, dataset, tables, scope: Scope, stream, as_of: datetime.datetime) -> Iterator[None]:
        moment = AsOf(date=timezone.localdate(as_of), moment=as_of, is_today=False)
        if writer.binary:
            writer.write(stream=stream, as_of=moment, language=scope.language)
        else:
            text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
            writer.write(stream=text, as_of=moment, language=scope.language)
            text.flush()
            text.detach()
        yield None

    return write


def _writer_format(writer: Writer, *, slug: str, extension: str) -> "Format":
    return Format(slug, writer.title, writer.description, writer.media_type, extension, write=_standalone(writer),
                  file_name=writer.file_name)


def _head(dataset: Dataset, scope: Scope, as_of: datetime.datetime) -> dict:
    chosen = licence()
    return {
        "dataset": dataset.slug, "title": dataset.title, "description": dataset.description,
        "language": scope.language, "as_of": as_of,
        "licence": {"name": chosen.code, "title": chosen.title, "path": chosen.path},
    }


def _csv(*, dataset, tables, scope, stream, as_of):
    (table,) = tables
    return csv_writer.csv_write(table=table, rows=table.rows(scope), stream=stream)


def _xlsx(*, dataset, tables, scope, stream, as_of):
    return xlsx_writer.xlsx_write(tables=((table, table.rows(scope)) for table in tables), stream=stream,
                                  language=scope.language)


def _json(*, dataset, tables, scope, stream, as_of):
    head = {**_head(dataset, scope, as_of), "as_of": utc_text(as_of)}
    return json_writer.json_write(head=head, tables=((table, table.rows(scope)) for table in tables), stream=stream,
                                  language=scope.language)


FORMATS: dict[str, Format] = {
    "csv": Format("csv", csv_writer.TITLE, csv_writer.DESCRIPTION, csv_writer.MEDIA_TYPE, csv_writer.EXTENSION,
                  write=_csv, per_table=True),
    "xlsx": Format("xlsx", xlsx_writer.TITLE, xlsx_writer.DESCRIPTION, xlsx_writer.MEDIA_TYPE, xlsx_writer.EXTENSION,
                   write=_xlsx),
    "json": Format("json", json_writer.TITLE, json_writer.DESCRIPTION, json_writer.MEDIA_TYPE, json_writer.EXTENSION,
                   write=_json),
    "iati-xml": _writer_format(IATI_ACTIVITIES, slug="iati-xml", extension="xml"),
    "sdmx-csv": _writer_format(indicator_writers()["sdmx-csv"], slug="sdmx-csv", extension="csv"),
    "sdmx-structure": _writer_format(indicator_writers()["sdmx-structure"], slug="sdmx-structure", extension="xml"),
}


DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset for dataset in (
        Dataset(
            slug="pledges",
            title=_("Pledges"),
            description=_("Every published pledge with its beneficiary countries, regions and groups, framework "
                          "nodes, SDG targets, WSIS action lines, partners, quantified targets, the organisations "
                          "behind it and its accepted progress reports."),
            table_names=("pledges", "pledge_countries", "pledge_regions", "pledge_beneficiary_groups",
                         "pledge_framework_nodes", "pledge_sdg_targets", "pledge_wsis_lines", "partners",
                         "pledge_targets", "progress_reports", "entities", "campaigns"),
            formats=("csv", "xlsx", "json", "iati-xml"),
            keywords=("digital connectivity", "pledges", "partnerships", "development finance"),
        ),
        Dataset(
            slug="reference",
            title=_("Countries, groups and frameworks"),
            description=_("The reference tables the pledges and figures are cut by: countries, country groups "
                          "with dated memberships (LDC, LLDC, SIDS, regions, income groups), initiatives and their "
                          "frameworks, SDG targets, WSIS action lines and beneficiary groups."),
            table_names=("countries", "country_groups", "group_memberships", "initiatives", "framework_nodes",
                         "sdg_targets", "wsis_lines", "beneficiary_groups"),
            formats=("csv", "xlsx", "json"),
            keywords=("countries", "LDC", "LLDC", "SIDS", "SDG", "WSIS"),
        ),
        Dataset(
            slug="indicators",
            title=_("Connectivity indicators"),
            description=_("Connectivity indicators for every country and year with their source and edition, and "
                          "the 2030 targets. Each value keeps its source's licence (see data_sources)."),
            table_names=("indicators", "data_sources", "observations", "indicator_targets"),
            formats=("csv", "xlsx", "json", "sdmx-csv", "sdmx-structure"),
            keywords=("Internet use", "connectivity", "ICT indicators", "2030 targets"),
        ),
    )
}


# The pledge tables an explorer selection downloads with; the CSV of a selection is the first.
SELECTION_TABLES = ("pledges", "pledge_countries", "pledge_regions", "pledge_beneficiary_groups",
                    "pledge_framework_nodes", "pledge_sdg_targets", "pledge_wsis_lines", "partners",
                    "pledge_targets", "progress_reports")
SELECTION_FORMATS = ("csv", "xlsx", "json")
SELECTION = Dataset(
    slug="selection", title=_("Pledges selected in the explorer"),
    description=_("The published pledges an explorer search selected, with their links, partners, targets and "
                  "accepted progress reports."),
    table_names=SELECTION_TABLES, formats=SELECTION_FORMATS,
)


def dataset_of_table(name: str) -> Dataset:
    return next(dataset for dataset in DATASETS.values() if name in dataset.table_names)
