"""Progress rolled up from pledges to any part of the registry, as of a moment: `progress_rollup`.

A pledge's progress is read from its current accepted report (the order `LATEST_FIRST`: the
accepted report with the latest period end) as the registry stood at the moment, and rolled up
to the whole registry, a country, a group, an entity, a campaign (`tallies.Scope`) or a framework
node with every node below it, in one query (plus one for the node's tree), whatever the size of
the registry. The result says how many pledges it covers, how many of them could not be counted
and why, and how they were weighted, so that a page can explain every figure it shows.
`progress_by_node` rolls up every framework node at once (two queries, equal to each node's own
roll-up); the `_cached` forms keep either in Django's cache until the registry's stamp changes,
and `weighting_links` gives a page its switch between the weightings (docs/progress.md).

The rules, shown beside the figures:

- Share delivered: the share the pledge's current report states (typed 0–100 %, here a fraction
  0–1). A report that states none (the services ask for one before submission, but restored and
  imported records may lack it) leaves its pledge out of this mean (`without_share`).
- Target attainment of a pledge: the mean, over its quantified targets, of actual / target
  capped at 1 (an over-achieved target counts as achieved, so it cannot hide another one behind),
  with the actuals of its current report. The baseline is not subtracted: the actual is the level
  reached, and the pledge's own page shows the same ratio (`reporting.selectors.TargetDelivery`).
  Targets without an actual in that report (added after it) are left out; a pledge with no
  target left has no attainment (`without_attainment`).
- Pledges without an accepted report at the moment are neither counted as 0 nor dropped
  silently: they are left out of both means and counted in `without_report`.
- Weighting ("usd" or "equal", `WEIGHTINGS`): under "usd" each pledge weighs its estimated value
  in US dollars at the moment, so the mean says which share of the money pledged was delivered;
  a reported pledge without a value in US dollars (none stated, awaiting an exchange rate, or
  rounding to 0.00) weighs nothing and is counted in `unweighted`. Under "equal" each reported
  pledge weighs 1.
- Fractions are rounded half up to four decimals (a hundredth of a percent), alike on SQLite
  (which sums in floating point) and PostgreSQL.

Which versions are read. The pledges, their links and their reports are the versions current at
the moment (`registry.HistoricalRegistry`). A pledge's targets change when a revision of the
published pledge is published (a target value raised, a target added), so each target is read
as its latest version written at or before the moment (their history carries no validity
interval: a window over the versions of the reported pledges' targets). Target actuals are read
from the live table: they are written only while a report is a draft or returned for changes
(`reporting.workflow.REPORT_EDITABLE_STATES`), an accepted report has no way out of that state,
only drafts are deleted, and a target with actuals cannot be deleted (PROTECT). So the actuals
of a report accepted at the moment are the ones it has now, and reading their versions would
cost a search over every version for the same answer.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Window
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import RowNumber
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext

from coalition.common.asof import AsOf
from coalition.explore.daily import place_key, registry_stamp
from coalition.explore.registry import HistoricalRegistry, report_versions
from coalition.explore.tallies import RegistrySql, Scope, link_table, money, scope_condition
from coalition.pledges.models import PledgeTarget
from coalition.reference.models import FrameworkNode, Initiative
from coalition.reporting.models import LATEST_FIRST, ProgressReportTarget, ReportStatus

WEIGHTINGS = ("usd", "equal")

WEIGHTING_LABELS: dict[str, Promise] = {
    "usd": gettext_lazy("Weighted by value in US dollars"),
    "equal": gettext_lazy("Each pledge counts equally"),
}

WEIGHTING_EXPLANATIONS: dict[str, Promise] = {
    "usd": gettext_lazy("Each reported pledge counts in proportion to its estimated value in US dollars, so the "
                        "figure is the share of the money pledged that was delivered, and pledges without a value "
                        "in US dollars count for nothing."),
    "equal": gettext_lazy("Each reported pledge counts once, whatever its value, so the figure is how far the "
                          "typical pledge has come."),
}

ZERO = Decimal("0")
FRACTION = Decimal("0.0001")


@dataclass(frozen=True)
class Rollup:
    """The progress of the pledges in a part of the registry at a moment, with what it covers."""

    as_of: AsOf
    weighting: str  # "usd" or "equal"
    pledges: int  # published pledges the roll-up covers at the moment
    without_report: int  # of those, with no accepted report at the moment
    share_delivered: Decimal | None  # weighted mean of the pledges' share delivered, a fraction 0..1
    share_pledges: int  # pledges whose share entered that mean (weight > 0 and a share stated)
    attainment: Decimal | None  # weighted mean of the pledges' target attainment, fraction 0..1
    attainment_pledges: int  # pledges whose attainment entered that mean
    weight_usd: Decimal  # USD value of the pledges behind either mean under "usd" (0 under "equal")
    unweighted: int  # reported pledges left out of the "usd" means for having no USD value (0 under "equal")
    without_share: int = 0  # reported pledges whose report states no share delivered
    without_attainment: int = 0  # reported pledges with no target that has an actual in the report
    share_weight_usd: Decimal = ZERO  # USD value behind the share mean under "usd"
    attainment_weight_usd: Decimal = ZERO  # USD value behind the attainment mean under "usd"
    scope: Scope | None = None
    node: FrameworkNode | None = None

    @property
    def reported(self) -> int:
        """The pledges with an accepted report at the moment."""
        return self.pledges - self.without_report

    @property
    def weighting_label(self) -> Promise:
        return WEIGHTING_LABELS[self.weighting]

    @property
    def weighting_explanation(self) -> Promise:
        return WEIGHTING_EXPLANATIONS[self.weighting]

    @property
    def notes(self) -> list[str]:
        """What the figures leave out and why, one sentence each (none when nothing is left out)."""
        notes = []
        if self.without_report:
            notes.append(ngettext(
                "%(count)s of %(total)s pledges has no accepted report: it is left out of the averages, not "
                "counted as nothing delivered.",
                "%(count)s of %(total)s pledges have no accepted report: they are left out of the averages, not "
                "counted as nothing delivered.", self.without_report) % {"count": self.without_report,
                                                                          "total": self.pledges})
        if self.unweighted:
            notes.append(ngettext(
                "%(count)s reported pledge has no value in US dollars, so it weighs nothing when pledges are "
                "weighted by value.",
                "%(count)s reported pledges have no value in US dollars, so they weigh nothing when pledges are "
                "weighted by value.", self.unweighted) % {"count": self.unweighted})
        if self.without_share:
            notes.append(ngettext(
                "%(count)s report does not state the share delivered: its pledge is left out of that average.",
                "%(count)s reports do not state the share delivered: their pledges are left out of that average.",
                self.without_share) % {"count": self.without_share})
        if self.without_attainment:
            notes.append(ngettext(
                "%(count)s reported pledge has no quantified target with a value reached: it is left out of the "
                "target average.",
                "%(count)s reported pledges have no quantified target with a value reached: they are left out of "
                "the target average.", self.without_attainment) % {"count": self.without_attainment})
        return notes


def weighting_choices() -> list[tuple[str, Promise, Promise]]:
    """(code, label, explanation) of each weighting, for a page's choice and its legend."""
    return [(code, WEIGHTING_LABELS[code], WEIGHTING_EXPLANATIONS[code]) for code in WEIGHTINGS]


def framework_node_and_below(node: FrameworkNode) -> list[int]:
    """The ids of `node` and of every node below it in its initiative's framework (one query)."""
    children = defaultdict(list)
    for pk, parent in FrameworkNode.objects.filter(initiative_id=node.initiative_id).values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, frontier = {node.pk}, [node.pk]
    while frontier:
        frontier = [child for pk in frontier for child in children[pk] if child not in found]
        found.update(frontier)
    return sorted(found)


def progress_rollup(
    as_of: AsOf, scope: Scope | None = None, *, weighting: str = "usd", node: FrameworkNode | None = None,
) -> Rollup:
    """The progress of the published pledges at `as_of`, limited to `scope` and to the pledges
    naming the framework node `node` or one below it (both when both are given), weighted by
    `weighting` (see the module's rules). One query whatever the size of the registry, and one
    more for a node's tree; reads only. Raises ValueError for a weighting not in WEIGHTINGS."""
    _weighting_check(weighting)
    return _rollup(as_of, scope, weighting, node, None if node is None else framework_node_and_below(node))


def progress_by_node(
    as_of: AsOf, *, weighting: str = "usd", initiative: Initiative | None = None,
) -> list[tuple[FrameworkNode, Rollup]]:
    """(node, its roll-up) for every framework node (of `initiative` only, when given), each
    counting the pledges naming it or a node below it, exactly as `progress_rollup(as_of,
    node=node)` would. Nodes come in the framework's order: initiatives by name, then each tree
    depth first, siblings by (order, code); each node carries `depth` (0 for a focus area) and
    `parent_node` (None at the top) for the table's indentation. Two queries whatever the
    registry holds: the nodes, then every roll-up grouped by node. Raises ValueError for a
    weighting not in WEIGHTINGS."""
    _weighting_check(weighting)
    return _by_node(as_of, weighting, _framework_in_order(initiative))


# --- Kept in the cache ---------------------------------------------------------------------

CACHE_SECONDS = 24 * 3600


def progress_rollup_cached(
    as_of: AsOf, scope: Scope | None = None, *, weighting: str = "usd", node: FrameworkNode | None = None,
) -> Rollup:
    """`progress_rollup`, kept in Django's cache until anything it reads changes: one query for
    the registry's stamp (and one for a node's tree) when the figures are cached. A scope given
    as a bare condition is not cached."""
    _weighting_check(weighting)
    try:
        place = place_key(scope)
    except ValueError:  # a bare condition has no name to keep it by
        return progress_rollup(as_of, scope, weighting=weighting, node=node)
    below = None if node is None else framework_node_and_below(node)
    key = _cache_key("rollup", as_of, weighting, place, below or "")
    found = cache.get(key)
    if found is None:
        found = _rollup(as_of, scope, weighting, node, below)
        cache.set(key, replace(found, scope=None, node=None), CACHE_SECONDS)
    return replace(found, as_of=as_of, scope=scope, node=node)


def progress_by_node_cached(
    as_of: AsOf, *, weighting: str = "usd", initiative: Initiative | None = None,
) -> list[tuple[FrameworkNode, Rollup]]:
    """`progress_by_node`, kept in Django's cache until anything it reads changes (the figures
    only: the nodes, whose names may change, are read each time). Two queries when cached."""
    _weighting_check(weighting)
    nodes = _framework_in_order(initiative)
    tree = [(node.pk, node.parent_id) for node in nodes]
    key = _cache_key("by-node", as_of, weighting, "" if initiative is None else initiative.pk, tree)
    found = cache.get(key)
    if found is None:
        found = {node.pk: replace(rollup, node=None) for node, rollup in _by_node(as_of, weighting, nodes)}
        cache.set(key, found, CACHE_SECONDS)
    return [(node, replace(found[node.pk], as_of=as_of, node=node)) for node in nodes]


def _cache_key(kind: str, as_of: AsOf, *parts) -> str:
    """The day and, for every day, the registry's stamp: a version written with a past date (a
    conversion at a past moment, an import, the demo) changes past days too, as the other
    cached figures (`connectivity.gap`, `reports.selectors`) allow for."""
    moment = as_of.date.isoformat() + ("-now" if as_of.is_today else "")
    basis = "|".join(str(part) for part in (kind, moment, registry_stamp(), *parts))
    return "progress:" + hashlib.sha256(basis.encode()).hexdigest()


# --- The weighting a page shows --------------------------------------------------------------


def weighting_asked(query) -> str:
    """The weighting a page's `?weighting=` asks for ("usd" when none or an unknown one)."""
    value = query.get("weighting", "")
    return value if value in WEIGHTINGS else WEIGHTINGS[0]


def weighting_links(query, *, fragment: str = "pledge-progress") -> list[tuple[str, Promise, str, bool]]:
    """(code, label, address, current) of each weighting, for the switch beside the figures:
    the page's query (`request.GET`, a QueryDict: `as_of` and any filters kept) with only the
    weighting changed; the default ("usd") leaves the parameter out. `fragment` is the id of
    the part of the page to come back to."""
    current = weighting_asked(query)
    others = [(name, value) for name, values in query.lists() if name != "weighting" for value in values]
    links = []
    for code in WEIGHTINGS:
        kept = others if code == WEIGHTINGS[0] else [*others, ("weighting", code)]
        address = "?" + urlencode(kept) if kept else "?"
        links.append((code, WEIGHTING_LABELS[code], address + (f"#{fragment}" if fragment else ""), code == current))
    return links


# --- The queries -----------------------------------------------------------------------------


def _weighting_check(weighting: str) -> None:
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}: choose one of {', '.join(WEIGHTINGS)}")


def _rollup(as_of: AsOf, scope: Scope | None, weighting: str, node: FrameworkNode | None,
            below: list[int] | None) -> Rollup:
    registry = HistoricalRegistry(as_of)
    condition = None if scope is None else scope_condition(registry, scope)
    if below is not None:
        named = registry.linked_to("framework_nodes", below)
        condition = named if condition is None else condition & named
    if condition is not None:
        registry = registry.restrict(condition)
    return _rollup_from_row(_Rollup(RegistrySql(registry), weighting).row(), as_of, weighting, scope, node)


def _by_node(as_of: AsOf, weighting: str, nodes: list[FrameworkNode]) -> list[tuple[FrameworkNode, Rollup]]:
    if not nodes:
        return []
    rows = _Rollup(RegistrySql(HistoricalRegistry(as_of)), weighting).rows_by_node(_node_and_ancestors(nodes))
    found = {row[0]: row[1:] for row in rows}
    return [(node, _rollup_from_row(found.get(node.pk, ()), as_of, weighting, None, node)) for node in nodes]


def _rollup_from_row(row, as_of: AsOf, weighting: str, scope: Scope | None, node: FrameworkNode | None) -> Rollup:
    """A Rollup from the query's sums (an empty row: no pledge)."""
    (pledges, without_report, unweighted, without_share, without_attainment, share_pledges, share_weight, share_sum,
     attainment_pledges, attainment_weight, attainment_sum, weight) = (value or 0 for value in (row or (0,) * 12))
    usd = weighting == "usd"
    return Rollup(
        as_of=as_of,
        weighting=weighting,
        pledges=pledges,
        without_report=without_report,
        share_delivered=_mean(share_sum, share_weight, scale=100),
        share_pledges=share_pledges,
        attainment=_mean(attainment_sum, attainment_weight),
        attainment_pledges=attainment_pledges,
        weight_usd=money(weight) if usd else ZERO,
        unweighted=unweighted if usd else 0,
        without_share=without_share,
        without_attainment=without_attainment,
        share_weight_usd=money(share_weight) if usd else ZERO,
        attainment_weight_usd=money(attainment_weight) if usd else ZERO,
        scope=scope,
        node=node,
    )


def _framework_in_order(initiative: Initiative | None) -> list[FrameworkNode]:
    """The framework nodes depth first, as the explorer's node filter lists them, each with its
    `depth` and `parent_node`. One query."""
    nodes = FrameworkNode.objects.select_related("initiative").order_by("initiative__name_en", "initiative", "order", "code")
    if initiative is not None:
        nodes = nodes.filter(initiative=initiative)
    nodes = list(nodes)
    known = {node.pk for node in nodes}
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id if node.parent_id in known else None].append(node)
    ordered = []

    def walk(node: FrameworkNode, depth: int, parent: FrameworkNode | None) -> None:
        node.depth, node.parent_node = depth, parent
        ordered.append(node)
        for child in children[node.pk]:
            if child.depth is None:  # a cycle in damaged data is walked once
                walk(child, depth + 1, node)

    for node in nodes:
        node.depth = None
    for root in children[None]:
        walk(root, 0, None)
    return ordered


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _mean(total, weight, *, scale: int = 1) -> Decimal | None:
    """`total` / `weight` / `scale` as a fraction to four decimals; None when nothing weighs.
    First rounded to ten decimals, so a float sum off by a hair rounds as the exact one."""
    if not weight:
        return None
    exact = _decimal(total) / _decimal(weight) / scale
    return exact.quantize(Decimal("1e-10")).quantize(FRACTION, rounding=ROUND_HALF_UP)


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def _latest_first():
    return [OrderBy(F(name.removeprefix("-")), descending=name.startswith("-")) for name in LATEST_FIRST]


class _Rollup:
    """The roll-up query: the pledges `p` of a `RegistrySql`, each with its current report and
    its weight, summed in one row."""

    def __init__(self, registry: RegistrySql, weighting: str):
        self.registry = registry
        self.weighting = weighting

    def ctes(self) -> list[tuple[str, list]]:
        moment = self.registry.as_of.moment
        in_p = RawSQL("SELECT id FROM p", [])
        reports = (
            report_versions(self.registry.as_of).filter(status=ReportStatus.ACCEPTED, pledge_id__in=in_p)
            .annotate(latest_rank=Window(RowNumber(), partition_by=[F("pledge_id")], order_by=_latest_first()))
            .values("id", "pledge_id", "share_delivered", "latest_rank")
        )
        # A target's version at the moment: the latest written by then (a deletion means it was gone).
        targets = (
            PledgeTarget.history.model.objects
            .filter(history_date__lte=moment, pledge_id__in=RawSQL("SELECT pledge_id FROM progress_current", []))
            .annotate(latest_rank=Window(RowNumber(), partition_by=[F("id")],
                                      order_by=[F("history_date").desc(), F("history_id").desc()]))
            .values("id", "target_value", "history_type", "latest_rank")
        )
        actuals = connection.ops.quote_name(ProgressReportTarget._meta.db_table)
        reports_sql, reports_params = _sql(reports)
        targets_sql, targets_params = _sql(targets)
        return [
            ("progress_current AS (SELECT id, pledge_id, share_delivered"
             f" FROM ({reports_sql}) AS ranked WHERE latest_rank = 1)", reports_params),
            ("progress_target AS (SELECT id, target_value"
             f" FROM ({targets_sql}) AS ranked WHERE latest_rank = 1 AND history_type <> '-')", targets_params),
            # Actual over target, capped at 1; `* 1.0` keeps SQLite from dividing integers.
            ("progress_attainment AS (SELECT c.pledge_id, AVG(CASE WHEN a.actual_value >= t.target_value THEN 1.0"
             " ELSE a.actual_value * 1.0 / t.target_value END) AS attainment"
             f" FROM progress_current c JOIN {actuals} a ON a.report_id = c.id"
             " JOIN progress_target t ON t.id = a.target_id WHERE t.target_value > 0 GROUP BY c.pledge_id)", []),
        ]

    def row(self) -> tuple:
        """The sums over the registry's pledges, in one row."""
        weighted = f"SELECT p.id, {self.weight()} AS weight FROM p"
        [row] = self.registry.rows(self.body(weighted), ctes=("p",), extra=self.ctes())
        return row

    def rows_by_node(self, pairs: list[tuple[int, int]]) -> list[tuple]:
        """(node id, the sums of `row`) per node, over the pledges naming the node or one below
        it: `pairs` are (node named, node it counts for), so a pledge counts once per node
        however many of the nodes below it it names. Nodes without a pledge have no row."""
        nodes = ("progress_node(named_id, node_id) AS (VALUES " + ", ".join("(%s, %s)" for _ in pairs) + ")",
                 [value for pair in pairs for value in pair])
        weighted = (f"SELECT DISTINCT k.node_id, p.id, {self.weight()} AS weight FROM p"
                    f" JOIN {link_table('framework_nodes')} l ON l.history_id = p.history_id"
                    " JOIN progress_node k ON k.named_id = l.frameworknode_id")
        return self.registry.rows(self.body(weighted, by="w.node_id"), ctes=("p",), extra=[nodes, *self.ctes()])

    def weight(self) -> str:
        return "CASE WHEN p.value_usd > 0 THEN p.value_usd ELSE 0 END" if self.weighting == "usd" else "1"

    @staticmethod
    def body(weighted: str, by: str = "") -> str:
        """The sums over the pledges `weighted` gives (id, weight), grouped `by` a column of it."""
        reported = "c.id IS NOT NULL"
        shared = "w.weight > 0 AND c.share_delivered IS NOT NULL"
        attained = "w.weight > 0 AND a.attainment IS NOT NULL"

        def count(condition: str) -> str:
            return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

        def total(condition: str, value: str = "w.weight") -> str:
            return f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)"

        return (
            f"SELECT {by + ', ' if by else ''}COUNT(*), {count('c.id IS NULL')}, {count(f'{reported} AND w.weight = 0')},"
            f" {count(f'{reported} AND c.share_delivered IS NULL')}, {count(f'{reported} AND a.attainment IS NULL')},"
            f" {count(shared)}, {total(shared)}, {total(shared, 'w.weight * c.share_delivered')},"
            f" {count(attained)}, {total(attained)}, {total(attained, 'w.weight * a.attainment')},"
            f" {total(f'({shared}) OR ({attained})')}"
            f" FROM ({weighted}) AS w"
            " LEFT JOIN progress_current c ON c.pledge_id = w.id"
            " LEFT JOIN progress_attainment a ON a.pledge_id = w.id"
            + (f" GROUP BY {by}" if by else "")
        )


def _node_and_ancestors(nodes: list[FrameworkNode]) -> list[tuple[int, int]]:
    """(node, itself or a node above it) for every node walked by `_framework_in_order`."""
    return [(node.pk, above.pk) for node in nodes for above in _chain(node)]


def _chain(node: FrameworkNode):
    while node is not None:
        yield node
        node = node.parent_node
