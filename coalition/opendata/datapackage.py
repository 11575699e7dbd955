"""The Frictionless Data Package (https://specs.frictionlessdata.io/): `datapackage.json`
describing every table's CSV file with its table schema — types, required columns, enum
constraints, primary and foreign keys — its size and SHA-256, the licence, the sources and the
moment the data describe; and one zip holding the descriptor and the files, to load at once.

`frictionless validate datapackage.json` checks the files against it: every value against its
column's type and constraints, every key, every foreign key, every size and checksum."""

import datetime
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from coalition.opendata.datasets import DATASETS, dataset_of_table, licence
from coalition.opendata.tables import TABLES, Table
from coalition.opendata.tables.columns import utc_text

DESCRIPTOR_NAME = "datapackage.json"
ZIP_NAME = "datapackage.zip"


@dataclass(frozen=True)
class PackagedFile:
    """A table's CSV file as the package describes it."""

    table: Table
    path: Path
    size: int
    sha256: str


def table_schema(table: Table, language: str) -> dict:
    """The Table Schema of `table`, titles and descriptions in `language`."""
    with translation.override(language):
        fields = []
        for column in table.columns:
            field = {"name": column.name, "type": column.type, "title": str(column.title),
                     "description": str(column.description)}
            if column.example:
                field["example"] = column.example
            if column.unit:
                field["unit"] = column.unit
            constraints = {}
            if column.required:
                constraints["required"] = True
            if column.enum is not None:
                constraints["enum"] = column.enum_codes()
            if constraints:
                field["constraints"] = constraints
            fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(key.fields), "reference": {"resource": key.reference, "fields": list(key.reference_fields)}}
            for key in table.foreign_keys
        ]
    return schema


def datapackage_descriptor(*, files: Iterable[PackagedFile], language: str, as_of: datetime.datetime) -> dict:
    """The descriptor of a package of `files` (paths relative to the descriptor: the file names)."""
    chosen = licence()
    site = settings.COALITION_SITE_URL.rstrip("/")
    with translation.override(language):
        resources = [
            {
                "name": item.table.name, "path": item.path.name, "title": str(item.table.title),
                "description": str(item.table.description), "format": "csv", "mediatype": "text/csv",
                "encoding": "utf-8", "bytes": item.size, "hash": f"sha256:{item.sha256}",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": table_schema(item.table, language),
                "x-dataset": dataset_of_table(item.table.name).slug,
            }
            for item in files
        ]
        return {
            "name": "coalition-open-data",
            "title": _("Coalition open data"),
            "description": _("Pledges toward universal, meaningful connectivity, their progress reports, the "
                             "reference tables they are cut by, and connectivity indicators."),
            "homepage": site + reverse("opendata:index"),
            "language": language,
            "created": utc_text(as_of),
            "keywords": sorted({keyword for dataset in DATASETS.values() for keyword in dataset.keywords}),
            "licenses": [{"name": chosen.code, "title": chosen.title, "path": chosen.path}],
            "sources": [
                {"title": _("Pledges and progress reports: the pledging organisations' own statements, reviewed "
                            "by the secretariat"), "path": site + reverse("explore:explorer")},
                {"title": _("Country codes and groups: UN Statistics Division (M49) and ISO 3166"),
                 "path": "https://unstats.un.org/unsd/methodology/m49/"},
                {"title": _("Indicator values: each value's source and edition (data_sources, observations)"),
                 "path": site + reverse("opendata:dataset", args=["indicators"])},
            ],
            "resources": resources,
        }


def datapackage_write(*, files: list[PackagedFile], directory: Path, language: str,
                      as_of: datetime.datetime) -> tuple[Path, Path]:
    """Write `datapackage.json` beside the CSV files in `directory`, and the zip of both;
    returns their paths."""
    ordered = sorted(files, key=lambda item: list(TABLES).index(item.table.name))
    descriptor_path = directory / DESCRIPTOR_NAME
    descriptor_path.write_text(json.dumps(datapackage_descriptor(files=ordered, language=language, as_of=as_of),
                                          ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    zip_path = directory / ZIP_NAME
    moment = as_of.astimezone(datetime.UTC).timetuple()[:6]
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for path in (descriptor_path, *(item.path for item in ordered)):
            info = zipfile.ZipInfo(path.name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
    return descriptor_path, zip_path
