"""What a demo pledge says: lead, type, beneficiaries, value, targets, partners and its workflow steps.

The mix follows what ITU Partner2Connect published (programmatic pledges first, about a third
for LDCs, women named in about half, value concentrated in a few private-sector and IFI
pledges). Everything is drawn from one seeded `random.Random`, in a fixed order, so a seed
always gives the same pledges.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from coalition.demo import lifecycle
from coalition.demo import vocabulary as words
from coalition.demo.context import InitiativeRef, ReferenceContext
from coalition.demo.entities import DemoEntity, EntityPool
from coalition.reference.services import usd_value

# Pledge type mix by lead entity type (weights; programmatic > advocacy > policy overall).
TYPE_WEIGHTS = {
    "government": {"programmatic": 42, "policy": 28, "advocacy": 22, "financial": 3, "in_kind": 5},
    "private_sector": {"programmatic": 56, "advocacy": 15, "in_kind": 12, "financial": 10, "policy": 7},
    "civil_society": {"programmatic": 50, "advocacy": 40, "policy": 5, "in_kind": 5},
    "academia": {"programmatic": 60, "advocacy": 25, "policy": 10, "in_kind": 5},
    "un_igo": {"programmatic": 45, "advocacy": 30, "policy": 15, "in_kind": 5, "financial": 5},
    "ifi": {"financial": 60, "programmatic": 30, "advocacy": 5, "policy": 5},
    "donor_agency": {"programmatic": 55, "financial": 20, "advocacy": 15, "policy": 10},
}
# Chance that a pledge of each type states a value, and its median in USD.
VALUE_CHANCE = {"programmatic": 0.85, "financial": 1.0, "in_kind": 0.9, "policy": 0.5, "advocacy": 0.4}
VALUE_MEDIAN_USD = {"programmatic": 1.2e6, "financial": 8e6, "in_kind": 6e5, "policy": 2e5, "advocacy": 1e5}
# Private companies and development banks pledge the big money.
VALUE_FACTOR = {
    "ifi": 12.0, "private_sector": 3.0, "donor_agency": 2.0, "government": 1.0, "un_igo": 0.6,
    "civil_society": 0.08, "academia": 0.08,
}
VALUE_SIGMA = 1.9
SCOPES = {"p2c": (("national", 0.52), ("multi_country", 0.22), ("regional", 0.14), ("global", 0.12)),
          "ap-is": (("national", 0.5), ("multi_country", 0.25), ("regional", 0.25))}
# Chance that a pledge not tied to its lead's own country is aimed at LDCs.
LDC_CHANCE = 0.4
CAMPAIGN_CHANCE = 0.55
CENT = Decimal("0.01")


@dataclass
class PledgePlan:
    """One pledge's content and life, as plain values the writer turns into rows."""

    values: dict
    steps: list
    m2m: dict[str, list[int]]
    targets: list[dict] = field(default_factory=list)
    partners: list[tuple[int, str]] = field(default_factory=list)


class PledgeMaker:
    """Draws pledges one at a time; holds the caches that keep that cheap."""

    def __init__(self, rng: random.Random, ctx: ReferenceContext, pool: EntityPool, campaign_ids: dict[str, int]):
        self.rng, self.ctx, self.pool = rng, ctx, pool
        self.campaigns = {
            slug: [(event, campaign_ids[event.slug]) for event in lifecycle.EVENTS
                   if event.initiative == slug and event.slug in campaign_ids]
            for slug in ctx.initiatives
        }
        self.sdg = _weighted({code: w for code, w in words.SDG_WEIGHTS.items() if code in ctx.sdg_target_ids})
        self.wsis = _weighted({code: w for code, w in words.WSIS_WEIGHTS.items() if code in ctx.wsis_line_ids})
        self.groups = [(ctx.beneficiary_group_ids[code], p) for code, p in words.BENEFICIARY_PROBABILITIES.items()
                       if code in ctx.beneficiary_group_ids]
        self.apis_countries = set(ctx.initiatives["ap-is"].country_ids) if "ap-is" in ctx.initiatives else set()
        self._split_cache: dict = {}

    def make(self, pledge_id: int) -> PledgePlan:
        rng, ctx = self.rng, self.ctx
        initiative = self._initiative()
        event, campaign_id = self._campaign(initiative)
        created = lifecycle.creation_moment(rng, event)
        lead = self.pool.pick_lead(rng, created)
        if initiative.slug == "p2c" and lead.home_country_id in self.apis_countries and rng.random() < 0.3 \
                and "ap-is" in ctx.initiatives:
            initiative, campaign_id = ctx.initiatives["ap-is"], None
        steps = lifecycle.steps_for(rng, created)
        decided = next((s.at for s in steps if s.to_status == "published"), created)
        pledge_type = _choose(rng, TYPE_WEIGHTS[lead.entity_type])
        scope, countries, regions, place = self._beneficiaries(initiative, lead, decided.date())
        start = created.date() + datetime.timedelta(days=rng.randrange(0, 180))
        end = min(start + datetime.timedelta(days=365 * rng.randint(1, 5)), datetime.date(2030, 12, 31))
        action = _choose(rng, dict((a, w) for w, a in words.TITLE_ACTIONS[pledge_type]))
        values = {
            "id": pledge_id,
            "initiative_id": initiative.id,
            "lead_entity_id": lead.id,
            "title": f"{action} in {place}, {start.year}–{end.year}",
            "description": f"{lead.name} commits to {action[0].lower()}{action[1:]} in {place}. "
            + " ".join(rng.sample(words.DESCRIPTIONS, 2)),
            "pledge_type": pledge_type,
            "scope": scope,
            "start_date": start,
            "end_date": end,
            "campaign_id": campaign_id,
            "reporting_reopened_at": None,
            "is_demo": True,
            "created_by_id": None,
            "assigned_to_id": None,
            "created_at": created,
            **self._value(lead, pledge_type, created.year),
        }
        groups = [pk for pk, chance in self.groups if rng.random() < chance]
        m2m = {
            "framework_nodes": sorted(set(rng.sample(initiative.node_ids, min(len(initiative.node_ids), rng.randint(1, 2))))),
            "beneficiary_countries": countries,
            "beneficiary_regions": regions,
            "beneficiary_groups": groups,
            "sdg_targets": self._distinct(self.sdg, rng.randint(1, 3), ctx.sdg_target_ids),
            "wsis_lines": self._distinct(self.wsis, rng.randint(1, 2), ctx.wsis_line_ids),
        }
        plan = PledgePlan(values=values, steps=steps, m2m=m2m)
        plan.targets = self._targets(pledge_type, end)
        if rng.random() < 0.25:
            plan.partners = self._partners(lead, created)
        return plan

    def _initiative(self) -> InitiativeRef:
        ctx = self.ctx
        if "ap-is" in ctx.initiatives and self.rng.random() < 0.08:
            return ctx.initiatives["ap-is"]
        return ctx.initiatives["p2c"]

    def _campaign(self, initiative: InitiativeRef):
        events = self.campaigns.get(initiative.slug) or []
        if not events or self.rng.random() >= CAMPAIGN_CHANCE:
            return None, None
        return self.rng.choices(events, weights=[event.weight for event, _pk in events])[0]

    def _beneficiaries(self, initiative: InitiativeRef, lead: DemoEntity, day: datetime.date):
        """(scope, country ids, region ids, place name); LDC status is read as of `day`."""
        rng, ctx = self.rng, self.ctx
        scope = _choose(rng, dict(SCOPES.get(initiative.slug, SCOPES["p2c"])))
        if scope == "global" or (scope == "regional" and not initiative.regions):
            return "global", [], [], "developing countries worldwide"
        ldc, other = self._split(initiative.slug, tuple(initiative.country_ids), day)
        wants_ldc = rng.random() < LDC_CHANCE
        if scope == "national":
            in_scope = not initiative.country_ids or lead.home_country_id in initiative.country_ids
            if lead.entity_type == "government" and in_scope:
                country = lead.home_country_id
            else:
                country = rng.choice(ldc if wants_ldc and ldc else other)
            return scope, [country], [], ctx.countries[country][1]
        if scope == "multi_country":
            countries = set(rng.sample(other, min(len(other), rng.randint(1, 5))))
            if wants_ldc and ldc:
                countries.add(rng.choice(ldc))
            if len(countries) == 1:  # one country drawn: a national pledge, named after it
                return "national", sorted(countries), [], ctx.countries[next(iter(countries))][1]
            return scope, sorted(countries), [], f"{len(countries)} countries"
        region_id, members = rng.choice(initiative.regions)
        ldc_members, other_members = self._split(region_id, tuple(members), day)
        pool = other_members or ldc_members
        countries = set(rng.sample(pool, min(len(pool), rng.randint(2, 6))))
        if wants_ldc and ldc_members:
            countries.add(rng.choice(ldc_members))
        return scope, sorted(countries), [region_id], ctx.region_names[region_id]

    def _split(self, key, country_ids: tuple, day: datetime.date) -> tuple[list[int], list[int]]:
        """`country_ids` (all countries when empty) split into LDCs on `day` and the rest; cached."""
        ldc_ids = self.ctx.ldc_ids_on(day)
        cache_key = (key, ldc_ids)
        if cache_key not in self._split_cache:
            ids = country_ids or tuple(sorted(self.ctx.countries))
            self._split_cache[cache_key] = (
                [pk for pk in ids if pk in ldc_ids],
                [pk for pk in ids if pk not in ldc_ids],
            )
        return self._split_cache[cache_key]

    def _value(self, lead: DemoEntity, pledge_type: str, year: int) -> dict:
        """Amount in the lead's usual currency, rounded the way pledges are announced, and its USD value."""
        rng, ctx = self.rng, self.ctx
        empty = {"value_amount": None, "value_currency_id": None, "value_year": None, "value_usd": None,
                 "value_usd_provisional": False}
        if rng.random() >= VALUE_CHANCE[pledge_type]:
            return empty
        usd = VALUE_MEDIAN_USD[pledge_type] * VALUE_FACTOR[lead.entity_type] * math.exp(rng.gauss(0, VALUE_SIGMA))
        usd = min(max(usd, 5_000), 5e9)
        currency = lead.currency if rng.random() < 0.8 else "USD"
        value_year = ctx.rate_year(currency, year) if currency != "USD" else year
        if value_year is None or currency not in ctx.currency_ids:
            currency, value_year = "USD", year
        if currency not in ctx.currency_ids:
            return empty
        rate = ctx.rates.get((currency, value_year), Decimal(1)) if currency != "USD" else Decimal(1)
        amount = Decimal(f"{usd / float(rate):.2g}").quantize(CENT)
        return {
            "value_amount": amount,
            "value_currency_id": ctx.currency_ids[currency],
            "value_year": value_year,
            "value_usd": usd_value(amount=amount, currency=currency, year=value_year, rates=ctx.rates),
            "value_usd_provisional": False,
        }

    def _distinct(self, weighted, count: int, ids: dict[str, int]) -> list[int]:
        codes, cum = weighted
        if not codes:
            return []
        picked = set(self.rng.choices(codes, cum_weights=cum, k=count))
        return sorted(ids[code] for code in picked)

    def _targets(self, pledge_type: str, end: datetime.date) -> list[dict]:
        rng = self.rng
        code = words.TARGET_TYPE_CODES[pledge_type]
        options = [t for t in words.TARGETS if code in t[5]]
        chosen = []
        for _attempt in range(rng.randint(1, 3)):
            template = rng.choices(options, weights=[t[0] for t in options])[0]
            if template in chosen:
                continue
            chosen.append(template)
        targets = []
        for order, (_w, description, unit, low, high, _types) in enumerate(chosen):
            number = _round_number(math.exp(rng.uniform(math.log(low), math.log(high))))
            targets.append({
                "description": description.format(n=f"{number:,}"),
                "unit": unit,
                "target_value": Decimal(number),
                "baseline_value": Decimal(0) if rng.random() < 0.3 else None,
                "target_date": end,
                "order": order,
            })
        return targets

    def _partners(self, lead: DemoEntity, created: datetime.datetime) -> list[tuple[int, str]]:
        partners = {}
        for _attempt in range(self.rng.randint(1, 3)):
            partner = self.pool.pick(self.rng, created)
            if partner.id != lead.id:
                partners[partner.id] = self.rng.choice(words.PARTNER_ROLES)
        return sorted(partners.items())


def _choose(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _weighted(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    codes, cum, total = [], [], 0.0
    for code, weight in weights.items():
        total += weight
        codes.append(code)
        cum.append(total)
    return codes, cum


def _round_number(value: float) -> int:
    """Round to two significant figures, as targets are announced ("train 12,000 women")."""
    value = max(1, int(value))
    digits = len(str(value))
    step = 10 ** max(0, digits - 2)
    return max(1, round(value / step) * step)
