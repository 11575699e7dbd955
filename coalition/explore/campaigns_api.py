"""The API's campaigns: reads as of a date (public, like every read) and the secretariat's writes.

Reads answer `as_of` like the registry's (`explore.api`): the figures are the tallies of that
day, the goal the one recorded then. Writes need a token with the write scope, and call the
same services as the admin and the secretariat's pages (`pledges.services.campaigns`), which
refuse anyone but the secretariat; references come as codes (initiative slug, ISO alpha-3).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status

from coalition.accounts.models import ApiToken
from coalition.common.api import READ_ERRORS, WRITE_ERRORS, as_of_read, conditional
from coalition.explore import campaigns as selectors
from coalition.explore.daily import registry_stamp, tallies_for
from coalition.explore.tallies import Scope
from coalition.pledges.models import Campaign
from coalition.pledges.services.campaigns import campaign_create, campaign_update

router = Router(tags=["Campaigns"])


class GoalOut(Schema):
    pledges: int | None
    value_usd: Decimal | None


class CampaignOut(Schema):
    slug: str
    url: str
    name: str
    name_en: str
    name_fr: str
    host: str
    initiative: str
    start_date: datetime.date
    end_date: datetime.date | None
    location: str
    country: str | None
    website: str
    goal: GoalOut
    pledges: int
    value_usd: Decimal
    share_of_goal_pledges: Decimal | None
    share_of_goal_value: Decimal | None


class CampaignList(Schema):
    as_of: datetime.date
    results: list[CampaignOut]


class MonthOut(Schema):
    month: str
    published: int
    cumulative_pledges: int
    cumulative_value_usd: Decimal


class CampaignDetail(CampaignOut):
    as_of: datetime.date
    description: str
    description_fr: str
    months: list[MonthOut]


def _share(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"))


def _row(request: HttpRequest, campaign: Campaign, progress: selectors.Progress) -> dict:
    return {
        "slug": campaign.slug, "url": request.build_absolute_uri(reverse("explore:campaign", args=[campaign.slug])),
        "name": campaign.name, "name_en": campaign.name_en, "name_fr": campaign.name_fr, "host": campaign.host,
        "initiative": campaign.initiative.slug, "start_date": campaign.start_date, "end_date": campaign.end_date,
        "location": campaign.location, "country": campaign.country.iso3 if campaign.country else None,
        "website": campaign.url,
        "goal": {"pledges": progress.goal.pledges, "value_usd": progress.goal.value_usd},
        "pledges": progress.pledges, "value_usd": progress.value_usd,
        "share_of_goal_pledges": _share(progress.share_pledges), "share_of_goal_value": _share(progress.share_value),
    }


@router.get("/campaigns/", response={200: CampaignList, **READ_ERRORS}, summary="Campaigns and what was announced there")
def campaign_list(request: HttpRequest, response: HttpResponse, as_of: str = ""):
    """Every campaign, latest first, with its published pledges and their value at the end of the
    as-of day and its goal then (shares of the goal as fractions). One page: campaigns are few."""
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    rows = selectors.campaign_rows(tallies=tallies_for(moment))
    return {"as_of": moment.date, "results": [_row(request, row.campaign, row.progress) for row in rows]}


def _detail(request: HttpRequest, campaign: Campaign, moment) -> dict:
    tallies = tallies_for(moment, Scope(campaign=campaign))
    progress = selectors.campaign_progress(campaign=campaign, tallies=tallies)
    months = selectors.progress_by_month(tallies=tallies, goal=progress.goal)
    return {
        **_row(request, campaign, progress), "as_of": moment.date,
        "description": campaign.description, "description_fr": campaign.description_fr,
        "months": [{"month": row.month.month.strftime("%Y-%m"), "published": row.month.published,
                    "cumulative_pledges": row.month.cumulative_pledges,
                    "cumulative_value_usd": row.month.cumulative_value_usd} for row in months],
    }


def _campaign(slug: str) -> Campaign:
    try:
        return selectors.campaign_for_page(slug)
    except Campaign.DoesNotExist:
        raise Http404 from None


@router.get("/campaigns/{slug}/", response={200: CampaignDetail, **READ_ERRORS}, summary="One campaign")
def campaign_detail(request: HttpRequest, response: HttpResponse, slug: str, as_of: str = ""):
    """A campaign with its figures at the end of the as-of day, against its goal then, and its
    pledges by month of first publication (running totals)."""
    moment = as_of_read(as_of)
    conditional(request, response, stamp=registry_stamp())
    return _detail(request, _campaign(slug), moment)


class CampaignIn(Schema):
    """A new campaign. `initiative` is a slug, `country` an ISO alpha-3 code; a blank slug is made
    from the English name."""

    initiative: str
    name_en: str
    name_fr: str = ""
    slug: str = ""
    host: str = ""
    start_date: datetime.date
    end_date: datetime.date | None = None
    location: str = ""
    country: str | None = None
    url: str = ""
    description: str = ""
    description_fr: str = ""
    goal_pledges: int | None = None
    goal_usd: Decimal | None = None


class CampaignPatch(Schema):
    """The fields to change; those left out keep their values (send null to empty a goal)."""

    initiative: str | None = None
    name_en: str | None = None
    name_fr: str | None = None
    slug: str | None = None
    host: str | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    location: str | None = None
    country: str | None = None
    url: str | None = None
    description: str | None = None
    description_fr: str | None = None
    goal_pledges: int | None = None
    goal_usd: Decimal | None = None


def _writer(request: HttpRequest):
    """The owner of the request's token, which must carry the write scope: reads take no token,
    so this router's writes check it themselves (the services then check the person)."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise AuthenticationError()
    if token.scope != ApiToken.Scope.WRITE:
        raise PermissionDenied(_("This token may only read. Create a token with the write scope on your account page."))
    return token.user


@router.post("/campaigns/", response={201: CampaignDetail, **WRITE_ERRORS}, summary="Record a campaign (secretariat)")
def campaign_new(request: HttpRequest, body: CampaignIn):
    campaign = campaign_create(actor=_writer(request), data=body.dict())
    return Status(201, _detail(request, selectors.campaign_for_page(campaign.slug), as_of_read("")))


@router.patch("/campaigns/{slug}/", response={200: CampaignDetail, **WRITE_ERRORS}, summary="Change a campaign (secretariat)")
def campaign_change(request: HttpRequest, slug: str, body: CampaignPatch):
    actor = _writer(request)
    campaign = campaign_update(actor=actor, campaign=_campaign(slug), data=body.dict(exclude_unset=True))
    return _detail(request, selectors.campaign_for_page(campaign.slug), as_of_read(""))
