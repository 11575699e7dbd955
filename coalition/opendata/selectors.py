"""Reads of the open-data pages: the current files, the state of the builds, what a dataset
covers in time, and the schema.org description of a dataset."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from coalition.indicators.models import Observation
from coalition.opendata.datasets import Dataset, licence
from coalition.opendata.models import DumpBuild, DumpFile
from coalition.pledges.models import Pledge, Status


@dataclass
class DumpsState:
    """The latest succeeded build, and a build waiting or running, if any."""

    built: DumpBuild | None
    queued: DumpBuild | None
    running: DumpBuild | None
    files: list[DumpFile] = field(default_factory=list)

    def of_dataset(self, slug: str) -> list[DumpFile]:
        return [item for item in self.files if item.dataset == slug]

    def package(self) -> list[DumpFile]:
        return [item for item in self.files if not item.dataset]


def dumps_state(*, language: str) -> DumpsState:
    files = list(DumpFile.objects.filter(language=language).select_related("build").order_by("dataset", "format", "pk"))
    return DumpsState(
        built=DumpBuild.objects.filter(status=DumpBuild.Status.SUCCEEDED).order_by("-finished_at", "-pk").first(),
        queued=DumpBuild.objects.filter(status=DumpBuild.Status.QUEUED).first(),
        running=DumpBuild.objects.filter(status=DumpBuild.Status.RUNNING).order_by("-started_at").first(),
        files=files,
    )


def dump_file_get(*, language: str, name: str) -> DumpFile | None:
    return DumpFile.objects.filter(language=language, name=name).select_related("build").first()


def dump_file_path(item: DumpFile) -> Path:
    return Path(settings.COALITION_OPENDATA_DIR) / item.path


def temporal_coverage(dataset: Dataset, *, as_of: datetime.date) -> str:
    """The period a dataset's rows describe, as an ISO 8601 interval: from the first publication
    to the as-of day for the pledges, the years of the values for the indicators."""
    if dataset.slug == "indicators":
        years = Observation.objects.aggregate(first=Min("year"), last=Max("year"))
        if years["first"] is not None:
            return f"{years['first']}/{years['last']}"
    if dataset.slug == "pledges":
        first = Pledge.objects.filter(status=Status.PUBLISHED).aggregate(first=Min("published_at"))["first"]
        if first is not None:
            return f"{first.date().isoformat()}/{as_of.isoformat()}"
    return f"../{as_of.isoformat()}"


def publisher_name() -> str:
    return getattr(settings, "COALITION_IATI_ORG_NAME", "") or "Coalition secretariat"


def dataset_json_ld(*, dataset: Dataset, files: list[DumpFile], site: str, language: str,
                    as_of: datetime.datetime | None) -> dict:
    """The schema.org `Dataset` describing `dataset` and its current files (absolute URLs on `site`)."""
    chosen = licence()
    publisher = {"@type": "Organization", "name": publisher_name(), "url": site + reverse("explore:home")}
    described = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": str(dataset.title),
        "description": str(dataset.description),
        "url": site + reverse("opendata:dataset", args=[dataset.slug]),
        "license": chosen.path,
        "inLanguage": language,
        "isAccessibleForFree": True,
        "keywords": list(dataset.keywords),
        "creator": publisher,
        "publisher": publisher,
        "distribution": [
            {"@type": "DataDownload", "name": item.name, "encodingFormat": item.media_type,
             "contentUrl": site + reverse("opendata:file", args=[item.language, item.name]),
             "contentSize": f"{item.size} B", "sha256": item.sha256}
            for item in files
        ],
    }
    if as_of is not None:
        described["dateModified"] = as_of.isoformat()
        described["temporalCoverage"] = temporal_coverage(dataset, as_of=timezone.localdate(as_of))
    return described
