"""The published registry at one moment, in memory: the `Frame` every public figure is computed from.

A frame holds the pledges published at the moment (their versions at that moment, links
included), their partners, the lead entities' type and home country, the accepted reports and
the group memberships — all as they stood then (see `registry.py`).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from coalition.common.asof import AsOf
from coalition.entities.models import Entity
from coalition.explore.registry import LINK_TARGETS, published_registry
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership

ZERO = Decimal("0")


CENT = Decimal("0.01")


@dataclass(frozen=True)
class PledgeRow:
    id: int
    value_usd: Decimal | None
    pledge_type: str
    initiative_id: int
    lead_entity_id: int
    campaign_id: int | None
    published_at: datetime.datetime | None


@dataclass
class Frame:
    """The published registry at one moment, in memory, limited to a scope when one is given."""

    as_of: AsOf
    pledges: dict[int, PledgeRow]
    links: dict[str, dict[int, list[int]]]
    partners: dict[int, list[int]]
    entities: dict[int, tuple[str, int | None]]
    disbursed: dict[int, Decimal | None]  # pledges with an accepted report → latest disbursed USD
    members: dict[str, set[int]]  # group code → country ids, as of the date

    def linked(self, name: str, pledge_id: int) -> list[int]:
        return self.links[name].get(pledge_id, [])


@dataclass(frozen=True)
class Scope:
    """A subset of the registry: the pledges benefiting a country or group, or an entity's pledges."""

    country: Country | None = None
    group: CountryGroup | None = None
    entity: Entity | None = None


def frame_load(as_of: AsOf, *, scope: Scope | None = None, live: bool | None = None) -> Frame:
    """Read the published registry at `as_of` (a handful of queries, whatever its size).

    Now is read from the live tables, an earlier moment from the versions (`live` forces one).
    """
    registry = published_registry(as_of, live=live)
    members = _memberships(as_of.date)
    if scope is not None:
        registry = registry.restrict(_scope_condition(registry, scope))
    pledges = {
        pk: PledgeRow(pk, _decimal(value), kind, initiative, lead, campaign, _moment(published))
        for pk, value, kind, initiative, lead, campaign, published in _fetch(registry.pledge_rows())
    }
    links: dict[str, dict[int, list[int]]] = {}
    for name in LINK_TARGETS:
        by_pledge: dict[int, list[int]] = defaultdict(list)
        for pledge_id, target_id in _fetch(registry.link_rows(name)):
            by_pledge[pledge_id].append(target_id)
        # In key order, whatever order the database returned them in (it differs between the
        # live tables and the versions on PostgreSQL).
        links[name] = {pledge_id: sorted(ids) for pledge_id, ids in by_pledge.items()}
    partners: dict[int, list[int]] = defaultdict(list)
    for pledge_id, entity_id in _fetch(registry.partner_rows()):
        partners[pledge_id].append(entity_id)
    entity_ids = {row.lead_entity_id for row in pledges.values()} | {e for ids in partners.values() for e in ids}
    entities = {pk: (kind, country) for pk, kind, country in _fetch(registry.entity_rows()) if pk in entity_ids}
    disbursed: dict[int, Decimal | None] = {}
    for pledge_id, usd in _fetch(registry.accepted_report_rows()):  # each pledge's latest report comes last
        disbursed[pledge_id] = _decimal(usd)
    return Frame(as_of, pledges, links, {pk: sorted(ids) for pk, ids in partners.items()}, entities, disbursed, members)


def _fetch(queryset) -> list[tuple]:
    """The rows of a values_list queryset as the driver returns them, without Django's per-value
    converters: a frame reads hundreds of thousands of small rows, and those converters were
    most of its time. Only ids, codes, money and moments are read, converted below."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _decimal(value) -> Decimal | None:
    # SQLite gives money back as int or float (the column has numeric affinity), PostgreSQL as Decimal.
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(CENT)


def _moment(value) -> datetime.datetime | None:
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)


def _memberships(day: datetime.date) -> dict[str, set[int]]:
    members: dict[str, set[int]] = defaultdict(set)
    for code, country_id in CountryGroupMembership.objects.as_of(day).values_list("group__code", "country_id"):
        members[code].add(country_id)
    return members


def _scope_condition(registry, scope: Scope):
    """The condition on the registry's pledges that selects those in `scope`."""
    if scope.country is not None:
        return registry.linked_to("beneficiary_countries", [scope.country.pk])
    if scope.group is not None:
        return registry.targeting_groups([scope.group.code], registry.as_of.date)
    if scope.entity is not None:
        return registry.led_or_partnered_by(scope.entity)
    raise ValueError("an empty scope")


def pledge_targets_group(frame: Frame, pledge_id: int, code: str, group_ids: dict[str, int]) -> bool:
    """Whether the pledge names the group, or a country that belonged to it on the frame's date."""
    if group_ids.get(code) in frame.linked("beneficiary_regions", pledge_id):
        return True
    members = frame.members.get(code, set())
    return any(country in members for country in frame.linked("beneficiary_countries", pledge_id))


# Home and implementation regions are ITU-D regions, the coalition's own regional frame.
REGION_KIND = CountryGroup.Kind.ITU_REGION


def share_of(part, whole) -> Decimal | None:
    """`part` over `whole` as a fraction (0 to 1); None when the whole is nothing."""
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


def pledged_total(rows: Iterable[PledgeRow]) -> Decimal:
    """The estimated value of some pledges, in US dollars: each pledge's whole value once; pledges
    without a value add nothing (they are counted, never taken as zero-valued pledges)."""
    return sum((row.value_usd or ZERO for row in rows), ZERO)


@dataclass
class Tally:
    """Pledges counted into one category (a country, a type, a focus area…): each pledge once,
    with its whole value however many of its links fall in the category."""

    pledges: dict[int, PledgeRow] = field(default_factory=dict)

    def add(self, row: PledgeRow) -> None:
        self.pledges.setdefault(row.id, row)

    @property
    def count(self) -> int:
        return len(self.pledges)

    @property
    def value(self) -> Decimal:
        return pledged_total(self.pledges.values())


def tally_by(frame: Frame, keys_of: Callable[[PledgeRow], Iterable]) -> dict:
    """{category: Tally} of the frame's pledges, each counted in every category `keys_of` names."""
    tallies: dict = defaultdict(Tally)
    for row in frame.pledges.values():
        for key in keys_of(row):
            tallies[key].add(row)
    return tallies
