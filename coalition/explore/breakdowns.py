"""Breakdowns of the registry's pledges by category: initiative, focus area, pillar, type, stakeholder,
home and implementation region, beneficiary group, SDG and WSIS action line.

A pledge counts once in each category it names (so category totals can exceed the number of
pledges) and its whole value goes to each.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from coalition.entities.models import Entity
from coalition.explore.figures import share_of
from coalition.explore.tallies import REGION_KIND, Tallies
from coalition.pledges.models import Pledge
from coalition.reference.models import (
    BeneficiaryGroup,
    CountryGroup,
    FrameworkNode,
    Initiative,
    SdgGoal,
    WsisActionLine,
)


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    pledges: int
    value_usd: Decimal
    share: Decimal | None  # of all pledges counted


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


def _rows(tallies: Tallies, kind: str, labels: dict, order=None, *, codes=None) -> list[Row]:
    """Rows of one kind of tally in `order` (categories without pledges left out), or by most
    pledges first. `codes` gives the tallies to show when they are not all of `kind`'s."""
    total = tallies.get("all").pledges
    counted = tallies.of(kind) if codes is None else codes
    if order is None:
        order = sorted(counted, key=lambda code: (-counted[code].pledges, str(labels.get(code, code))))
    return [
        Row(code, str(labels.get(code, code)), counted[code].pledges, counted[code].value_usd,
            share_of(counted[code].pledges, total))
        for code in map(str, order) if code in counted
    ]


def _breakdown_initiative(tallies: Tallies) -> Breakdown:
    labels = {i.slug: i.name for i in Initiative.objects.all()}
    return Breakdown("initiative", _("Pledges by initiative"), _("Initiative"), _rows(tallies, "initiative", labels),
                     explorer_param="initiative")


def _framework(tallies: Tallies, *, depth: int) -> Breakdown:
    nodes = sorted(FrameworkNode.objects.select_related("initiative"), key=lambda n: (n.initiative.name_en, n.order, n.code))
    labels = {f"{n.initiative.slug}:{n.code}": f"{n.initiative.short_name} {n.code} {n.name}" for n in nodes}
    order = [f"{n.initiative.slug}:{n.code}" for n in nodes]
    if depth == 0:
        return Breakdown("focus-area", _("Pledges by focus area"), _("Focus area or pillar"),
                         _rows(tallies, "focus-area", labels, order), _("A pledge counts in each focus area it names."), "node")
    return Breakdown("pillar", _("Pledges by pillar or action"), _("Pillar or action"),
                     _rows(tallies, "pillar", labels, order), _("A pledge counts in each pillar it names."), "node")


def _breakdown_type(tallies: Tallies) -> Breakdown:
    return Breakdown("type", _("Pledges by type"), _("Type"), _rows(tallies, "type", dict(Pledge.Type.choices)),
                     explorer_param="type")


def _breakdown_stakeholder(tallies: Tallies) -> Breakdown:
    return Breakdown("stakeholder", _("Pledges by stakeholder type"), _("Pledging entity's type"),
                     _rows(tallies, "stakeholder", dict(Entity.Type.choices)), explorer_param="stakeholder")


def _breakdown_home_region(tallies: Tallies) -> Breakdown:
    regions = {g.code: g for g in CountryGroup.objects.of_kind(REGION_KIND)}
    unknown = "-"
    labels = {code: g.name for code, g in regions.items()} | {unknown: _("No home country or outside the ITU regions")}
    return Breakdown("home-region", _("Pledges by the pledger's home region"), _("ITU region of the pledging entity"),
                     _rows(tallies, "home-region", labels, [*regions, unknown]))


def _breakdown_implementation_region(tallies: Tallies) -> Breakdown:
    regions = {g.code: g for g in CountryGroup.objects.of_kind(REGION_KIND)}
    wide = "*"
    labels = {code: g.name for code, g in regions.items()} | {wide: _("Global or other groups only")}
    codes = {code: t for code, t in tallies.of("group").items() if code in regions} | tallies.of("implementation-region")
    return Breakdown("implementation-region", _("Pledges by implementation region"), _("ITU region"),
                     _rows(tallies, "group", labels, [*regions, wide], codes=codes),
                     _("A pledge counts in each region where a country it names lies, or that it names."), "region")


def _breakdown_beneficiary_group(tallies: Tallies) -> Breakdown:
    groups = list(BeneficiaryGroup.objects.all())
    return Breakdown("beneficiary-group", _("Pledges by beneficiary group"), _("Beneficiary group"),
                     _rows(tallies, "beneficiary-group", {g.code: g.name for g in groups}, [g.code for g in groups]),
                     _("A pledge counts for each group it names; many name none."), "beneficiary")


def _breakdown_sdg(tallies: Tallies) -> Breakdown:
    goals = {goal.number: goal for goal in SdgGoal.objects.all()}
    labels = {str(number): f"{number}. {goal.short}" for number, goal in goals.items()}
    return Breakdown("sdg", _("Pledges by Sustainable Development Goal"), _("SDG"),
                     _rows(tallies, "sdg", labels, sorted(goals)),
                     _("A pledge counts for each goal whose targets it names."), "sdg")


def _breakdown_wsis(tallies: Tallies) -> Breakdown:
    lines = list(WsisActionLine.objects.all())
    labels = {line.code: f"{line.code} {line.title}" for line in lines}
    return Breakdown("wsis", _("Pledges by WSIS action line"), _("WSIS action line"),
                     _rows(tallies, "wsis", labels, [line.code for line in lines]),
                     _("A pledge counts for each action line it names."), "wsis")


BREAKDOWNS = {
    "initiative": _breakdown_initiative,
    "focus-area": lambda tallies: _framework(tallies, depth=0),
    "pillar": lambda tallies: _framework(tallies, depth=1),
    "type": _breakdown_type,
    "stakeholder": _breakdown_stakeholder,
    "home-region": _breakdown_home_region,
    "implementation-region": _breakdown_implementation_region,
    "beneficiary-group": _breakdown_beneficiary_group,
    "sdg": _breakdown_sdg,
    "wsis": _breakdown_wsis,
}


def breakdown(tallies: Tallies, slug: str) -> Breakdown:
    """One breakdown of the registry's tallies by `slug` (a key of BREAKDOWNS). KeyError if unknown."""
    return BREAKDOWNS[slug](tallies)
