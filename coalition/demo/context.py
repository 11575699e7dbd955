"""The reference data the demo draws from, read once into plain Python structures.

Generating a million pledges must not touch the ORM per pledge, so everything the generator
picks from (countries, dated LDC membership, regions, SDG targets, WSIS lines, framework
nodes, exchange rates) is loaded here as ids and tuples.
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    CountryGroupMembership,
    Currency,
    FrameworkNode,
    Initiative,
    SdgTarget,
    WsisActionLine,
)
from coalition.reference.selectors import rate_table


class ReferenceDataMissing(Exception):
    """The database lacks reference data the demo needs; the message says what and what to run."""


@dataclass
class InitiativeRef:
    id: int
    slug: str
    # Leaf nodes (pillars, actions) are what a pledger ticks; focus areas only group them.
    node_ids: list[int]
    # Regional groups a pledge of this initiative can target, each with its member country ids.
    regions: list[tuple[int, list[int]]]
    # Where this initiative's beneficiaries live; empty means anywhere.
    country_ids: list[int]


@dataclass
class ReferenceContext:
    countries: dict[int, tuple[str, str]]  # id -> (iso3, English name)
    member_state_ids: list[int]  # countries that can host a government entity
    ldc_periods: list[tuple[datetime.date, frozenset[int]]]  # sorted (from, LDC ids in force)
    initiatives: dict[str, InitiativeRef]
    sdg_target_ids: dict[str, int]
    wsis_line_ids: dict[str, int]
    beneficiary_group_ids: dict[str, int]
    region_names: dict[int, str]
    rates: dict[tuple[str, int], Decimal]
    currency_ids: dict[str, int]
    rate_years: dict[str, list[int]] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)  # optional tables not loaded

    def ldc_ids_on(self, day: datetime.date) -> frozenset[int]:
        """Countries that were LDCs on `day` (memberships are valid-from inclusive, valid-to exclusive)."""
        starts = [start for start, _ids in self.ldc_periods]
        index = bisect.bisect_right(starts, day) - 1
        return self.ldc_periods[index][1] if index >= 0 else frozenset()

    def rate_year(self, currency: str, year: int) -> int | None:
        """The value year to use for `currency` in `year`: that year, else the nearest earlier one with a rate."""
        years = self.rate_years.get(currency)
        if not years:
            return None
        index = bisect.bisect_right(years, year) - 1
        return years[index] if index >= 0 else years[0]


def load_context() -> ReferenceContext:
    """Read the reference tables; raise `ReferenceDataMissing` naming what is absent.

    Needs countries, the LDC group with its memberships, the `p2c` initiative with framework
    nodes, SDG targets, WSIS lines, beneficiary groups and at least one exchange rate. The
    `ap-is` initiative and ESCAP groups are used when present.
    """
    missing = []
    countries = {pk: (iso3, name) for pk, iso3, name in Country.objects.values_list("pk", "iso3", "name_en")}
    if not countries:
        missing.append("countries")
    ldc = CountryGroup.objects.filter(code="LDC").first()
    if ldc is None or not ldc.memberships.exists():
        missing.append("the LDC country group")
    initiatives = {}
    for initiative in Initiative.objects.filter(slug__in=["p2c", "ap-is"]):
        ref = _initiative_ref(initiative, countries)
        if ref.node_ids:
            initiatives[initiative.slug] = ref
    if "p2c" not in initiatives:
        missing.append("the p2c initiative and its framework")
    # SDG targets and WSIS lines come from data files that may be absent (no data folder,
    # offline): the demo still comes up, its pledges citing none, and says so.
    absent = []
    sdg_target_ids = dict(SdgTarget.objects.values_list("code", "pk"))
    if not sdg_target_ids:
        absent.append("SDG targets")
    wsis_line_ids = dict(WsisActionLine.objects.filter(parent=None).values_list("code", "pk"))
    if not wsis_line_ids:
        absent.append("WSIS action lines")
    beneficiary_group_ids = dict(BeneficiaryGroup.objects.values_list("code", "pk"))
    if not beneficiary_group_ids:
        missing.append("beneficiary groups")
    rates = rate_table(provisional=False)  # demo values are never at a provisional rate
    if not rates:
        missing.append("exchange rates")
    if missing:
        raise ReferenceDataMissing(
            f"Reference data is missing ({', '.join(missing)}): run `coalition reference load` first."
        )

    rate_years = defaultdict(list)
    for code, year in sorted(rates):
        rate_years[code].append(year)
    itu_member_ids = set(
        CountryGroupMembership.objects.filter(group__kind=CountryGroup.Kind.ITU_REGION).values_list(
            "country_id", flat=True
        )
    )
    return ReferenceContext(
        countries=countries,
        member_state_ids=sorted(itu_member_ids) or sorted(countries),
        ldc_periods=_ldc_periods(ldc),
        initiatives=initiatives,
        absent=absent,
        sdg_target_ids=sdg_target_ids,
        wsis_line_ids=wsis_line_ids,
        beneficiary_group_ids=beneficiary_group_ids,
        region_names=dict(CountryGroup.objects.values_list("pk", "name_en")),
        rates=rates,
        currency_ids=dict(Currency.objects.values_list("code", "pk")),
        rate_years=dict(rate_years),
    )


def _initiative_ref(initiative: Initiative, countries: dict) -> InitiativeRef:
    nodes = list(FrameworkNode.objects.filter(initiative=initiative).values_list("pk", "parent_id"))
    parents = {parent for _pk, parent in nodes if parent}
    leaves = [pk for pk, _parent in nodes if pk not in parents]
    # P2C works worldwide through the ITU regions; AP-IS is the ESCAP region's plan.
    if initiative.slug == "ap-is":
        region_kind, scope_kinds = CountryGroup.Kind.ESCAP_SUBREGION, [CountryGroup.Kind.ESCAP_MEMBERSHIP]
    else:
        region_kind, scope_kinds = CountryGroup.Kind.ITU_REGION, []
    members = defaultdict(list)
    for group_id, country_id in (
        CountryGroupMembership.objects.filter(group__kind=region_kind)
        .order_by("group_id", "country_id")
        .values_list("group_id", "country_id")
    ):
        members[group_id].append(country_id)
    scope_ids = sorted(
        set(
            CountryGroupMembership.objects.filter(group__kind__in=scope_kinds).values_list("country_id", flat=True)
        )
    )
    if initiative.slug == "ap-is" and not scope_ids:
        scope_ids = sorted({pk for ids in members.values() for pk in ids})
    return InitiativeRef(
        id=initiative.pk,
        slug=initiative.slug,
        node_ids=sorted(leaves),
        regions=sorted(members.items()),
        country_ids=scope_ids,
    )


def _ldc_periods(ldc: CountryGroup) -> list[tuple[datetime.date, frozenset[int]]]:
    """The LDC list as a step function of time: one entry per date on which it changed."""
    memberships = list(ldc.memberships.values_list("country_id", "valid_from", "valid_to"))
    beginning = datetime.date(1971, 1, 1)
    changes = sorted({beginning} | {d for _c, start, end in memberships for d in (start, end) if d})
    periods = []
    for start in changes:
        in_force = frozenset(
            country
            for country, valid_from, valid_to in memberships
            if (valid_from is None or valid_from <= start) and (valid_to is None or valid_to > start)
        )
        periods.append((start, in_force))
    return periods
