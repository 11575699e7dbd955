"""A full build writes every dataset in every format and language with the data package, records
each file's size and SHA-256, and publishes nothing private."""

import dataclasses
import hashlib
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from frictionless import validate

from coalition.common.actors import SYSTEM
from coalition.opendata.datasets import DATASETS, FORMATS
from coalition.opendata.models import DumpBuild, DumpFile
from coalition.opendata.services import dumps_build
from coalition.opendata.tables import TABLES
from coalition.opendata.tests.conftest import SECRET_DRAFT, SECRET_NARRATIVE, SECRET_SUBMITTED

pytestmark = pytest.mark.django_db


def test_a_build_records_every_file_with_its_size_and_checksum(registry, opendata_dir):
    build = dumps_build(actor=SYSTEM)

    assert build.status == DumpBuild.Status.SUCCEEDED and build.as_of is not None
    files = list(DumpFile.objects.all())
    names = {(item.language, item.name) for item in files}
    for language in ("en", "fr"):
        assert {(language, f"{table}.csv") for table in TABLES} <= names
        assert {(language, f"{slug}.{ext}") for slug in DATASETS for ext in ("xlsx", "json")} <= names
        assert {(language, "datapackage.json"), (language, "datapackage.zip")} <= names
    for item in files:
        content = (opendata_dir / item.path).read_bytes()
        assert item.size == len(content)
        assert item.sha256 == hashlib.sha256(content).hexdigest()
        assert item.build_id == build.pk
    assert DumpFile.objects.get(language="en", name="pledges.csv").rows == 3


def test_a_second_build_replaces_the_files_and_removes_the_old_folder(registry, opendata_dir):
    first = dumps_build(actor=SYSTEM)
    second = dumps_build(actor=SYSTEM, datasets=["reference"])

    assert set(DumpFile.objects.values_list("build_id", flat=True)) == {second.pk}
    assert not (opendata_dir / f"build-{first.pk}").exists()
    carried = DumpFile.objects.get(language="en", name="pledges.csv")
    assert (opendata_dir / carried.path).read_bytes().startswith(b"id,title,")


def test_nothing_private_reaches_any_file(registry, opendata_dir, pledger_a):
    dumps_build(actor=SYSTEM)

    for item in DumpFile.objects.all():
        path = opendata_dir / item.path
        if item.name.endswith((".xlsx", ".zip")):
            with zipfile.ZipFile(path) as archive:
                content = b"".join(archive.read(name) for name in archive.namelist())
        else:
            content = path.read_bytes()
        text = content.decode("utf-8")
        for secret in (SECRET_DRAFT, SECRET_SUBMITTED, SECRET_NARRATIVE, "focal.a@example.org",
                       "focal.b@example.org", "reviewer@example.org"):
            assert secret not in text, f"{secret!r} in {item.name}"


def test_the_data_package_is_valid_for_frictionless(registry, opendata_dir):
    dumps_build(actor=SYSTEM)
    descriptor = opendata_dir / DumpFile.objects.get(language="en", name="datapackage.json").path

    report = validate(str(descriptor))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text())
    assert {resource["name"] for resource in package["resources"]} == set(TABLES)
    pledges = next(resource for resource in package["resources"] if resource["name"] == "pledges")
    fields = {field["name"]: field for field in pledges["schema"]["fields"]}
    assert fields["pledge_type"]["constraints"]["enum"] == ["programmatic", "financial", "policy", "advocacy", "in_kind"]
    assert {"fields": ["lead_entity_id"], "reference": {"resource": "entities", "fields": ["id"]}} in pledges["schema"]["foreignKeys"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["created"].endswith("Z")


def test_a_broken_data_package_is_reported_invalid(registry, opendata_dir):
    dumps_build(actor=SYSTEM)
    directory = (opendata_dir / DumpFile.objects.get(language="en", name="datapackage.json").path).parent
    links = directory / "pledge_countries.csv"
    links.write_text(links.read_text() + "999999,ZZZ\r\n")  # an unknown pledge and country
    descriptor = json.loads((directory / "datapackage.json").read_text())
    for resource in descriptor["resources"]:  # the checksums updated: only the rows are wrong
        if resource["name"] == "pledge_countries":
            resource.pop("hash"), resource.pop("bytes")
    (directory / "datapackage.json").write_text(json.dumps(descriptor))

    report = validate(str(directory / "datapackage.json"))

    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_a_changed_file_fails_its_checksum(registry, opendata_dir):
    dumps_build(actor=SYSTEM)
    directory = (opendata_dir / DumpFile.objects.get(language="en", name="datapackage.json").path).parent
    (directory / "countries.csv").write_text("iso3,iso2,numeric,name\r\nKEN,KE,404,Kenya!\r\n")

    report = validate(str(directory / "datapackage.json"))

    assert not report.valid


def test_only_the_secretariat_or_the_system_builds(registry, pledger_a, reviewer, administrator):
    with pytest.raises(PermissionDenied):
        dumps_build(actor=pledger_a)
    assert dumps_build(actor=reviewer).status == DumpBuild.Status.SUCCEEDED
    assert dumps_build(actor=administrator).status == DumpBuild.Status.SUCCEEDED


def test_an_unknown_dataset_is_refused_by_name(db):
    with pytest.raises(ValidationError) as error:
        dumps_build(actor=SYSTEM, datasets=["pledges", "secrets"])
    assert "secrets" in error.value.message_dict["dataset"][0]


def test_a_failed_build_is_recorded_and_leaves_the_current_files(registry, opendata_dir, monkeypatch):
    first = dumps_build(actor=SYSTEM)

    def broken(**kwargs):
        raise OSError("No space left on device")
        yield

    monkeypatch.setitem(FORMATS, "json", dataclasses.replace(FORMATS["json"], write=broken))
    with pytest.raises(OSError):
        dumps_build(actor=SYSTEM)

    failed = DumpBuild.objects.latest("pk")
    assert failed.status == DumpBuild.Status.FAILED and "No space left" in failed.error
    assert not (opendata_dir / f"build-{failed.pk}").exists()
    assert set(DumpFile.objects.values_list("build_id", flat=True)) == {first.pk}
    assert all((opendata_dir / item.path).exists() for item in DumpFile.objects.all())
