"""The API's progress roll-ups: the share delivered and the target attainment of the published
pledges, over the registry or one part of it, and for every framework node, as of a date.

The same selectors as the pages (`explore.progress`, cached until the registry changes), so an
answer equals the figures shown; docs/progress.md gives the rules. Public reads; references
come as codes (ISO alpha-3, group code, entity id, campaign slug, "initiative-slug:node-code").
"""

import datetime
from decimal import Decimal
from enum import Enum

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from coalition.common.api import READ_ERRORS, as_of_read, conditional
from coalition.entities.models import Entity
from coalition.explore.daily import registry_stamp
from coalition.explore.progress import WEIGHTINGS, Rollup, progress_by_node_cached, progress_rollup_cached
from coalition.explore.tallies import Scope
from coalition.pledges.models import Campaign
from coalition.reference.models import Country, CountryGroup, FrameworkNode, Initiative

router = Router(tags=["Progress"])

Weighting = Enum("Weighting", {code: code for code in WEIGHTINGS}, type=str)
AS_OF = "The end of this day, YYYY-MM-DD (blank: now)."
WEIGHTING = ("usd: each pledge weighs its estimated value in US dollars (the share of the money pledged); "
             "equal: each pledge counts once.")


class RollupOut(Schema):
    """Fractions are 0–1 to four decimals; null when no pledge weighs in that mean."""

    as_of: datetime.date
    weighting: str
    weighting_label: str
    weighting_explanation: str
    pledges: int
    without_report: int
    reported: int
    share_delivered: Decimal | None
    share_pledges: int
    without_share: int
    attainment: Decimal | None
    attainment_pledges: int
    without_attainment: int
    weight_usd: Decimal
    share_weight_usd: Decimal
    attainment_weight_usd: Decimal
    unweighted: int
    notes: list[str]


class ProgressOut(RollupOut):
    scope: str | None
    node: str | None


class NodeRollupOut(RollupOut):
    node: str
    initiative: str
    code: str
    name: str
    level: str
    parent: str | None
    depth: int


class NodeList(Schema):
    as_of: datetime.date
    weighting: str
    results: list[NodeRollupOut]


def rollup_fields(rollup: Rollup) -> dict:
    """A Rollup as the API answers it (the figures, the weighting named and explained, the notes)."""
    return {
        "as_of": rollup.as_of.date, "weighting": rollup.weighting, "weighting_label": str(rollup.weighting_label),
        "weighting_explanation": str(rollup.weighting_explanation), "pledges": rollup.pledges,
        "without_report": rollup.without_report, "reported": rollup.reported,
        "share_delivered": rollup.share_delivered, "share_pledges": rollup.share_pledges,
        "without_share": rollup.without_share, "attainment": rollup.attainment,
        "attainment_pledges": rollup.attainment_pledges, "without_attainment": rollup.without_attainment,
        "weight_usd": rollup.weight_usd, "share_weight_usd": rollup.share_weight_usd,
        "attainment_weight_usd": rollup.attainment_weight_usd, "unweighted": rollup.unweighted,
        "notes": [str(note) for note in rollup.notes],
    }


def node_key(node: FrameworkNode) -> str:
    return f"{node.initiative.slug}:{node.code}"


def _unknown(field: str, value: str) -> ValidationError:
    message = {
        "country": _("No country has the ISO alpha-3 code “%(value)s”."),
        "group": _("No country group has the code “%(value)s”."),
        "entity": _("No entity has the number %(value)s."),
        "campaign": _("No campaign has the slug “%(value)s”."),
        "node": _("No framework node is “%(value)s”: write it as initiative-slug:code, for example p2c:FA1."),
        "initiative": _("No initiative has the slug “%(value)s”."),
    }[field]
    return ValidationError({field: message % {"value": value[:60]}})


def _scope(*, country: str, group: str, entity: int | None, campaign: str) -> tuple[Scope | None, str | None]:
    """The one scope asked for, and its name in the answer ("country:KEN"); None for the registry."""
    asked = {name: value for name, value in
             (("country", country), ("group", group), ("entity", entity), ("campaign", campaign))
             if value not in ("", None)}
    if len(asked) > 1:
        message = _("Ask for one part of the registry at a time: %(names)s were given.") % {"names": ", ".join(asked)}
        raise ValidationError(dict.fromkeys(asked, [message]))
    if not asked:
        return None, None
    [(name, value)] = asked.items()
    found = {
        "country": lambda: Country.objects.filter(iso3=str(value).upper()).first(),
        "group": lambda: CountryGroup.objects.filter(code=value).first(),
        "entity": lambda: Entity.objects.filter(pk=value).first(),
        "campaign": lambda: Campaign.objects.filter(slug=value).first(),
    }[name]()
    if found is None:
        raise _unknown(name, str(value))
    label = {"country": lambda: found.iso3, "group": lambda: found.code, "entity": lambda: found.pk,
             "campaign": lambda: found.slug}[name]()
    return Scope(**{name: found}), f"{name}:{label}"


def _node(value: str) -> FrameworkNode | None:
    if not value:
        return None
    slug, _colon, code = value.partition(":")
    found = FrameworkNode.objects.select_related("initiative").filter(initiative__slug=slug, code=code).first()
    if found is None:
        raise _unknown("node", value)
    return found


@router.get("/progress/", response={200: ProgressOut, **READ_ERRORS},
            summary="Progress rolled up: share delivered and target attainment")
def progress(
    request: HttpRequest, response: HttpResponse,
    as_of: str = Query("", description=AS_OF), weighting: Weighting = Query(Weighting.usd, description=WEIGHTING),
    country: str = Query("", description="ISO alpha-3 code of a beneficiary country, e.g. KEN."),
    group: str = Query("", description="Code of a country group (named, or through a member country), e.g. LDC."),
    entity: int | None = Query(None, ge=1, le=2**63 - 1, description="Number of an entity, as lead or partner."),
    campaign: str = Query("", description="Slug of the campaign the pledges were announced at."),
    node: str = Query("", description="A framework node, initiative-slug:code (e.g. p2c:FA1): the pledges naming it "
                      "or a node below it. May be combined with one of the four above."),
):
    """The published pledges' progress at the end of the as-of day: over the whole registry, or
    one country (ISO alpha-3), country group (code), entity (id, as lead or partner) or campaign
    (slug), optionally only the pledges naming a framework node (`initiative-slug:code`) or one
    below it. Weighted by each pledge's US dollar value (`usd`, the default) or equally
    (`equal`). Says how many pledges it covers, how many have no accepted report, and what was
    left out of each mean and why (`notes`). docs/progress.md gives the rules."""
    moment = as_of_read(as_of)
    scope, scope_name = _scope(country=country, group=group, entity=entity, campaign=campaign)
    framework_node = _node(node)
    conditional(request, response, stamp=registry_stamp())
    rollup = progress_rollup_cached(moment, scope, weighting=weighting.value, node=framework_node)
    return {**rollup_fields(rollup), "scope": scope_name, "node": node_key(framework_node) if framework_node else None}


@router.get("/progress/nodes/", response={200: NodeList, **READ_ERRORS},
            summary="Progress rolled up for every framework node")
def progress_nodes(
    request: HttpRequest, response: HttpResponse,
    as_of: str = Query("", description=AS_OF), weighting: Weighting = Query(Weighting.usd, description=WEIGHTING),
    initiative: str = Query("", description="Slug of an initiative: its nodes only."),
):
    """Every framework node (of one initiative, by slug, when asked) in the framework's order,
    each with the roll-up of the pledges naming it or a node below it, as `/progress/?node=`
    answers it."""
    moment = as_of_read(as_of)
    found = None
    if initiative:
        found = Initiative.objects.filter(slug=initiative).first()
        if found is None:
            raise _unknown("initiative", initiative)
    conditional(request, response, stamp=registry_stamp())
    rows = progress_by_node_cached(moment, weighting=weighting.value, initiative=found)
    return {"as_of": moment.date, "weighting": weighting.value, "results": [
        {**rollup_fields(rollup), "node": node_key(node), "initiative": node.initiative.slug, "code": node.code,
         "name": node.name, "level": node.level, "parent": node_key(node.parent_node) if node.parent_node else None,
         "depth": node.depth}
        for node, rollup in rows]}
