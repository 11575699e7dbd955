"""The entity page: public registry data, its pledges as lead and partner, its reporting record;
never its focal points."""

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from coalition.entities.models import Entity, FocalPoint
from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401
from coalition.pledges.models import Pledge, Status


def test_an_entity_page_splits_its_pledges_into_led_and_partnered(client, registry, entity_a):
    response = client.get(reverse("explore:entity", args=[entity_a.pk]))

    assert response.status_code == 200
    totals = response.context["totals"]
    led = Pledge.objects.filter(status=Status.PUBLISHED, lead_entity=entity_a)
    assert totals.lead.pledges == led.count() == 1  # Kenya's was withdrawn
    assert totals.lead.value_usd == Decimal(led.aggregate(v=Sum("value_usd"))["v"] or 0)
    assert (totals.partner.pledges, totals.partner.value_usd) == (1, Decimal("300000.00"))
    titles = [p.title for p in response.context["page"]]
    assert titles == ["Asia-Pacific digital skills", "Himalayan broadband"]
    assert "Lead" in response.text and "Partner" in response.text
    assert reverse("explore:country", args=["KEN"]) in response.text  # home country


def test_before_a_pledge_was_published_it_is_not_counted(client, registry, entity_a):
    response = client.get(reverse("explore:entity", args=[entity_a.pk]), {"as_of": "2024-04-30"})

    totals = response.context["totals"]
    assert (totals.lead.pledges, totals.partner.pledges) == (1, 0)
    assert totals.lead.value_usd == Decimal("1053000.00")
    assert [p.title for p in response.context["page"]] == ["Kenya schools online"]


def test_the_reporting_record_counts_its_published_lead_pledges_by_status(client, registry, entity_b):
    response = client.get(reverse("explore:entity", args=[entity_b.pk]))

    record = response.context["record"]
    assert record.pledges == Pledge.objects.filter(status=Status.PUBLISHED, lead_entity=entity_b).count() == 1
    assert sum(count for _v, _l, count in record.by_status) == 1
    assert record.accepted_reports == 1
    assert "1 accepted progress report on these pledges." in response.text


def test_an_entity_without_a_published_pledge_still_has_a_page_that_says_so(client, db):
    entity = Entity.objects.create(name="Quiet Foundation", acronym="QF", entity_type=Entity.Type.CIVIL_SOCIETY)

    response = client.get(reverse("explore:entity", args=[entity.pk]))

    assert response.status_code == 200
    assert "Quiet Foundation" in response.text
    assert "has no published pledge" in response.text


def test_the_page_never_shows_focal_points(client, registry, entity_a, pledger_a):
    focal = FocalPoint.objects.get(user=pledger_a)

    response = client.get(reverse("explore:entity", args=[entity_a.pk]))

    assert response.status_code == 200
    assert "Ministry of ICT, Kenya" in response.text and "Himalayan broadband" in response.text
    assert focal.email not in response.text and focal.name not in response.text
