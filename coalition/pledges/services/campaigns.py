"""Writes of campaigns: the events and pledge drives pledges are announced at, with their goals.

Only the secretariat (reviewers and administrators) creates and changes campaigns; the admin,
the secretariat's pages and the API call these services. Each runs in one transaction, checks
who is acting, validates every field (a `ValidationError` keyed by the field at fault, worded
for the user) and writes one dated version of the campaign (who, when, why), so a campaign
page as of a date shows the goal as it stood then.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition.accounts.roles import user_is_reviewer
from coalition.common.signals import registry_changed
from coalition.common.text import TEXT_LIMIT, length_check, line_clean, text_clean
from coalition.common.versions import save_with_version
from coalition.pledges.models import Campaign
from coalition.reference.models import Country, Initiative

# Every field a campaign's writers set, in the order forms show them.
CAMPAIGN_FIELDS = (
    "initiative", "name_en", "name_fr", "slug", "host", "start_date", "end_date", "location", "country", "url",
    "description", "description_fr", "goal_pledges", "goal_usd",
)

# The largest goal the column holds (20 digits, 2 after the point).
GOAL_USD_MAX = Decimal("999999999999999999.99")
CENT = Decimal("0.01")


def _secretariat_check(actor) -> None:
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat creates and changes campaigns."))


def _date(value, *, field: str, errors: dict) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = _("Write the date as YYYY-MM-DD, for example 2025-06-30.")
        return None


def _goal_pledges(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors["goal_pledges"] = _("Give the goal as a whole number of pledges.")
        return None
    if number <= 0:
        errors["goal_pledges"] = _("A goal in pledges is a number above zero; leave it empty for no goal.")
        return None
    if number > 2_147_483_647:
        errors["goal_pledges"] = _("This goal is too large.")
        return None
    return number


def _goal_usd(value, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors["goal_usd"] = _("Give the goal in US dollars as a number, for example 5000000.")
        return None
    if not amount.is_finite() or amount <= 0:
        errors["goal_usd"] = _("A goal in US dollars is an amount above zero; leave it empty for no goal.")
        return None
    amount = amount.quantize(CENT)
    if amount > GOAL_USD_MAX:
        errors["goal_usd"] = _("This goal is too large.")
        return None
    return amount


def _model(value, model, *, field: str, errors: dict, lookup: str, message: str):
    """A model instance from an instance, a primary key or a code (`lookup`); None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(**{lookup: value}).first()
    if found is None and str(value).isdigit():
        found = model.objects.filter(pk=int(value)).first()
    if found is None:
        errors[field] = message
    return found


def campaign_clean(data: Mapping[str, Any], *, campaign: Campaign | None = None) -> dict[str, Any]:
    """The campaign's fields (`CAMPAIGN_FIELDS`) normalised, or a ValidationError naming each field
    at fault. For a change, the fields `data` leaves out keep the campaign's values.

    A blank slug is made from the English name. Initiative and country may be given as objects,
    ids or codes (initiative slug, ISO alpha-3)."""
    current = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS} if campaign is not None else {}
    raw = {name: data[name] if name in data else current.get(name) for name in CAMPAIGN_FIELDS}
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name in ("name_en", "name_fr", "host", "location", "url"):
        clean[name] = line_clean(raw[name])
    for name in ("description", "description_fr"):
        clean[name] = text_clean(raw[name])
    clean["initiative"] = _model(raw["initiative"], Initiative, field="initiative", errors=errors, lookup="slug",
                                 message=_("No initiative has this name."))
    if clean["initiative"] is None and "initiative" not in errors:
        errors["initiative"] = _("Choose the initiative the campaign belongs to.")
    clean["country"] = _model(raw["country"], Country, field="country", errors=errors, lookup="iso3__iexact",
                              message=_("No country has this code."))
    if not clean["name_en"]:
        errors["name_en"] = _("Give the campaign's name in English.")
    for name, label in (("name_en", _("name in English")), ("name_fr", _("name in French")), ("host", _("host")),
                        ("location", _("location")), ("url", _("web address"))):
        length_check(errors, name, clean[name], limit=Campaign._meta.get_field(name).max_length, label=label)
    for name, label in (("description", _("description")), ("description_fr", _("description in French"))):
        length_check(errors, name, clean[name], limit=TEXT_LIMIT, label=label)
    if clean["url"] and "url" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(clean["url"])
        except ValidationError:
            errors["url"] = _("Give a full web address, starting with https://.")
    clean["slug"] = _slug(raw["slug"], name=clean["name_en"], campaign=campaign, errors=errors)
    clean["start_date"] = _date(raw["start_date"], field="start_date", errors=errors)
    clean["end_date"] = _date(raw["end_date"], field="end_date", errors=errors)
    if clean["start_date"] is None and "start_date" not in errors:
        errors["start_date"] = _("Give the day the campaign starts (or the event's first day).")
    if clean["start_date"] and clean["end_date"] and clean["end_date"] < clean["start_date"]:
        errors["end_date"] = _("The campaign cannot end before it starts.")
    clean["goal_pledges"] = _goal_pledges(raw["goal_pledges"], errors)
    clean["goal_usd"] = _goal_usd(raw["goal_usd"], errors)
    if campaign is not None and clean["initiative"] is not None and clean["initiative"].pk != campaign.initiative_id:
        if campaign.pledges.exclude(initiative=clean["initiative"]).exists():
            errors["initiative"] = _("Pledges of another initiative were announced at this campaign: it stays "
                                     "with their initiative.")
    if errors:
        raise ValidationError(errors)
    return clean


def _slug(value, *, name: str, campaign: Campaign | None, errors: dict) -> str:
    """The campaign's address: as given (lower case), or made from the name; unique."""
    slug = line_clean(value).lower() or slugify(name)[:50].strip("-")
    limit = Campaign._meta.get_field("slug").max_length
    if not slug:
        if "name_en" not in errors:
            errors["slug"] = _("Give the campaign's short address (letters, digits and hyphens).")
        return slug
    if len(slug) > limit:
        errors["slug"] = _("Keep the short address to %(limit)s characters at most.") % {"limit": limit}
        return slug
    try:
        validate_slug(slug)
    except ValidationError:
        errors["slug"] = _("Use only letters, digits, hyphens and underscores in the short address.")
        return slug
    taken = Campaign.objects.filter(slug=slug)
    if campaign is not None:
        taken = taken.exclude(pk=campaign.pk)
    if taken.exists():
        errors["slug"] = _("Another campaign already has the address “%(slug)s”.") % {"slug": slug}
    return slug


@transaction.atomic
def campaign_create(*, actor, data: Mapping[str, Any]) -> Campaign:
    """Create a campaign from `data` (the fields of `CAMPAIGN_FIELDS`); the secretariat only.

    Writes the campaign and its first version, signed by the actor."""
    _secretariat_check(actor)
    campaign = Campaign(**campaign_clean(data))
    save_with_version(campaign, actor=actor, reason="created", at=timezone.now())
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    """Change a campaign: the fields `data` gives replace the campaign's (the others stay); the
    secretariat only.

    Writes one version, only when something changed. A new slug renames the campaign in the
    stored daily figures, which are keyed by it, so they are all counted again."""
    _secretariat_check(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    clean = campaign_clean(data, campaign=campaign)
    changed = {name for name, value in clean.items() if getattr(campaign, name) != value}
    if not changed:
        return campaign
    for name in changed:
        setattr(campaign, name, clean[name])
    save_with_version(campaign, actor=actor, reason="edited", at=timezone.now())
    if "slug" in changed:
        registry_changed.send(sender=Campaign, since=None)
    return campaign
