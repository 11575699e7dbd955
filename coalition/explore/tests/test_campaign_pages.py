"""The public campaign pages: the list and one campaign's page, as of any date."""

import datetime
from decimal import Decimal

from django.urls import reverse

from coalition.common.asof import as_of_date, as_of_now
from coalition.explore import charts, figures
from coalition.explore.daily import tallies_for
from coalition.explore.tests.campaign_fixtures import drive, drive_pledges  # noqa: F401
from coalition.pledges.services.campaigns import campaign_update


def _row(response, campaign):
    return next(row for row in response.context["rows"] if row.campaign == campaign)


def test_the_list_shows_each_campaign_with_what_was_announced_and_its_goal(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaigns"))

    assert response.status_code == 200
    progress = _row(response, drive).progress
    assert (progress.pledges, progress.value_usd) == (2, Decimal("1353000.00"))
    assert (progress.goal.pledges, progress.goal.value_usd) == (10, Decimal("2000000.00"))
    assert progress.share_pledges == Decimal("0.2")
    assert "LDC5 connectivity drive" in response.text and "Fifth UN Conference on the LDCs, Doha" in response.text
    assert reverse("explore:campaign", args=[drive.slug]) in response.text


def test_the_list_as_of_a_date_counts_only_what_was_published_then_against_the_goal_then(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaigns"), {"as_of": "2024-04-30"})

    progress = _row(response, drive).progress
    assert (progress.pledges, progress.value_usd) == (1, Decimal("1053000.00"))
    assert progress.goal.pledges == 4  # raised to 10 only in 2025
    assert progress.share_pledges == Decimal("0.25")
    assert f"{reverse('explore:campaign', args=[drive.slug])}?as_of=2024-04-30" in response.text


def test_a_campaign_page_shows_its_figures_goal_and_pledges(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaign", args=[drive.slug]))

    assert response.status_code == 200
    assert response.context["key"].pledges == 2
    assert response.context["progress"].share_value == Decimal("1353000") / Decimal("2000000")
    assert [p.title for p in response.context["page"]] == ["Himalayan broadband", "Kenya schools online"]
    assert "Digital skills" not in response.text  # announced at no campaign
    for text in ("Fifth UN Conference on the LDCs, Doha", "Pledges for the least developed countries.",
                 "Progress against the goal", "20.0%"):
        assert text in response.text


def test_each_pledge_shows_its_delivery_from_its_accepted_report(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaign", args=[drive.slug]))

    delivered = {p.title: p.delivered for p in response.context["page"]}
    nepal = delivered["Himalayan broadband"]
    assert nepal.delivery.disbursed_usd == Decimal("90000.00")
    assert nepal.delivery.share_delivered == Decimal("0.3")
    assert nepal.share_of_value == Decimal("0.3")
    assert delivered["Kenya schools online"].delivery is None
    assert "no accepted report" in response.text


def test_before_the_report_was_accepted_the_pledge_shows_no_delivery(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaign", args=[drive.slug]), {"as_of": "2024-06-30"})

    assert all(p.delivered.delivery is None for p in response.context["page"])


def test_a_pledge_published_after_the_date_is_not_counted(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaign", args=[drive.slug]), {"as_of": "2024-04-30"})

    assert response.context["key"].pledges == 1
    assert [p.title for p in response.context["page"]] == ["Kenya schools online"]
    assert response.context["progress"].goal.pledges == 4
    assert "Himalayan broadband" not in response.text
    assert "30 April 2024" in response.text  # every figure says its date


def test_progress_by_month_runs_to_the_date_against_the_goal(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaign", args=[drive.slug]), {"as_of": "2024-06-30"})

    months = response.context["months"]
    assert [(m.month.month.isoformat(), m.month.cumulative_pledges) for m in months] == [
        ("2024-03-01", 1), ("2024-04-01", 1), ("2024-05-01", 2), ("2024-06-01", 2)]
    assert months[-1].share_pledges == Decimal("0.5")
    assert set(response.context["drawings"]) == {"progress-pledges", "progress-value"}
    assert "<svg" in response.text  # drawn on the server: read without JavaScript


def test_before_anything_was_published_the_page_says_so(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaign", args=[drive.slug]), {"as_of": "2024-02-01"})

    assert response.status_code == 200
    assert response.context["months"] == [] and response.context["drawings"] == {}
    assert "Nothing announced at this campaign was published by 1 February 2024." in response.text


def test_a_campaign_without_a_goal_says_it_set_none(client, drive, reviewer):
    campaign_update(actor=reviewer, campaign=drive, data={"goal_pledges": None, "goal_usd": None})

    response = client.get(reverse("explore:campaign", args=[drive.slug]))

    assert response.status_code == 200 and "This campaign set no goal" in response.text


def test_a_bad_date_shows_today_with_a_400(client, drive):
    response = client.get(reverse("explore:campaign", args=[drive.slug]), {"as_of": "yesterday"})

    assert response.status_code == 400 and "is not a date" in response.text
    assert response.context["as_of"].is_today


def test_an_unknown_campaign_is_a_404(client, db):
    assert client.get(reverse("explore:campaign", args=["nowhere"])).status_code == 404


def test_the_page_reads_in_french(client, drive_pledges, drive):
    response = client.get("/fr" + reverse("explore:campaign", args=[drive.slug]))

    assert response.status_code == 200
    assert "Campagne de connectivité PMA5" in response.text
    assert "Des engagements pour les pays les moins avancés." in response.text


def test_the_pages_are_light(client, drive_pledges, drive):
    for url in (reverse("explore:campaigns"), reverse("explore:campaign", args=[drive.slug])):
        assert len(client.get(url).content) < 300_000


def test_the_growth_charts_campaign_markers_link_to_the_campaign_page_as_of_the_same_date(
    drive_pledges, drive, reviewer, settings,
):
    settings.COALITION_SITE_URL = "http://coalition.example.org"
    # The chart marks the campaigns that open within its months (from the first publication on).
    campaign_update(actor=reviewer, campaign=drive, data={"start_date": datetime.date(2024, 3, 15), "end_date": None})

    _months, events = figures.growth_by_month(tallies_for(as_of_date(datetime.date(2025, 6, 30))))
    spec = charts.growth_chart(*figures.growth_by_month(tallies_for(as_of_now())))

    assert [event.url for event in events] == [f"/campaigns/{drive.slug}/?as_of=2025-06-30"]
    markers = spec["layer"][1]
    assert markers["encoding"]["href"] == {"field": "url", "type": "nominal"}
    assert markers["data"]["values"][0]["url"] == f"http://coalition.example.org/campaigns/{drive.slug}/"


def test_before_the_campaign_was_recorded_its_first_recorded_goal_is_shown(client, drive_pledges, drive):
    response = client.get(reverse("explore:campaigns"), {"as_of": "2023-12-01"})

    assert _row(response, drive).progress.goal.pledges == 4
