"""Breakdowns of a frame's pledges by category: initiative, focus area, pillar, type, stakeholder,
home and implementation region, beneficiary group, SDG and WSIS action line.

A pledge counts once in each category it names (so category totals can exceed the number of
pledges) and its whole value goes to each.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from coalition.entities.models import Entity
from coalition.explore.frame import REGION_KIND, Frame, share_of, tally_by
from coalition.pledges.models import Pledge
from coalition.reference.models import (
    BeneficiaryGroup,
    CountryGroup,
    FrameworkNode,
    Initiative,
    SdgTarget,
    WsisActionLine,
)


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    pledges: int
    value_usd: Decimal
    share: Decimal | None  # of all pledges in the frame


@dataclass(frozen=True)
class Breakdown:
    slug: str
    title: str
    category: str  # the column heading for the category
    rows: list[Row]
    note: str = ""
    explorer_param: str = ""  # the explorer filter a row's code feeds, when there is one

    def explorer_query(self, row: Row) -> str:
        """The explorer's query string listing the pledges of one row ("" when it has none)."""
        if not self.explorer_param or row.code in ("-", "*"):
            return ""
        if self.explorer_param == "node":  # framework codes are unique within an initiative
            initiative, code = row.code.split(":", 1)
            return urlencode({"initiative": initiative, "node": code})
        return urlencode({self.explorer_param: row.code})

    @property
    def linked_rows(self) -> list[tuple[Row, str]]:
        """(row, explorer query string) pairs, for tables that link each category to its pledges."""
        return [(row, self.explorer_query(row)) for row in self.rows]


def _rows(frame: Frame, tallies: dict, labels: dict, order=None) -> list[Row]:
    """Rows in `order` (categories without pledges left out), or by most pledges first."""
    total = len(frame.pledges)
    if order is None:
        order = sorted(tallies, key=lambda key: (-len(tallies[key].pledges), str(labels.get(key, key))))
    return [
        Row(str(key), str(labels.get(key, key)), len(tallies[key].pledges), tallies[key].value,
            share_of(len(tallies[key].pledges), total))
        for key in order if key in tallies
    ]


def _breakdown_initiative(frame: Frame) -> Breakdown:
    initiatives = {i.pk: i for i in Initiative.objects.all()}
    tallies = tally_by(frame, lambda row: [initiatives[row.initiative_id].slug])
    labels = {i.slug: i.name for i in initiatives.values()}
    return Breakdown("initiative", _("Pledges by initiative"), _("Initiative"), _rows(frame, tallies, labels),
                     explorer_param="initiative")


def _framework(frame: Frame, *, depth: int) -> Breakdown:
    nodes = {n.pk: n for n in FrameworkNode.objects.select_related("initiative", "parent")}

    def at_depth(node_id):
        node, chain = nodes[node_id], []
        while node is not None:
            chain.append(node)
            node = nodes.get(node.parent_id) if node.parent_id else None
        chain.reverse()
        return chain[depth] if len(chain) > depth else None

    def keys(row):
        found = {at_depth(node_id) for node_id in frame.linked("framework_nodes", row.id)}
        return [f"{n.initiative.slug}:{n.code}" for n in found if n is not None]

    tallies = tally_by(frame, keys)
    labels = {f"{n.initiative.slug}:{n.code}": f"{n.initiative.short_name} {n.code} {n.name}" for n in nodes.values()}
    order = [f"{n.initiative.slug}:{n.code}" for n in sorted(nodes.values(), key=lambda n: (n.initiative.name_en, n.order, n.code))]
    if depth == 0:
        return Breakdown("focus-area", _("Pledges by focus area"), _("Focus area or pillar"),
                         _rows(frame, tallies, labels, order), _("A pledge counts in each focus area it names."), "node")
    return Breakdown("pillar", _("Pledges by pillar or action"), _("Pillar or action"),
                     _rows(frame, tallies, labels, order), _("A pledge counts in each pillar it names."), "node")


def _breakdown_type(frame: Frame) -> Breakdown:
    tallies = tally_by(frame, lambda row: [row.pledge_type])
    return Breakdown("type", _("Pledges by type"), _("Type"), _rows(frame, tallies, dict(Pledge.Type.choices)),
                     explorer_param="type")


def _breakdown_stakeholder(frame: Frame) -> Breakdown:
    tallies = tally_by(frame, lambda row: [frame.entities.get(row.lead_entity_id, ("", None))[0]])
    return Breakdown("stakeholder", _("Pledges by stakeholder type"), _("Pledging entity's type"),
                     _rows(frame, tallies, dict(Entity.Type.choices)), explorer_param="stakeholder")


def _region_of(frame: Frame, regions: dict[str, CountryGroup]) -> dict[int, str]:
    return {country: code for code in regions for country in frame.members.get(code, ())}


def _breakdown_home_region(frame: Frame) -> Breakdown:
    regions = {g.code: g for g in CountryGroup.objects.of_kind(REGION_KIND)}
    region_of = _region_of(frame, regions)
    unknown = "-"
    tallies = tally_by(frame, lambda row: [region_of.get(frame.entities.get(row.lead_entity_id, ("", None))[1], unknown)])
    labels = {code: g.name for code, g in regions.items()} | {unknown: _("No home country or outside the ITU regions")}
    return Breakdown("home-region", _("Pledges by the pledger's home region"), _("ITU region of the pledging entity"),
                     _rows(frame, tallies, labels, [*regions, unknown]))


def _breakdown_implementation_region(frame: Frame) -> Breakdown:
    regions = {g.code: g for g in CountryGroup.objects.of_kind(REGION_KIND)}
    region_of = _region_of(frame, regions)
    region_ids = {g.pk: code for code, g in regions.items()}
    wide = "*"

    def keys(row):
        found = {region_of[c] for c in frame.linked("beneficiary_countries", row.id) if c in region_of}
        found |= {region_ids[g] for g in frame.linked("beneficiary_regions", row.id) if g in region_ids}
        return found or {wide}

    labels = {code: g.name for code, g in regions.items()} | {wide: _("Global or other groups only")}
    return Breakdown("implementation-region", _("Pledges by implementation region"), _("ITU region"),
                     _rows(frame, tally_by(frame, keys), labels, [*regions, wide]),
                     _("A pledge counts in each region where a country it names lies, or that it names."), "region")


def _breakdown_beneficiary_group(frame: Frame) -> Breakdown:
    groups = {g.pk: g for g in BeneficiaryGroup.objects.all()}
    tallies = tally_by(frame, lambda row: [groups[g].code for g in frame.linked("beneficiary_groups", row.id)])
    labels = {g.code: g.name for g in groups.values()}
    return Breakdown("beneficiary-group", _("Pledges by beneficiary group"), _("Beneficiary group"),
                     _rows(frame, tallies, labels, [g.code for g in groups.values()]),
                     _("A pledge counts for each group it names; many name none."), "beneficiary")


def _breakdown_sdg(frame: Frame) -> Breakdown:
    targets = {t.pk: t for t in SdgTarget.objects.select_related("goal")}
    tallies = tally_by(frame, lambda row: {targets[t].goal.number for t in frame.linked("sdg_targets", row.id)})
    goals = {t.goal.number: t.goal for t in targets.values()}
    labels = {number: f"{number}. {goal.short}" for number, goal in goals.items()}
    return Breakdown("sdg", _("Pledges by Sustainable Development Goal"), _("SDG"),
                     _rows(frame, tallies, labels, sorted(goals)),
                     _("A pledge counts for each goal whose targets it names."), "sdg")


def _breakdown_wsis(frame: Frame) -> Breakdown:
    lines = {line.pk: line for line in WsisActionLine.objects.all()}
    tallies = tally_by(frame, lambda row: [lines[line].code for line in frame.linked("wsis_lines", row.id)])
    labels = {line.code: f"{line.code} {line.title}" for line in lines.values()}
    return Breakdown("wsis", _("Pledges by WSIS action line"), _("WSIS action line"),
                     _rows(frame, tallies, labels, [line.code for line in lines.values()]),
                     _("A pledge counts for each action line it names."), "wsis")


BREAKDOWNS = {
    "initiative": _breakdown_initiative,
    "focus-area": lambda frame: _framework(frame, depth=0),
    "pillar": lambda frame: _framework(frame, depth=1),
    "type": _breakdown_type,
    "stakeholder": _breakdown_stakeholder,
    "home-region": _breakdown_home_region,
    "implementation-region": _breakdown_implementation_region,
    "beneficiary-group": _breakdown_beneficiary_group,
    "sdg": _breakdown_sdg,
    "wsis": _breakdown_wsis,
}


def breakdown(frame: Frame, slug: str) -> Breakdown:
    """One breakdown of the frame's pledges by `slug` (a key of BREAKDOWNS). KeyError if unknown."""
    return BREAKDOWNS[slug](frame)
