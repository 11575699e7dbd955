"""The open-data pages list the datasets and their current files with build date, size and
checksum; a dataset page carries schema.org Dataset markup; files are served from disk with their
checksum as ETag; only the secretariat may queue a rebuild."""

import hashlib
import json
import re

import pytest
from django.urls import reverse

from coalition.common.actors import SYSTEM
from coalition.opendata.models import DumpBuild, DumpFile
from coalition.opendata.services import dumps_build
from coalition.opendata.tables import TABLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(registry):
    return dumps_build(actor=SYSTEM)


def _json_ld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return json.loads(block)


def test_the_data_page_lists_the_datasets_and_the_package(client, built):
    page = client.get(reverse("opendata:index")).content.decode()

    for slug in ("pledges", "reference", "indicators"):
        assert reverse("opendata:dataset", args=[slug]) in page
    package = DumpFile.objects.get(language="en", name="datapackage.zip")
    assert reverse("opendata:file", args=["en", "datapackage.zip"]) in page and package.sha256 in page
    assert reverse("opendata:rebuild") not in page  # not for the public


def test_a_dataset_page_shows_its_files_dictionary_and_citation(client, built):
    page = client.get(reverse("opendata:dataset", args=["pledges"])).content.decode()

    item = DumpFile.objects.get(language="en", name="pledges.csv")
    assert item.sha256 in page and reverse("opendata:file", args=["en", "pledges.csv"]) in page
    assert "How to cite" in page and "data as of" in page
    for column in TABLES["progress_reports"].columns:
        assert f"<code>{column.name}</code>" in page


def test_a_dataset_page_carries_schema_org_dataset_markup(client, built):
    page = client.get(reverse("opendata:dataset", args=["pledges"])).content.decode()

    described = _json_ld(page)
    assert described["@context"] == "https://schema.org" and described["@type"] == "Dataset"
    assert described["name"] == "Pledges" and described["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert described["dateModified"].startswith(str(built.as_of.date())[:4])
    assert described["temporalCoverage"].endswith(str(built.as_of.date()))
    assert described["publisher"]["name"] and described["creator"] == described["publisher"]
    formats = {item["encodingFormat"] for item in described["distribution"]}
    assert {"text/csv", "application/json"} <= formats
    assert all(item["contentUrl"].startswith("http://testserver/data/files/en/") for item in described["distribution"])


def test_the_json_ld_cannot_close_its_script_element(client, registry, initiative):
    initiative.name_en = "</script><script>alert(1)</script>"
    initiative.save()
    dumps_build(actor=SYSTEM)

    page = client.get(reverse("opendata:dataset", args=["reference"])).content.decode()
    assert "</script><script>alert(1)" not in page
    assert _json_ld(page)["@type"] == "Dataset"


def test_the_dictionary_page_lists_every_column_of_every_table(client, db):
    page = client.get(reverse("opendata:dictionary")).content.decode()

    for table in TABLES.values():
        assert f'id="table-{table.name}"' in page
        for column in table.columns:
            assert f"<code>{column.name}</code>" in page


def test_a_file_is_served_with_its_checksum_as_etag_and_a_304_when_unchanged(client, built, opendata_dir):
    url = reverse("opendata:file", args=["fr", "countries.csv"])
    response = client.get(url)

    content = b"".join(response.streaming_content)
    item = DumpFile.objects.get(language="fr", name="countries.csv")
    assert response["ETag"] == f'"{item.sha256}"' == f'"{hashlib.sha256(content).hexdigest()}"'
    assert "Népal" in content.decode()
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_an_unknown_file_is_not_found(client, built):
    assert client.get(reverse("opendata:file", args=["en", "secrets.csv"])).status_code == 404
    assert client.get(reverse("opendata:file", args=["de", "countries.csv"])).status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "member_state_focal"])
def test_others_may_not_queue_a_rebuild(client, db, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("opendata:rebuild"))

    if persona == "anonymous":  # asked to sign in first, like every page of the secretariat
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 403
    assert not DumpBuild.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_the_secretariat_queues_a_rebuild_that_runs_at_once(client, registry, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("opendata:rebuild"))

    assert response.status_code == 302
    assert DumpBuild.objects.get().status == DumpBuild.Status.SUCCEEDED
    assert client.get(reverse("opendata:index")).content.decode().count(reverse("opendata:rebuild")) == 1
