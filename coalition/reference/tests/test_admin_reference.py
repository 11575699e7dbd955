import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from coalition.reference.importing import run_import
from coalition.reference.loaders.itu_regions import ItuRegionLoader
from coalition.reference.models import CountryGroup, ImportRun

MODELS = list(apps.get_app_config("reference").get_models())


def test_every_reference_model_is_in_the_admin():
    assert [m.__name__ for m in MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_an_administrator_can_list_and_search_each_model(client, administrator, reference, model):
    client.force_login(administrator)
    url = reverse(f"admin:reference_{model._meta.model_name}_changelist")

    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "ken"}).status_code == 200


def test_a_group_page_shows_its_dated_memberships(client, administrator, reference):
    client.force_login(administrator)
    ldc = CountryGroup.objects.get(code="LDC")

    page = client.get(reverse("admin:reference_countrygroup_change", args=[ldc.pk])).content.decode()

    assert "Vanuatu" in page and "2020-12-04" in page


def test_an_import_run_shows_its_errors_and_cannot_be_edited(client, administrator, reference, tmp_path):
    bad = tmp_path / "itu-regions.csv"
    bad.write_text("iso3,itu_region_code,itu_member_state,note\nQQQ,AFR,yes,\n")
    run = run_import(loader=ItuRegionLoader(bad))
    client.force_login(administrator)

    page = client.get(reverse("admin:reference_importrun_change", args=[run.pk])).content.decode()

    assert run.status == ImportRun.Status.FAILED
    assert "Unknown ISO3 code" in page and "QQQ" in page
    assert 'name="_save"' not in page
    assert client.get(reverse("admin:reference_importrun_add")).status_code == 403


def test_reviewers_read_reference_data_but_cannot_change_it(client, reviewer, reference):
    client.force_login(reviewer)
    ldc = CountryGroup.objects.get(code="LDC")

    listing = client.get(reverse("admin:reference_countrygroup_changelist"))
    change = client.post(reverse("admin:reference_countrygroup_change", args=[ldc.pk]), {"name_en": "Renamed"})

    assert listing.status_code == 200
    assert change.status_code == 403
    ldc.refresh_from_db()
    assert ldc.name_en != "Renamed"


@pytest.mark.parametrize("persona", ["anonymous", "pledger_a", "member_state_focal"])
def test_people_outside_the_secretariat_do_not_reach_the_reference_admin(client, persona, request):
    user = request.getfixturevalue(persona)
    if user.is_authenticated:
        client.force_login(user)

    response = client.get(reverse("admin:reference_countrygroup_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
