"""The API's writes on pledges: a pledger drafts a pledge and submits it, through the same
services as the pledge pages (`services.pledge_create`, `services.pledge_submit`), so the same
permission checks and the same messages apply. References come as the codes the reads use
(initiative slug, entity id, ISO alpha-3, group and SDG codes) and are resolved here; an unknown
code is refused on its field, before the service sees anything.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from coalition.common.api import WRITE_ERRORS
from coalition.common.lookups import KEY_RANGE
from coalition.entities.models import Entity
from coalition.pledges import services
from coalition.pledges.models import Campaign, Pledge
from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    Currency,
    FrameworkNode,
    Initiative,
    SdgTarget,
    WsisActionLine,
)

router = Router(tags=["Pledging"])


class TargetIn(Schema):
    description: str
    unit: str
    target_value: Decimal
    baseline_value: Decimal | None = None
    target_date: datetime.date | None = None


class PartnerIn(Schema):
    entity: int
    role: str = ""


class PledgeIn(Schema):
    initiative: str
    lead_entity: int
    title: str
    description: str = ""
    pledge_type: str
    scope: str = "national"
    value_amount: Decimal | None = None
    value_currency: str | None = None
    value_year: int | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    campaign: str | None = None
    framework_nodes: list[str] = []
    beneficiary_countries: list[str] = []
    beneficiary_regions: list[str] = []
    beneficiary_groups: list[str] = []
    sdg_targets: list[str] = []
    wsis_lines: list[str] = []
    targets: list[TargetIn] = []
    partners: list[PartnerIn] = []


class PledgeState(Schema):
    id: int
    status: str
    version: int
    title: str
    edit_url: str


def _resolve(model, field: str, lookup: str, codes: list, errors: dict, **narrow) -> list:
    """The objects `codes` name (by `lookup`), in order; an unknown one is an error on `field`."""
    codes = [code for code in dict.fromkeys(codes)]
    # Only what a column could hold is asked for (no NUL, no id beyond the key's range): the rest is unknown.
    askable = [code for code in codes if (code in KEY_RANGE if isinstance(code, int) else "\x00" not in code and len(code) <= 100)]
    found = {getattr(o, lookup): o for o in model.objects.filter(**{f"{lookup}__in": askable}, **narrow)}
    missing = [str(code) for code in codes if code not in found]
    if missing:
        errors[field] = [_("Unknown: %(codes)s.") % {"codes": ", ".join(missing[:10])}]
    return [found[code] for code in codes if code in found]


def _one(model, field: str, lookup: str, code, errors: dict):
    if code in (None, ""):
        return None
    found = _resolve(model, field, lookup, [code], errors)
    return found[0] if found else None


def _pledge_data(body: PledgeIn) -> dict:
    errors: dict[str, list[str]] = {}
    initiative = _one(Initiative, "initiative", "slug", body.initiative, errors)
    data = {
        "initiative": initiative,
        "lead_entity": _one(Entity, "lead_entity", "pk", body.lead_entity, errors),
        "title": body.title, "description": body.description, "pledge_type": body.pledge_type, "scope": body.scope,
        "value_amount": body.value_amount, "value_currency": _one(Currency, "value_currency", "code", body.value_currency, errors),
        "value_year": body.value_year, "start_date": body.start_date, "end_date": body.end_date,
        "campaign": _one(Campaign, "campaign", "slug", body.campaign, errors),
        "framework_nodes": _resolve(FrameworkNode, "framework_nodes", "code", body.framework_nodes, errors,
                                    initiative=initiative) if initiative else [],
        "beneficiary_countries": _resolve(Country, "beneficiary_countries", "iso3", body.beneficiary_countries, errors),
        "beneficiary_regions": _resolve(CountryGroup, "beneficiary_regions", "code", body.beneficiary_regions, errors),
        "beneficiary_groups": _resolve(BeneficiaryGroup, "beneficiary_groups", "code", body.beneficiary_groups, errors),
        "sdg_targets": _resolve(SdgTarget, "sdg_targets", "code", body.sdg_targets, errors),
        "wsis_lines": _resolve(WsisActionLine, "wsis_lines", "code", body.wsis_lines, errors),
        "targets": [target.dict() for target in body.targets],
    }
    entities = _resolve(Entity, "partners", "pk", [p.entity for p in body.partners], errors)
    by_id = {e.pk: e for e in entities}
    data["partners"] = [{"entity": by_id[p.entity], "role": p.role} for p in body.partners if p.entity in by_id]
    if errors:
        raise ValidationError(errors)
    return data


def _state(request: HttpRequest, pledge: Pledge) -> dict:
    return {"id": pledge.pk, "status": pledge.status, "version": pledge.version, "title": pledge.title,
            "edit_url": request.build_absolute_uri(reverse("pledges:preview", args=[pledge.pk]))}


@router.post("/pledges/drafts/", response={201: PledgeState, **WRITE_ERRORS}, summary="Draft a pledge")
def pledge_draft(request: HttpRequest, body: PledgeIn):
    """A draft pledge for `lead_entity`, which the token's owner must act for (focal point of
    the entity, or administrator). A draft may be incomplete; what is there must be valid."""
    pledge = services.pledge_create(actor=request.user, data=_pledge_data(body))
    return Status(201, _state(request, pledge))


@router.post("/pledges/{int:pledge_id}/submit/", response={200: PledgeState, **WRITE_ERRORS},
             summary="Submit a draft pledge for review")
def pledge_submit(request: HttpRequest, pledge_id: int):
    """Send a draft (or a pledge returned for changes) to the secretariat. It must be complete:
    every missing part is named, as on the pledge's preview page."""
    pledge = get_object_or_404(Pledge, pk=pledge_id)
    pledge = services.pledge_submit(actor=request.user, pledge=pledge)
    return _state(request, pledge)
