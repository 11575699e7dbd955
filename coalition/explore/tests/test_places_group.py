"""The group and region pages: members on the date, the pledges naming the group or a member,
per-member figures; and the list of groups by kind."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse

from coalition.explore.tests.places_fixtures import groups, registry  # noqa: F401
from coalition.pledges.models import Pledge, Status


def test_a_region_counts_pledges_naming_it_or_a_member(client, registry, groups, countries):
    asia = groups["ITU-ASP"]

    response = client.get(reverse("explore:group", args=["ITU-ASP"]))

    assert response.status_code == 200
    records = Pledge.objects.filter(
        Q(beneficiary_regions=asia) | Q(beneficiary_countries__in=[countries["NPL"], countries["BTN"]]),
        status=Status.PUBLISHED,
    ).distinct()
    key = response.context["key"]
    assert key.pledges == records.count() == 2
    assert key.value_usd == Pledge.objects.filter(pk__in=records.values("pk")).aggregate(v=Sum("value_usd"))["v"]
    assert key.countries == 2
    assert {p.title for p in response.context["page"]} == {"Himalayan broadband", "Asia-Pacific digital skills"}


def test_each_member_of_the_date_has_its_row_and_link(client, registry):
    response = client.get(reverse("explore:group", args=["ITU-ASP"]))

    rows = [(row.country.iso3, row.pledges, row.value_usd) for row in response.context["members"]]
    assert rows == [("BTN", 1, Decimal("0")), ("NPL", 1, Decimal("300000.00"))]
    assert reverse("explore:country", args=["BTN"]) in response.text
    assert "Asia &amp; Pacific" in response.text and "ITU-D region" in response.text


def test_a_pledge_published_after_the_date_is_not_counted_then(client, registry):
    response = client.get(reverse("explore:group", args=["ITU-ASP"]), {"as_of": "2025-03-31"})

    assert response.context["key"].pledges == 1
    assert [p.title for p in response.context["page"]] == ["Himalayan broadband"]
    assert "31 March 2025" in response.text


def test_members_are_those_of_the_date(client, registry):
    then = client.get(reverse("explore:group", args=["LDC"]), {"as_of": "2024-12-31"})
    today = client.get(reverse("explore:group", args=["LDC"]))

    assert [row.country.iso3 for row in then.context["members"]] == ["KEN", "NPL"]
    assert [row.country.iso3 for row in today.context["members"]] == ["NPL"]
    assert then.context["key"].pledges == 2 and today.context["key"].pledges == 1


def test_parent_and_children_link_to_their_pages(client, registry):
    parent = client.get(reverse("explore:group", args=["M49-142"]))
    child = client.get(reverse("explore:group", args=["M49-034"]))

    assert reverse("explore:group", args=["M49-034"]) in parent.text
    assert reverse("explore:group", args=["M49-142"]) in child.text


def test_the_explorer_link_uses_region_for_regions_and_group_for_other_groups(client, registry):
    region = client.get(reverse("explore:group", args=["ITU-ASP"]))
    group = client.get(reverse("explore:group", args=["LDC"]))

    assert reverse("explore:explorer") + "?region=ITU-ASP" in region.text
    assert reverse("explore:explorer") + "?group=LDC" in group.text


def test_the_group_list_shows_every_group_by_kind_with_members_and_pledges(client, registry):
    response = client.get(reverse("explore:groups"))

    rows = {row.group.code: (row.members, row.pledges) for _kind, group_rows in response.context["kinds"] for row in group_rows}
    assert rows == {"ITU-AFR": (1, 0), "ITU-ASP": (2, 2), "LDC": (1, 1), "M49-142": (2, 2), "M49-034": (2, 2)}
    assert [kind for kind, _rows in response.context["kinds"]][:2] == ["Development status", "ITU-D regions"]


def test_the_group_list_on_an_earlier_date(client, registry):
    response = client.get(reverse("explore:groups"), {"as_of": "2024-12-31"})

    rows = {row.group.code: (row.members, row.pledges) for _kind, group_rows in response.context["kinds"] for row in group_rows}
    assert rows["LDC"] == (2, 2) and rows["ITU-AFR"] == (1, 1) and rows["ITU-ASP"] == (2, 1)


def test_the_group_name_reads_in_french(client, registry):
    response = client.get("/fr" + reverse("explore:group", args=["LDC"]))

    assert "Pays les moins avancés" in response.text and "Népal" in response.text
