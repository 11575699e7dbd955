"""A clone with no data folder and no network: the classifications Coalition ships, its indicator
snapshot and a small generated demo bring up every public page, with content."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from coalition.indicators.models import Observation
from coalition.pledges.models import Pledge, Status
from coalition.reference.models import CountryGroupMembership


@pytest.fixture
def demo_without_data(db, settings, tmp_path):
    settings.COALITION_DATA_DIR = ""
    settings.COALITION_DOWNLOAD_DIR = tmp_path / "downloads"  # nothing fetched
    settings.COALITION_OPENDATA_DIR = tmp_path / "opendata"
    out = StringIO()
    call_command("reference", "load", "--strict", stdout=out)
    call_command("indicators", "load", "--strict", stdout=out)
    call_command("demo", "generate", "--pledges", "30", "--seed", "5", stdout=out)
    return out.getvalue()


PAGES = [
    ("explore:home", {}, "pledge"),
    ("explore:dashboard", {}, "as of"),
    ("explore:explorer", {}, "pledges"),
    ("explore:profile", {"iso3": "KEN"}, "Individuals using the Internet"),
    ("explore:gap", {}, "Kenya"),
    ("explore:group", {"code": "ITU-AFR"}, "Kenya"),
]


def test_the_demo_loads_from_what_coalition_ships_and_its_pledges_carry_sdg_targets_and_wsis_lines(demo_without_data):
    assert "(from Coalition's own table)" in demo_without_data
    assert "from the snapshot" in demo_without_data
    assert "(from data folder" not in demo_without_data
    assert Observation.objects.filter(indicator__code="internet-use", source__code="itu-datahub").count() > 4000
    assert CountryGroupMembership.objects.filter(group__code="ITU-AFR").count() == 44
    published = Pledge.objects.filter(status=Status.PUBLISHED)
    assert published.exists()
    assert published.filter(sdg_targets__isnull=False).distinct().count() == published.count()
    assert published.filter(wsis_lines__isnull=False).exists()


def test_every_public_page_answers_with_content_and_the_profile_names_the_snapshots_edition(demo_without_data, client):
    for name, kwargs, expected in PAGES:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        assert expected.lower() in response.content.decode().lower(), name
    profile = client.get(reverse("explore:profile", kwargs={"iso3": "KEN"})).content.decode()
    assert "ITU DataHub" in profile and "2025-12" in profile
    assert "Insufficient data" not in profile.split("Individuals using the Internet")[1][:400]
