"""The reports' pages: the public archive and downloads, the secretariat's build pages, and the
country profile on demand — wiring, permissions and one happy path each."""

import datetime

import pytest
from django.urls import reverse

from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401 (fixtures)
from coalition.reports import services
from coalition.reports.models import BuildStatus, ReportBuild

DAY = datetime.date(2025, 7, 1)


@pytest.fixture
def built(registry, reviewer):  # noqa: F811
    return services.report_request(actor=reviewer, kind="country-profile", language="en", as_of=DAY,
                                   params={"country": "NPL"})


@pytest.fixture
def published_report(built, reviewer):
    return services.report_publish(actor=reviewer, build=built)


def test_the_archive_lists_published_reports_with_sizes_and_checksums(client, published_report):
    response = client.get(reverse("reports:archive"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Country profile: Nepal" in html
    assert reverse("reports:pdf", args=[published_report.pk]) in html
    assert published_report.outputs.get(format="pdf").sha256 in html


def test_an_unpublished_build_is_nowhere_public(client, built):
    assert "Country profile: Nepal" not in client.get(reverse("reports:archive")).content.decode()
    for name in ("reports:report", "reports:pdf", "reports:json"):
        assert client.get(reverse(name, args=[built.pk])).status_code == 404


def test_a_published_report_reads_in_html_and_downloads(client, published_report):
    page = client.get(reverse("reports:report", args=[published_report.pk]))
    assert page.status_code == 200 and "Largest pledgers" in page.content.decode()
    pdf = client.get(reverse("reports:pdf", args=[published_report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    data = client.get(reverse("reports:json", args=[published_report.pk]))
    assert data["Content-Type"] == "application/json" and data.json()["kind"] == "country-profile"


def test_the_secretariat_downloads_a_build_before_publishing(client, built, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("reports:pdf", args=[built.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["pledger_a", "country_focal"])
def test_secretariat_pages_refuse_others(request, client, built, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("reports:new")).status_code == 403
    assert client.get(reverse("reports:build", args=[built.pk])).status_code == 403
    assert client.post(reverse("reports:publish", args=[built.pk])).status_code == 403
    assert client.post(reverse("reports:withdraw", args=[built.pk])).status_code == 403
    assert client.post(reverse("reports:new"), {"kind": "annual", "language": "en", "as_of": "2025-07-01"}).status_code == 403
    assert not ReportBuild.objects.get().is_published


def test_secretariat_pages_send_anonymous_visitors_to_sign_in(client, built):
    for url in (reverse("reports:new"), reverse("reports:build", args=[built.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.post(reverse("reports:publish", args=[built.pk])).status_code == 302
    assert not ReportBuild.objects.get().is_published


def test_a_reviewer_asks_for_a_profile_and_lands_on_its_build(client, registry, reviewer):  # noqa: F811
    client.force_login(reviewer)
    assert client.get(reverse("reports:new")).status_code == 200
    response = client.post(reverse("reports:new"), {"kind": "country-profile", "language": "fr", "as_of": "2025-07-01",
                                                    "country": "NPL"})
    build = ReportBuild.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:build", args=[build.pk])
    assert build.status == BuildStatus.DONE and build.params == {"country": "NPL"} and build.language == "fr"


@pytest.mark.parametrize(("posted", "message"), [
    ({"kind": "country-profile", "language": "en", "as_of": "2025-07-01"}, "Choose the country"),
    ({"kind": "country-profile", "language": "en", "as_of": "2025-07-01", "country": "ZZZ"}, "Select a valid choice"),
    ({"kind": "country-profile", "language": "en", "as_of": "not a date", "country": "NPL"}, "Enter a valid date"),
    ({"kind": "country-profile", "language": "en", "as_of": "2099-01-01", "country": "NPL"}, "up to today"),
])
def test_the_form_names_the_field_at_fault(client, registry, reviewer, posted, message):  # noqa: F811
    client.force_login(reviewer)
    response = client.post(reverse("reports:new"), posted)
    assert response.status_code == 400
    assert message in response.content.decode() and "field--error" in response.content.decode()
    assert not ReportBuild.objects.exists()


def test_the_build_page_shows_progress_then_preview_and_publishes(client, built, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("reports:build", args=[built.pk])).content.decode()
    assert "Publish" in page and "Preview" in page and "Largest pledgers" in page
    response = client.post(reverse("reports:publish", args=[built.pk]))
    assert response.status_code == 302
    assert ReportBuild.objects.get().is_published
    assert client.get(reverse("reports:publish", args=[built.pk])).status_code == 405


def test_a_running_build_refreshes_itself_and_htmx_reloads_when_done(client, registry, reviewer):  # noqa: F811
    client.force_login(reviewer)
    running = ReportBuild.objects.create(kind="annual", language="en", as_of=DAY, status=BuildStatus.RUNNING,
                                         progress_done=3, progress_total=10, progress_step="Country profiles")
    page = client.get(reverse("reports:build", args=[running.pk])).content.decode()
    assert '<progress id="build-progress-bar" max="10" value="3">' in page
    assert 'hx-trigger="every 2s"' in page and 'http-equiv="refresh"' in page and "Country profiles" in page
    ReportBuild.objects.filter(pk=running.pk).update(status=BuildStatus.DONE)
    finished = client.get(reverse("reports:build", args=[running.pk]), headers={"HX-Request": "true"})
    assert finished.status_code == 204 and finished["HX-Refresh"] == "true"


def test_the_country_profile_pdf_is_public(client, registry):  # noqa: F811
    response = client.get(reverse("reports:country_profile", args=["npl"]), {"as_of": "2025-07-01"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "country-profile-NPL-2025-07-01-en.pdf" in response["Content-Disposition"]


def test_the_country_profile_pdf_refuses_unknown_countries_and_bad_dates(client, registry):  # noqa: F811
    assert client.get(reverse("reports:country_profile", args=["ZZZ"])).status_code == 404
    response = client.get(reverse("reports:country_profile", args=["NPL"]), {"as_of": "yesterday"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.content.decode()


def test_an_address_gets_its_share_of_profiles_drawn_then_429_while_drawn_ones_are_still_served(
        client, registry, settings):  # noqa: F811
    settings.COALITION_PROFILE_PDFS_PER_CLIENT = 2
    address = reverse("reports:country_profile", args=["NPL"])
    for day in ("2025-07-01", "2025-08-01"):
        assert client.get(address, {"as_of": day}).status_code == 200
    refused = client.get(address, {"as_of": "2025-09-01"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many documents were drawn for your network" in refused.content.decode()
    assert client.get(address, {"as_of": "2025-07-01"}).status_code == 200  # in the cache: not drawn again
    other = client.get(address, {"as_of": "2025-09-01"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and other.content.startswith(b"%PDF")


def test_country_pages_link_to_their_profile_pdf(client, registry, catalogue):  # noqa: F811
    link = reverse("reports:country_profile", args=["NPL"]) + "?as_of=2025-07-01"
    assert link in client.get(reverse("explore:country", args=["NPL"]), {"as_of": "2025-07-01"}).content.decode()
    assert link in client.get(reverse("explore:profile", args=["NPL"]), {"as_of": "2025-07-01"}).content.decode()
