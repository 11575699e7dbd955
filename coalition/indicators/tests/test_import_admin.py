"""The administration's "Import a file": who may use it, and that it runs the same runner."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.indicators.models import DataSource, Indicator, Observation, StagedObservation
from coalition.indicators.tests.import_fixtures import DATA, sources, table_sizes  # noqa: F401 (fixtures)
from coalition.reference.models import ImportRun

pytestmark = pytest.mark.django_db
URL = reverse("admin:indicators_observation_import")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, name, *, format="tidy", source="itu-datahub", edition="2025-12", indicator=""):
    data = {"file": SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv"),
            "format": format, "source": source, "edition": edition, "indicator": indicator}
    return client.post(URL, data, follow=True)


def test_anonymous_users_are_sent_to_sign_in(client, sources):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(URL, {}).status_code == 302


def test_a_reviewer_without_the_permission_is_refused(client, reviewer, sources, table_sizes):
    client.force_login(reviewer)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": SimpleUploadedFile("t.csv", (DATA / "tidy.csv").read_bytes()),
                                 "format": "tidy", "source": "itu-datahub", "edition": "x"})
    assert response.status_code == 403
    assert table_sizes() == (0, 0) and not ImportRun.objects.filter(kind__startswith="indicators:").exists()


def test_an_administrator_sees_the_form_from_the_observation_list(client, administrator, sources):
    client.force_login(administrator)
    listing = client.get(reverse("admin:indicators_observation_changelist")).content.decode()
    assert URL in listing and "Import a file" in listing
    form = client.get(URL).content.decode()
    assert 'type="file"' in form and "SDMX-CSV" in form
    # Below the form, each format with the columns it needs.
    assert "<code>sdmx-csv</code> — SDMX-CSV 1.0 or 2.0" in form and "REF_AREA, INDICATOR or SERIES" in form


def test_an_administrators_bad_file_shows_row_errors_and_imports_nothing(client, administrator, sources, media):
    client.force_login(administrator)
    response = upload(client, "tidy_text_value.csv")
    run = ImportRun.objects.get(kind="indicators:itu-datahub")
    assert response.redirect_chain[-1][0] == reverse("admin:reference_importrun_change", args=[run.pk])
    page = response.content.decode()
    assert "Refused tidy_text_value.csv, nothing was imported: 2 error(s)" in page
    assert "&#x27;about forty&#x27; is not a number" in page and "&#x27;nan&#x27; is not a finite number" in page
    assert (run.status, run.started_by, run.edition) == ("failed", administrator, "2025-12")
    assert "2025-12" in page  # the edition attempted is on the run's page
    assert (Observation.objects.count(), StagedObservation.objects.count()) == (0, 0)
    assert [p.name.endswith("-tidy_text_value.csv") for p in (media / "imports").iterdir()] == [True]


def test_an_administrators_good_file_is_imported_as_a_task(client, administrator, sources):
    client.force_login(administrator)
    response = upload(client, "population.csv", source="wb-wdi", edition="2026-03", indicator="population")
    assert "Imported population.csv: 4 created, 0 updated, 0 unchanged, 1 skipped." in response.content.decode()
    run = ImportRun.objects.get(kind="indicators:wb-wdi")
    assert run.source.startswith("population.csv (")
    assert set(Observation.objects.values_list("indicator__code", "source__code", "edition__label", "import_run")) == {
        ("population", "wb-wdi", "2026-03", run.pk)}


def test_an_indicator_is_refused_for_formats_naming_their_series(client, administrator, sources):
    client.force_login(administrator)
    response = upload(client, "wb_internet.csv", format="wb-api", source="wb-wdi", indicator="population")
    assert response.status_code == 200 and "name their own series" in response.content.decode()
    assert not ImportRun.objects.filter(kind__startswith="indicators:").exists()


def test_the_catalogue_is_editable_and_values_are_read_only(client, administrator, sources):
    client.force_login(administrator)
    internet = Indicator.objects.get(code="internet-use")
    assert client.get(reverse("admin:indicators_indicator_change", args=[internet.pk])).status_code == 200
    assert "i99H" in client.get(reverse("admin:indicators_indicator_change", args=[internet.pk])).content.decode()
    assert client.get(reverse("admin:indicators_datasource_changelist")).status_code == 200
    assert client.get(reverse("admin:indicators_target_changelist")).status_code == 200
    assert client.get(reverse("admin:indicators_observation_add")).status_code == 403
    assert client.get(reverse("admin:indicators_observationrevision_changelist")).status_code == 200
    assert DataSource.objects.count() == 2


def test_with_a_worker_the_upload_is_queued_and_its_run_page_shown(client, administrator, sources, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client.force_login(administrator)
    response = upload(client, "tidy.csv")
    run = ImportRun.objects.get(kind="indicators:itu-datahub")
    assert run.status == "running" and "Queued tidy.csv" in response.content.decode()
    assert Observation.objects.count() == 0


@pytest.mark.parametrize("actor", [None, "anonymous"])
def test_an_import_without_a_person_or_the_system_is_refused(actor, request, sources, table_sizes):
    from django.core.exceptions import PermissionDenied

    from coalition.indicators.importing import indicator_import
    from coalition.indicators.readers import reader_for

    source = sources["itu-datahub"]
    with pytest.raises(PermissionDenied):
        indicator_import(actor=actor and request.getfixturevalue(actor),
                         reader=reader_for("tidy", DATA / "tidy.csv", source=source), source=source, edition_label="x")
    assert table_sizes() == (0, 0) and not ImportRun.objects.filter(kind__startswith="indicators:").exists()


def test_the_import_services_refuse_someone_without_the_permission(reviewer, sources, table_sizes, media):
    from django.core.exceptions import PermissionDenied

    from coalition.indicators.importing import indicator_import, indicator_import_upload
    from coalition.indicators.readers import reader_for

    source = sources["itu-datahub"]
    with pytest.raises(PermissionDenied):
        indicator_import(actor=reviewer, reader=reader_for("tidy", DATA / "tidy.csv", source=source), source=source,
                         edition_label="x")
    with pytest.raises(PermissionDenied):
        indicator_import_upload(actor=reviewer, upload=SimpleUploadedFile("tidy.csv", (DATA / "tidy.csv").read_bytes()),
                                format="tidy", source=source, edition_label="x")
    assert table_sizes() == (0, 0) and not ImportRun.objects.filter(kind__startswith="indicators:").exists()
    assert not any(media.rglob("*.csv"))
