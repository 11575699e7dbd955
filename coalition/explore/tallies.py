"""The registry's figures as of a moment, counted by the database: `Tallies`.

Every public figure of the registry is a tally — a number of pledges and their estimated value
in US dollars — of one category at one moment: all pledges, pledges of one type, pledges naming
one country, pledges targeting the LDCs… `tallies_count` computes every tally at a moment with
a dozen GROUP BY queries over the versions current then (`registry.py`, `common.intervals`):
nothing is loaded row by row into Python, and today is read exactly like any earlier day. The
dashboard, the place pages and the reports turn tallies into figures (`figures.py`,
`breakdowns.py`); `daily.py` keeps each day's tallies so that a page reads them instead of
counting again.

Counting rules (shown beside the figures): a pledge counts once in each category it names, with
its whole value (so category totals can exceed the number of pledges); an entity counts once
whether it leads or partners; a country once however many pledges name it; a pledge "targets" a
group when it names the group or a country that belonged to it on that date.

Kinds of tally (`code` is the category):
- "all" (""): the published pledges; "with-value" (""): those with a value (count only);
  "entities", "countries" (""): distinct entities and beneficiary countries (count only);
  "reported" (""): pledges with an accepted report, with the disbursed US dollars of each one's
  latest accepted report as value.
- "initiative" (slug), "type" (pledge type), "stakeholder" (lead entity's type),
  "home-region" (ITU region code of the lead's home country, "-" for none),
  "focus-area" and "pillar" ("initiative-slug:node-code", the framework node at depth 0 or 1
  above each node a pledge names), "beneficiary-group" (code), "sdg" (goal number),
  "wsis" (action line code named), "wsis-rollup" (action line code: the pledges naming the line
  or one below it), "country" (ISO3 of a beneficiary country), "campaign" (slug),
  "group" (code of every group a pledge targets), "implementation-region" ("*": pledges
  targeting no ITU region), "month" ("YYYY-MM" of first publication),
  "focus-area-country" ("focus-area/ISO3": the pledges naming a country in a focus area).
- "standing" (a `reporting.status.ReportingStatus`): the pledges in each reporting status on the
  date, with their value; "standing-delivered" (status): those of them with money delivered, and
  how much (each pledge's latest accepted report's disbursed US dollars up to its value);
  "standing-next" and "standing-next-delivered" ("YYYY-MM-DD:before:after"): the changes of
  status the days alone will bring after the date (`standing_advance` applies them when a later
  day is counted from this one); "delivered-level" (verification level, "" when not assessed):
  the money delivered by the level of the report that states it. `figures.value_parts` reads
  the four parts of the value pledged off these.
- "pending" (currency code): the pledges whose value awaits an exchange rate, with the sum of
  their amounts in that currency (not in US dollars) as value; "pending-disbursed" (currency
  code): the same for the money disbursed in each pledge's latest accepted report;
  "provisional" and "provisional-disbursed" (""): the pledges (latest accepted reports) whose
  US dollars were converted at a provisional rate (a year not over), with those dollars as value.
  Figures pages say what is not counted yet from these (`figures.money_pending`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from coalition.common.asof import AsOf
from coalition.entities.models import Entity
from coalition.explore.registry import HistoricalRegistry, partner_versions, report_versions
from coalition.pledges.models import Campaign, Pledge
from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    CountryGroupMembership,
    Currency,
    FrameworkNode,
    Initiative,
    SdgGoal,
    SdgTarget,
    WsisActionLine,
)
from coalition.reporting.models import LATEST_FIRST
from coalition.reporting.status import CLOSING_STATUSES as CLOSING
from coalition.reporting.status import ENDED, ReportingFacts, status_changes, status_on

ZERO = Decimal("0")
CENT = Decimal("0.01")

# Home and implementation regions are ITU-D regions, the coalition's own regional frame.
REGION_KIND = CountryGroup.Kind.ITU_REGION

Key = tuple[str, str]


@dataclass(frozen=True)
class Tally:
    """Pledges counted into one category, each once, with its whole value."""

    pledges: int = 0
    value_usd: Decimal = ZERO


@dataclass(frozen=True)
class Scope:
    """A subset of the registry: the pledges benefiting a country or group, an entity's pledges, or
    the pledges announced at a campaign."""

    country: Country | None = None
    group: CountryGroup | None = None
    entity: Entity | None = None
    campaign: Campaign | None = None
    condition: Q | None = None  # any condition on the pledges (their `id`), e.g. those changed lately


@dataclass(frozen=True)
class Tallies:
    """Every tally of the registry at `as_of` (limited to a scope when one was given)."""

    as_of: AsOf
    counts: dict[Key, Tally] = field(default_factory=dict)

    def get(self, kind: str, code: str = "") -> Tally:
        return self.counts.get((kind, code), Tally())

    def of(self, kind: str) -> dict[str, Tally]:
        """{code: tally} of one kind, categories without pledges left out."""
        return {code: tally for (k, code), tally in self.counts.items() if k == kind and tally.pledges}


def tallies_count(as_of: AsOf, *, scope=None) -> Tallies:
    """Count every tally of the registry at `as_of` in the database (about fifteen queries,
    whatever the size of the registry). `scope` limits it to the pledges
    benefiting a country or group, or led or partnered by an entity."""
    registry = HistoricalRegistry(as_of)
    if scope is not None:
        registry = registry.restrict(scope_condition(registry, scope))
    return Tallies(as_of, _Counter(registry).count())


def registry_sql(as_of: AsOf, scope: Scope | None = None) -> "RegistrySql":
    """The registry at `as_of` as common table expressions, for a read that is not a tally."""
    registry = HistoricalRegistry(as_of)
    if scope is not None:
        registry = registry.restrict(scope_condition(registry, scope))
    return RegistrySql(registry)


def scope_condition(registry, scope):
    """The condition on the registry's pledges that selects those in `scope`."""
    if scope.country is not None:
        return registry.linked_to("beneficiary_countries", [scope.country.pk])
    if scope.group is not None:
        return registry.targeting_groups([scope.group.code], registry.as_of.date)
    if scope.entity is not None:
        return registry.led_or_partnered_by(scope.entity)
    if scope.campaign is not None:
        return Q(campaign_id=scope.campaign.pk)
    if scope.condition is not None:
        return scope.condition
    raise ValueError("an empty scope")


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def link_table(name: str) -> str:
    """The quoted table of the pledge versions' links `name` (columns history_id and the target's)."""
    return _table(Pledge.history.model._meta.get_field(f"historicalpledge_{name}").related_model)


def money(value) -> Decimal:
    """A sum as the driver returns it (SQLite: int or float; PostgreSQL: Decimal), to the cent."""
    if value is None:
        return ZERO
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(CENT)


class RegistrySql:
    """The registry at a moment as common table expressions that queries name: `p` the
    published pledge versions, `e` the entity versions, `pp` the partner versions, `r` the
    accepted report versions and `m` the group memberships, all as they stood at the moment."""

    def __init__(self, registry: HistoricalRegistry):
        self.as_of = registry.as_of
        day = registry.as_of.date
        pledges = registry.published().values(
            "history_id", "id", "value_usd", "pledge_type", "initiative_id", "lead_entity_id", "published_at",
            "campaign_id", "value_amount", "value_currency_id", "value_usd_provisional", "end_date",
            "reporting_reopened_at",
        )
        partners = partner_versions(registry.as_of)
        reports = report_versions(registry.as_of).filter(status="accepted")
        if registry.scope is not None:  # a part of the registry: only its pledges' partners and reports
            partners = partners.filter(pledge_id__in=RawSQL("SELECT id FROM p", []))
            reports = reports.filter(pledge_id__in=RawSQL("SELECT id FROM p", []))
        self.ctes = [
            ("p", _sql(pledges)),
            ("e", _sql(registry.entities().values("id", "entity_type", "home_country_id"))),
            ("pp", _sql(partners.values("pledge_id", "entity_id"))),
            ("r", _sql(reports.values(
                "pledge_id", "disbursed_usd", "disbursed_amount", "disbursed_currency_id", "disbursed_usd_provisional",
                "implementation_status", "verification_level", *(name.removeprefix("-") for name in LATEST_FIRST)))),
            ("m", _sql(CountryGroupMembership.objects.as_of(day).values("group_id", "country_id"))),
        ]

    def rows(self, body: str, params=(), ctes=("p",), extra=None) -> list[tuple]:
        """Run `body` after the common table expressions it names, then `extra` ones: a list of
        ("name AS (sql)", params), or one such pair."""
        used = [(f"{name} AS ({sql})", ps) for name, (sql, ps) in self.ctes if name in ctes]
        if extra is not None:
            used += extra if isinstance(extra, list) else [extra]
        prefix = "WITH " + ", ".join(sql for sql, _ in used) + " "
        with connection.cursor() as cursor:
            cursor.execute(prefix + body, [param for _, ps in used for param in ps] + list(params))
            return cursor.fetchall()


class _Counter(RegistrySql):
    """The query behind `tallies_count`: one statement, each kind of tally a member of a UNION ALL
    over the same common table expressions (so the database reads the registry once)."""

    def __init__(self, registry: HistoricalRegistry):
        super().__init__(registry)
        self.parts: list[tuple[str, list]] = []
        self.extra: list[tuple[str, list]] = []

    def add(self, kind: str, select: str, params=()) -> None:
        """`select` gives (category, pledges, value) rows of tallies of `kind`."""
        self.parts.append((
            f"SELECT '{kind}' AS kind, CAST(category AS VARCHAR(120)) AS code, pledges, value_usd"
            f" FROM ({select}) AS part{len(self.parts)}", list(params),
        ))

    def grouped(self, kind: str, category: str, joins: str = "", params=()) -> None:
        """Pledges and value per `category` (an SQL expression over `p` and `joins`), each pledge
        once per category however many of its links fall in it."""
        self.add(kind, (
            "SELECT category, COUNT(*) AS pledges, SUM(value_usd) AS value_usd FROM (SELECT DISTINCT"
            f" {category} AS category, p.id, p.value_usd FROM p {joins}) AS tallied GROUP BY category"
        ), params)

    def count(self) -> dict[Key, Tally]:
        self.add("all", "SELECT '' AS category, COUNT(*) AS pledges, SUM(value_usd) AS value_usd FROM p")
        self.add("with-value", "SELECT '' AS category, COUNT(value_usd) AS pledges, 0 AS value_usd FROM p")
        self.add("entities", (
            "SELECT '' AS category, COUNT(*) AS pledges, 0 AS value_usd FROM (SELECT lead_entity_id FROM p UNION"
            " SELECT pp.entity_id FROM pp WHERE pp.pledge_id IN (SELECT id FROM p)) AS involved"
        ))
        order = ", ".join(f"r.{name.removeprefix('-')} DESC" for name in LATEST_FIRST)
        self.add("reported", (
            "SELECT '' AS category, COUNT(*) AS pledges, SUM(disbursed_usd) AS value_usd FROM (SELECT r.disbursed_usd,"
            f" ROW_NUMBER() OVER (PARTITION BY r.pledge_id ORDER BY {order}) AS rank"
            " FROM r WHERE r.pledge_id IN (SELECT id FROM p)) AS latest WHERE rank = 1"
        ))
        self._money_pending(order)
        self._columns()
        self._links()
        self._groups()
        self._months()
        self._standing(order)
        rows = self.rows(
            " UNION ALL ".join(sql for sql, _ in self.parts), [p for _, ps in self.parts for p in ps],
            ctes=[name for name, _ in self.ctes], extra=self.extra,
        )
        counts = {(kind, code): Tally(pledges, money(value)) for kind, code, pledges, value in rows}
        counts[("countries", "")] = countries_reached(counts)
        return standing_from_facts(counts, self.as_of.date)

    def _money_pending(self, order: str) -> None:
        """Values awaiting a rate (summed in their currency) and values at a provisional rate."""
        currencies = _table(Currency)
        self.add("pending", (
            "SELECT c.code AS category, COUNT(*) AS pledges, SUM(p.value_amount) AS value_usd FROM p"
            f" JOIN {currencies} c ON c.id = p.value_currency_id"
            " WHERE p.value_usd IS NULL AND p.value_amount IS NOT NULL GROUP BY c.code"
        ))
        self.add("provisional", (
            "SELECT '' AS category, COUNT(*) AS pledges, SUM(value_usd) AS value_usd FROM p"
            " WHERE p.value_usd_provisional = %s GROUP BY p.value_usd_provisional"  # no row when none
        ), [True])
        latest = (
            "SELECT r.disbursed_usd, r.disbursed_amount, r.disbursed_currency_id, r.disbursed_usd_provisional,"
            f" ROW_NUMBER() OVER (PARTITION BY r.pledge_id ORDER BY {order}) AS rank"
            " FROM r WHERE r.pledge_id IN (SELECT id FROM p)"
        )
        self.add("pending-disbursed", (
            "SELECT c.code AS category, COUNT(*) AS pledges, SUM(latest.disbursed_amount) AS value_usd"
            f" FROM ({latest}) AS latest JOIN {currencies} c ON c.id = latest.disbursed_currency_id"
            " WHERE latest.rank = 1 AND latest.disbursed_usd IS NULL AND latest.disbursed_amount IS NOT NULL"
            " GROUP BY c.code"
        ))
        self.add("provisional-disbursed", (
            "SELECT '' AS category, COUNT(*) AS pledges, SUM(latest.disbursed_usd) AS value_usd"
            f" FROM ({latest}) AS latest WHERE latest.rank = 1 AND latest.disbursed_usd_provisional = %s"
            " GROUP BY latest.disbursed_usd_provisional"
        ), [True])

    def _columns(self) -> None:
        initiatives = _table(Initiative)
        self.grouped("initiative", "i.slug", f"JOIN {initiatives} i ON i.id = p.initiative_id")
        self.grouped("type", "p.pledge_type")
        self.grouped("campaign", "c.slug", f"JOIN {_table(Campaign)} c ON c.id = p.campaign_id")
        self.grouped("stakeholder", "COALESCE(e.entity_type, '')", "LEFT JOIN e ON e.id = p.lead_entity_id")
        groups = _table(CountryGroup)
        self.grouped(
            "home-region", "COALESCE(home.code, '-')",
            "LEFT JOIN e ON e.id = p.lead_entity_id LEFT JOIN (SELECT m.country_id, g.code FROM m"
            f" JOIN {groups} g ON g.id = m.group_id WHERE g.kind = %s) AS home ON home.country_id = e.home_country_id",
            [REGION_KIND],
        )

    def _links(self) -> None:
        def link(name: str) -> str:
            return f"JOIN {link_table(name)} l ON l.history_id = p.history_id"

        country, bgroup, wsis = _table(Country), _table(BeneficiaryGroup), _table(WsisActionLine)
        target, goal = _table(SdgTarget), _table(SdgGoal)
        self.grouped("country", "c.iso3", f"{link('beneficiary_countries')} JOIN {country} c ON c.id = l.country_id")
        self.grouped("beneficiary-group", "b.code", f"{link('beneficiary_groups')} JOIN {bgroup} b ON b.id = l.beneficiarygroup_id")
        self.grouped("wsis", "w.code", f"{link('wsis_lines')} JOIN {wsis} w ON w.id = l.wsisactionline_id")
        self.extra.append(_values_table("wsis_key(line_id, category)", wsis_keys()))
        self.grouped("wsis-rollup", "k.category", f"{link('wsis_lines')} JOIN wsis_key k ON k.line_id = l.wsisactionline_id")
        self.grouped("sdg", "g.number", f"{link('sdg_targets')} JOIN {target} t ON t.id = l.sdgtarget_id"
                     f" JOIN {goal} g ON g.id = t.goal_id")
        for kind, depth in (("focus-area", 0), ("pillar", 1)):
            keys = framework_keys(depth)
            if not keys:
                continue
            table = f"node_key_{depth}"
            self.extra.append(_values_table(f"{table}(node_id, category)", keys.items()))
            nodes = f"{link('framework_nodes')} JOIN {table} k ON k.node_id = l.frameworknode_id"
            self.grouped(kind, "k.category", nodes)
            if depth == 0:  # the gap view's pledges per country in each focus area
                self.grouped(
                    "focus-area-country", "k.category || '/' || c.iso3",
                    f"{nodes} JOIN {link_table('beneficiary_countries')} lc ON lc.history_id = p.history_id"
                    f" JOIN {country} c ON c.id = lc.country_id",
                )

    def _groups(self) -> None:
        """Every group each pledge targets (named, or through a member country at the date), and
        the pledges targeting no ITU region."""
        groups = _table(CountryGroup)
        # (group, pledge) pairs, deduplicated on two integers before anything else is joined.
        self.extra.append((
            f"targeted AS (SELECT l.countrygroup_id AS group_id, p.id FROM p JOIN {link_table('beneficiary_regions')} l"
            f" ON l.history_id = p.history_id UNION SELECT m.group_id, p.id FROM p"
            f" JOIN {link_table('beneficiary_countries')} l ON l.history_id = p.history_id"
            " JOIN m ON m.country_id = l.country_id)",
            [],
        ))
        self.add("group", (
            "SELECT g.code AS category, COUNT(*) AS pledges, SUM(p.value_usd) AS value_usd FROM targeted t"
            f" JOIN p ON p.id = t.id JOIN {groups} g ON g.id = t.group_id GROUP BY g.code"
        ))
        self.add("implementation-region", (
            "SELECT '*' AS category, COUNT(*) AS pledges, SUM(value_usd) AS value_usd FROM p WHERE NOT EXISTS"
            f" (SELECT 1 FROM targeted t JOIN {groups} g ON g.id = t.group_id WHERE t.id = p.id AND g.kind = %s)"
        ), [REGION_KIND])

    def _months(self) -> None:
        if connection.vendor == "postgresql":
            month = "to_char(p.published_at AT TIME ZONE 'UTC', 'YYYY-MM')"
        else:
            month = "strftime('%%Y-%%m', p.published_at)"
        self.add("month", (
            f"SELECT {month} AS category, COUNT(*) AS pledges, SUM(value_usd) AS value_usd FROM p"
            f" WHERE p.published_at IS NOT NULL GROUP BY {month}"
        ))

    def _standing(self, order: str) -> None:
        """Each pledge's reporting facts (`reporting.status.ReportingFacts`) and the part of its
        value its current accepted report says was delivered, grouped by those facts: the raw
        "standing-facts" tallies that `standing_from_facts` turns into statuses on the date.

        The clock starts on the latest of the publication, the last accepted report's submission
        and a reopening, as a date in the site's time zone; only reports submitted since a
        reopening close the reporting. Delivered is the money disbursed of the current accepted
        report (`LATEST_FIRST`) up to the pledge's value (beyond it is not value pledged)."""
        zone = timezone.get_current_timezone_name()
        greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite's MAX of two is scalar
        start = (f"{greatest}(p.published_at, COALESCE(a.submitted_at, p.published_at),"
                 " COALESCE(p.reporting_reopened_at, p.published_at))")
        start_day, start_params = connection.ops.datetime_cast_date_sql(start, (), zone)
        reopened_day, reopened_params = connection.ops.datetime_cast_date_sql("p.reporting_reopened_at", (), zone)
        since = "(p.reporting_reopened_at IS NULL OR r.submitted_at > p.reporting_reopened_at)"
        closing = (
            f"CASE WHEN c.implementation_status IN ('{CLOSING[0]}', '{CLOSING[1]}') THEN c.implementation_status"
            f" WHEN EXISTS (SELECT 1 FROM r WHERE r.pledge_id = p.id AND r.period_end >= p.end_date AND {since})"
            f" THEN '{ENDED}' ELSE '' END"
        )
        text = "VARCHAR(10)"
        key = (
            f"CASE WHEN ({closing}) <> '' THEN ({closing}) ELSE '|' || CAST({start_day} AS {text}) || '|'"
            f" || COALESCE(CAST(p.end_date AS {text}), '') || '|' || COALESCE(CAST({reopened_day} AS {text}), '') END"
        )
        delivered = ("CASE WHEN p.value_usd IS NULL OR d.disbursed_usd IS NULL THEN 0"
                     " WHEN d.disbursed_usd > p.value_usd THEN p.value_usd ELSE d.disbursed_usd END")
        ranked = (
            f"SELECT r.pledge_id, r.implementation_status, ROW_NUMBER() OVER (PARTITION BY r.pledge_id ORDER BY {order})"
            f" AS rank FROM r JOIN p ON p.id = r.pledge_id WHERE {since}"
        )
        current = (
            f"SELECT r.pledge_id, r.disbursed_usd, r.verification_level, ROW_NUMBER() OVER (PARTITION BY r.pledge_id"
            f" ORDER BY {order}) AS rank FROM r WHERE r.pledge_id IN (SELECT id FROM p)"
        )
        self.extra.append((
            f"facts AS (SELECT p.id, p.value_usd, {key} AS category, {delivered} AS delivered,"
            " d.verification_level AS level FROM p"
            " LEFT JOIN (SELECT r.pledge_id, MAX(r.submitted_at) AS submitted_at FROM r"
            " WHERE r.pledge_id IN (SELECT id FROM p) GROUP BY r.pledge_id) AS a ON a.pledge_id = p.id"
            f" LEFT JOIN ({ranked}) AS c ON c.pledge_id = p.id AND c.rank = 1"
            f" LEFT JOIN ({current}) AS d ON d.pledge_id = p.id AND d.rank = 1"
            " WHERE p.published_at IS NOT NULL)",
            # The closing expression comes twice in the key; the start day once; the reopening once.
            [*start_params, *reopened_params],
        ))
        self.add("standing-facts", "SELECT category, COUNT(*) AS pledges, SUM(value_usd) AS value_usd FROM facts"
                 " GROUP BY category")
        self.add("standing-facts-delivered", "SELECT category, COUNT(*) AS pledges, SUM(delivered) AS value_usd"
                 " FROM facts WHERE delivered > 0 GROUP BY category")
        self.add("delivered-level", "SELECT COALESCE(level, '') AS category, COUNT(*) AS pledges,"
                 " SUM(delivered) AS value_usd FROM facts WHERE delivered > 0 GROUP BY COALESCE(level, '')")


# The kinds of tally of reporting standing: each pledge's status on the day ("standing": its value;
# "-delivered": what it delivered), and each later change of status while nothing is written
# ("standing-next": "YYYY-MM-DD:before:after").
STANDING_KINDS = ("standing", "standing-delivered")
NEXT_KINDS = {"standing": "standing-next", "standing-delivered": "standing-next-delivered"}


def standing_from_facts(counts: dict[Key, Tally], day) -> dict[Key, Tally]:
    """Turn the raw "standing-facts" tallies (pledges grouped by their reporting facts) into
    statuses on `day` and the changes of status after it (`reporting.status.status_changes`)."""
    result = {key: tally for key, tally in counts.items() if not key[0].startswith("standing-facts")}
    for raw, kind in (("standing-facts", "standing"), ("standing-facts-delivered", "standing-delivered")):
        for (k, code), tally in counts.items():
            if k != raw:
                continue
            facts = _facts(code)
            _add(result, (kind, str(status_on(facts, day))), tally)
            for change_day, before, after in status_changes(facts, day):
                _add(result, (NEXT_KINDS[kind], f"{change_day.isoformat()}:{before}:{after}"), tally)
    return result


def _facts(code: str) -> ReportingFacts:
    """The facts a "standing-facts" category names: "closing" or "|start|end|reopened"."""
    if not code.startswith("|"):
        return ReportingFacts(start=datetime.date.min, closing=code)
    start, end, reopened = (datetime.date.fromisoformat(part) if part else None for part in code[1:].split("|"))
    return ReportingFacts(start=start, end=end, reopened=reopened)


def _add(counts: dict[Key, Tally], key: Key, tally: Tally) -> None:
    old = counts.get(key, Tally())
    counts[key] = Tally(old.pledges + tally.pledges, old.value_usd + tally.value_usd)


def for_pages(tallies: Tallies) -> Tallies:
    """The tallies pages read: all but the changes of status kept for counting a later day."""
    return Tallies(tallies.as_of, {key: t for key, t in tallies.counts.items() if key[0] not in NEXT_KINDS.values()})


def standing_advance(counts: dict[Key, Tally], day) -> dict[Key, Tally]:
    """Tallies of standing moved forward to `day`: every change of status due by then applied
    (the pledges leave the status before and join the one after) and forgotten. Counts that
    hold nothing else, for the pledges nothing was written about, are the same as counting
    them again on `day`."""
    result = dict(counts)
    for kind, next_kind in NEXT_KINDS.items():
        for (k, code), tally in counts.items():
            if k != next_kind or datetime.date.fromisoformat(code[:10]) > day:
                continue
            _changed_day, before, after = code.split(":")
            del result[(k, code)]
            old = result.get((kind, before), Tally())
            result[(kind, before)] = Tally(old.pledges - tally.pledges, old.value_usd - tally.value_usd)
            _add(result, (kind, after), tally)
    return result


def countries_reached(counts: dict[Key, Tally]) -> Tally:
    """The countries some pledge names, read off the per-country tallies."""
    return Tally(sum(1 for (kind, _code), tally in counts.items() if kind == "country" and tally.pledges))


def _values_table(name: str, pairs) -> tuple[str, list]:
    """A common table expression `name` holding the (key, value) pairs, and its parameters."""
    pairs = list(pairs)
    return f"{name} AS (VALUES " + ", ".join("(%s, %s)" for _ in pairs) + ")", [v for pair in pairs for v in pair]


def framework_keys(depth: int) -> dict[int, str]:
    """{framework node id: "initiative-slug:code" of its ancestor at `depth`} (nodes shallower
    than `depth` left out)."""
    nodes = {n.pk: n for n in FrameworkNode.objects.select_related("initiative")}
    keys = {}
    for pk, node in nodes.items():
        chain = []
        while node is not None:
            chain.append(node)
            node = nodes.get(node.parent_id) if node.parent_id else None
        chain.reverse()
        if len(chain) > depth:
            keys[pk] = f"{chain[depth].initiative.slug}:{chain[depth].code}"
    return keys


def wsis_keys() -> list[tuple[int, str]]:
    """(action line id, code of the line or of a line above it): each line counts for itself and
    for its parents."""
    lines = {pk: (parent, code) for pk, parent, code in WsisActionLine.objects.values_list("pk", "parent_id", "code")}
    pairs = []
    for pk in lines:
        node = pk
        while node is not None:
            parent, code = lines[node]
            pairs.append((pk, code))
            node = parent
    return pairs or [(0, "")]  # VALUES cannot be empty


def tallies_from_rows(as_of: AsOf, rows) -> Tallies:
    """Tallies from stored (kind, code, pledges, value) rows."""
    counts = {(kind, code): Tally(pledges, money(value)) for kind, code, pledges, value in rows}
    return Tallies(as_of, counts)


def tally_rows(tallies: Tallies) -> list[tuple[str, str, int, Decimal]]:
    """(kind, code, pledges, value) rows of some tallies, in a stable order (what `daily` stores)."""
    return sorted((kind, code, t.pledges, t.value_usd) for (kind, code), t in tallies.counts.items())

