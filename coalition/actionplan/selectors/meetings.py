"""Reads of meetings: one meeting's page and the pledges announced under its campaign as of a date.
(The list of meetings is the calendar's, `selectors.calendar`, narrowed to meetings.)
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum

from coalition.actionplan.models import Meeting, MeetingDocument
from coalition.common.asof import AsOf
from coalition.common.intervals import current_at
from coalition.pledges.models import Campaign, Pledge, Status
from coalition.reference.models import Country


def meeting_for_page(*, slug: str) -> Meeting:
    """The meeting at `slug` with its plan, host country, campaign, documents in order and
    participating countries by name. Raises Meeting.DoesNotExist."""
    return (
        Meeting.objects.select_related("plan", "host_country", "campaign")
        .prefetch_related(
            Prefetch("documents", queryset=MeetingDocument.objects.order_by("order", "id")),
            Prefetch("countries", queryset=Country.objects.order_by("name_en")),
        )
        .get(slug=slug)
    )


def text_lines(text: str) -> list[str]:
    """An agenda's or decisions' items: one a line, blank lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class CampaignPledges:
    """The published pledges announced under a campaign at a moment: how many, their estimated value
    in US dollars (each pledge's whole value), how many state a value, and how many of those await
    an exchange rate (left out of the value)."""

    campaign: Campaign
    as_of: AsOf
    pledges: int
    value_usd: Decimal
    with_value: int
    awaiting_rate: int


def meeting_campaign_pledges(*, meeting: Meeting, as_of: AsOf) -> CampaignPledges | None:
    """The pledges of the meeting's campaign as the registry stood at `as_of` (the version of each
    pledge current then, published, not deleted), or None when the meeting has no campaign. One
    query."""
    if meeting.campaign_id is None:
        return None
    versions = (
        Pledge.history.model.objects.filter(current_at(as_of.moment))
        .exclude(history_type="-")
        .filter(status=Status.PUBLISHED, campaign_id=meeting.campaign_id)
    )
    figures = versions.aggregate(
        pledges=Count("history_id"),
        value=Sum("value_usd"),
        with_value=Count("history_id", filter=Q(value_amount__isnull=False)),
        awaiting=Count("history_id", filter=Q(value_amount__isnull=False, value_usd__isnull=True)),
    )
    return CampaignPledges(
        campaign=meeting.campaign, as_of=as_of, pledges=figures["pledges"], value_usd=figures["value"] or Decimal(0),
        with_value=figures["with_value"], awaiting_rate=figures["awaiting"],
    )
