"""Reads for the public campaign pages and the campaigns API: each campaign with its goal as it
stood on a date, what was announced there by then, progress against the goal month by month,
and the delivery of each pledge announced there.

Figures come from the tallies (`daily.tallies_for`): the whole registry's "campaign" tallies for
the list, `Scope(campaign=...)` for one campaign. The goal is read from the campaign's version
current at the date (`Campaign.history`), so a page as of an earlier day shows the goal it was
measured against then; a campaign recorded after that day shows its first recorded goal.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import QuerySet

from coalition.common.asof import AsOf
from coalition.explore.figures import Month, cumulative_by_month, share_of
from coalition.explore.registry import report_versions
from coalition.explore.tallies import Tallies, Tally
from coalition.pledges.models import Campaign
from coalition.reporting.models import LATEST_FIRST, ReportStatus


@dataclass(frozen=True)
class Goal:
    """What a campaign aims to gather: a number of pledges and/or an estimated value (either may
    be None)."""

    pledges: int | None = None
    value_usd: Decimal | None = None

    def __bool__(self) -> bool:
        return self.pledges is not None or self.value_usd is not None


@dataclass(frozen=True)
class Progress:
    """A campaign's published pledges and their value at a date, against its goal then."""

    goal: Goal
    pledges: int
    value_usd: Decimal

    @property
    def share_pledges(self) -> Decimal | None:
        """The pledges published as a fraction of the goal (may pass 1); None without a goal."""
        return share_of(self.pledges, self.goal.pledges)

    @property
    def share_value(self) -> Decimal | None:
        return share_of(self.value_usd, self.goal.value_usd)


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    progress: Progress


def campaigns_listed() -> QuerySet[Campaign]:
    """Every campaign, latest first, with its initiative and country."""
    return Campaign.objects.select_related("initiative", "country").order_by("-start_date", "name_en")


def campaign_for_page(slug: str) -> Campaign:
    """The campaign with this slug, with its initiative and country. Raises Campaign.DoesNotExist."""
    return Campaign.objects.select_related("initiative", "country").get(slug=slug)


def goals_as_of(campaigns: list[Campaign], as_of: AsOf) -> dict[int, Goal]:
    """{campaign id: its goal at `as_of`}: today the campaign's own; for an earlier day, its
    version current then, else (recorded later) its first version. One query for a past day."""
    goals = {c.pk: Goal(c.goal_pledges, c.goal_usd) for c in campaigns}
    if as_of.is_today or not campaigns:
        return goals
    versions = Campaign.history.model.objects.filter(id__in=list(goals)).exclude(history_type="-")
    first: dict[int, Goal] = {}
    current: dict[int, Goal] = {}
    for pk, pledges, usd, moment, valid_to in versions.order_by("history_date", "history_id").values_list(
        "id", "goal_pledges", "goal_usd", "history_date", "valid_to"
    ):
        first.setdefault(pk, Goal(pledges, usd))
        if moment <= as_of.moment and (valid_to is None or valid_to > as_of.moment):
            current[pk] = Goal(pledges, usd)
    return {pk: current[pk] if pk in current else first.get(pk, goal) for pk, goal in goals.items()}


def campaign_rows(*, tallies: Tallies) -> list[CampaignRow]:
    """Every campaign with its published pledges and their value at the tallies' date (their
    "campaign" tallies: `tallies` must be the whole registry's) and its goal then. Two queries
    beyond the tallies."""
    campaigns = list(campaigns_listed())
    goals = goals_as_of(campaigns, tallies.as_of)
    counted = tallies.of("campaign")
    rows = []
    for campaign in campaigns:
        tally = counted.get(campaign.slug, Tally())
        rows.append(CampaignRow(campaign, Progress(goals[campaign.pk], tally.pledges, tally.value_usd)))
    return rows


def campaign_progress(*, campaign: Campaign, tallies: Tallies) -> Progress:
    """One campaign's figures at the date of its own tallies (`Scope(campaign=campaign)`)."""
    everything = tallies.get("all")
    return Progress(goals_as_of([campaign], tallies.as_of)[campaign.pk], everything.pledges, everything.value_usd)


@dataclass(frozen=True)
class ProgressMonth:
    """One month of a campaign: what was published that month, the running totals, and those
    totals as a share of the goal."""

    month: Month
    share_pledges: Decimal | None
    share_value: Decimal | None


def progress_by_month(*, tallies: Tallies, goal: Goal) -> list[ProgressMonth]:
    """The campaign's pledges by month of first publication (its tallies' "month" counts), up to
    the tallies' date, with the running totals against `goal`. Reads nothing."""
    return [
        ProgressMonth(month, share_of(month.cumulative_pledges, goal.pledges),
                      share_of(month.cumulative_value_usd, goal.value_usd))
        for month in cumulative_by_month(tallies)
    ]


@dataclass(frozen=True)
class Delivery:
    """What a pledge's current accepted report said at a date: money disbursed (US dollars) and
    the share delivered (a fraction, 0 to 1), either of which it may leave out."""

    period_end: datetime.date
    disbursed_usd: Decimal | None
    share_delivered: Decimal | None


def deliveries_as_of(pledge_ids: list[int], as_of: AsOf) -> dict[int, Delivery]:
    """{pledge id: delivery} from each pledge's current accepted report at `as_of` (the accepted
    report versions current then, latest first by `LATEST_FIRST`); pledges without one are left
    out. One query for a page of pledges."""
    if not pledge_ids:
        return {}
    reports = (
        report_versions(as_of).filter(pledge_id__in=pledge_ids, status=ReportStatus.ACCEPTED)
        .order_by("pledge_id", *LATEST_FIRST)
        .values_list("pledge_id", "period_end", "disbursed_usd", "share_delivered")
    )
    found: dict[int, Delivery] = {}
    for pledge_id, period_end, disbursed, share in reports:
        if pledge_id not in found:
            found[pledge_id] = Delivery(period_end, disbursed, None if share is None else share / 100)
    return found


@dataclass(frozen=True)
class PledgeDelivery:
    """A pledge on a campaign page with its delivery at the page's date (None: no accepted
    report yet) and the money disbursed as a share of its estimated value."""

    delivery: Delivery | None
    share_of_value: Decimal | None


def page_deliveries(page: Page, as_of: AsOf) -> Page:
    """Give each pledge of `page` (from `places.pledge_page`) its `delivered` (PledgeDelivery)
    at `as_of`. One query."""
    rows = list(page.object_list)
    found = deliveries_as_of([row.id for row in rows], as_of)
    for row in rows:
        delivery = found.get(row.id)
        disbursed = delivery.disbursed_usd if delivery else None
        row.delivered = PledgeDelivery(delivery, share_of(disbursed, row.value_usd) if disbursed is not None else None)
    page.object_list = rows
    return page
