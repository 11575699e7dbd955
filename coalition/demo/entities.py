"""Demo entities: invented organisations of every type, spread over many home countries.

Each entity gets a join date; a pledge only picks a lead or partner among entities that had
joined by the pledge's creation date, so `Entity.history.as_of(d)` and the pledge history agree.
"""

import bisect
import datetime
import random
from dataclasses import dataclass

from coalition.common.spelling import name_key
from coalition.demo import vocabulary as words
from coalition.demo.context import ReferenceContext

UTC = datetime.UTC

# Share of each type among the entities (ITU P2C, Oct 2022: 94 governments of 247 entities).
TYPE_SHARES = [
    ("government", 0.36),
    ("private_sector", 0.26),
    ("civil_society", 0.13),
    ("academia", 0.09),
    ("donor_agency", 0.08),
    ("un_igo", 0.05),
    ("ifi", 0.03),
]
# How much more often an entity of each type leads a pledge, before its own activity level.
LEAD_FACTOR = {
    "government": 1.0, "private_sector": 1.2, "civil_society": 0.8, "academia": 0.6,
    "donor_agency": 1.3, "un_igo": 1.5, "ifi": 1.5,
}
ITU_MEMBERSHIP = {
    "government": "member_state", "private_sector": "sector_member", "academia": "academia",
    "un_igo": "associate", "ifi": "sector_member",
}
FIRST_NAMES = ["Amina", "Kofi", "Mei", "Ravi", "Lucía", "Tariq", "Sione", "Ingrid", "Thabo", "Nadia", "Akira", "Olga"]
LAST_NAMES = ["Otieno", "Mensah", "Chen", "Sharma", "García", "Haddad", "Tupou", "Larsen", "Dlamini", "Karimi", "Sato", "Petrova"]


def entity_count_for(pledges: int) -> int:
    """Entities for a run of `pledges`: 400 at 1,000 pledges, growing with the square root."""
    return max(20, round(400 * (pledges / 1000) ** 0.5))


@dataclass
class DemoEntity:
    id: int
    name: str
    acronym: str
    entity_type: str
    home_country_id: int
    currency: str
    joined_at: datetime.datetime
    weight: float


class EntityPool:
    """Entities in join-date order, to draw leads and partners from by weight."""

    def __init__(self, entities: list[DemoEntity]):
        self.entities = entities
        self.joined = [entity.joined_at for entity in entities]
        self.cum_weights = []
        total = 0.0
        for entity in entities:
            total += entity.weight
            self.cum_weights.append(total)
        self.newcomer = 0  # the first entity, in join order, that has not led a pledge yet

    def pick_lead(self, rng: random.Random, when: datetime.datetime) -> DemoEntity:
        """A newcomer's first pledge when one has joined by `when`, else a weighted pick.

        Entities join a coalition by pledging, so every entity leads at least one pledge
        (given enough pledges after it joined).
        """
        if self.newcomer < len(self.entities) and self.joined[self.newcomer] <= when:
            self.newcomer += 1
            return self.entities[self.newcomer - 1]
        return self.pick(rng, when)

    def pick(self, rng: random.Random, when: datetime.datetime) -> DemoEntity:
        """An entity that had joined by `when`, the active ones more often."""
        eligible = max(1, bisect.bisect_right(self.joined, when))
        index = bisect.bisect_left(self.cum_weights, rng.random() * self.cum_weights[eligible - 1])
        return self.entities[min(index, eligible - 1)]


def make_entities(rng: random.Random, ctx: ReferenceContext, *, count: int, first_id: int) -> list[DemoEntity]:
    """`count` entities with ids from `first_id`, sorted by join date (ids follow that order)."""
    iso3_to_id = {iso3: pk for pk, (iso3, _name) in ctx.countries.items()}
    headquarters = [iso3_to_id[iso3] for iso3 in words.HEADQUARTERS if iso3 in iso3_to_id]
    all_countries = sorted(ctx.countries)
    member_states = list(ctx.member_state_ids)
    rng.shuffle(member_states)
    government_slots = [
        (body, country) for body in range(len(words.GOVERNMENT_BODIES)) for country in member_states
    ]

    types = _type_quotas(count, max_governments=len(government_slots))
    used_names: set[str] = set()
    specs = []
    for number, entity_type in enumerate(types):
        if entity_type == "government":
            body, country_id = government_slots[number]
            template, acronym = words.GOVERNMENT_BODIES[body]
        else:
            pool = headquarters if entity_type in {"private_sector", "ifi", "donor_agency"} and rng.random() < 0.5 else all_countries
            country_id = rng.choice(pool or all_countries)
            template, acronym = None, ""
        iso3, country_name = ctx.countries[country_id]
        name = _unique(_name(rng, entity_type, template, country_name), country_name, used_names)
        if not acronym:
            acronym = "".join(word[0] for word in name.split() if word[0].isupper())[:6]
        else:
            acronym = f"{acronym}-{iso3}"
        currency = words.CURRENCY_BY_HOME.get(iso3, "USD")
        weight = min(rng.paretovariate(1.3), 40.0) * LEAD_FACTOR[entity_type]
        specs.append((entity_type, name, acronym, country_id, currency, weight))

    join_dates = sorted(_join_date(rng) for _spec in specs)
    # Someone has to be there when the first pledge comes in.
    join_dates[0] = datetime.datetime(2021, 9, 1, 9, 0, tzinfo=UTC)
    # Who joined first is random, not "governments first": shuffle the specs against the dates.
    rng.shuffle(specs)
    return [
        DemoEntity(first_id + i, name, acronym, entity_type, country_id, currency, joined, weight)
        for i, ((entity_type, name, acronym, country_id, currency, weight), joined) in enumerate(zip(specs, join_dates))
    ]


def entity_rows(entities: list[DemoEntity]):
    """Each entity's row values by attname, ready for `RowWriter.add_entity`."""
    for entity in entities:
        slug = "".join(ch for ch in entity.name.lower() if ch.isalnum())[:40]
        row = {
            "id": entity.id,
            "name": entity.name,
            "acronym": entity.acronym,
            "entity_type": entity.entity_type,
            "home_country_id": entity.home_country_id,
            "itu_membership": ITU_MEMBERSHIP.get(entity.entity_type, "none"),
            "website": f"https://{slug}.example",
            "description": "Invented organisation generated as demo data; not a real entity.",
            "is_demo": True,
            "search_name": name_key(entity.name),
            "created_at": entity.joined_at,
            "updated_at": entity.joined_at,
        }
        yield row


def focal_point_row(rng: random.Random, entity: DemoEntity, pk: int) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return {
        "id": pk,
        "entity_id": entity.id,
        "user_id": None,
        "name": f"{first} {last}",
        "email": f"focal-point-{entity.id}@example.org",
        "phone": "",
        "position": "Partnerships officer",
        "is_primary": True,
    }


def _type_quotas(count: int, *, max_governments: int) -> list[str]:
    """Entity types in a fixed, count-proportional mix; governments capped by the slots available."""
    types = []
    for entity_type, share in TYPE_SHARES:
        wanted = round(count * share)
        if entity_type == "government":
            wanted = min(wanted, max_governments)
        types.extend([entity_type] * wanted)
    fillers = ["private_sector", "civil_society", "academia"]
    while len(types) < count:
        types.append(fillers[len(types) % len(fillers)])
    return types[:count]


def _name(rng: random.Random, entity_type: str, template: str | None, country: str) -> str:
    stem = rng.choice(words.COMPANY_STEMS)
    if template:
        return template.format(country=country)
    if entity_type == "private_sector":
        return f"{stem} {rng.choice(words.COMPANY_KINDS)} {rng.choice(words.COMPANY_SUFFIXES)}"
    choices = {
        "civil_society": words.CIVIL_SOCIETY,
        "academia": words.ACADEMIA,
        "un_igo": words.UN_IGO,
        "ifi": words.IFIS,
        "donor_agency": words.DONOR_AGENCIES,
    }[entity_type]
    return rng.choice(choices).format(stem=stem, country=country)


def _unique(name: str, country: str, used: set[str]) -> str:
    candidate = name
    if candidate in used:
        candidate = f"{name} ({country})"
    number = 2
    while candidate in used:
        candidate = f"{name} ({country}, {number})"
        number += 1
    used.add(candidate)
    return candidate


def _join_date(rng: random.Random) -> datetime.datetime:
    """Most entities joined at the launch or in the run-up to WTDC-22; the rest over the years."""
    draw = rng.random()
    if draw < 0.15:
        start, days = datetime.date(2021, 9, 1), 45
    elif draw < 0.5:
        start, days = datetime.date(2022, 2, 1), 130
    else:
        start, days = datetime.date(2022, 6, 20), 1560
    day = start + datetime.timedelta(days=rng.randrange(days))
    return datetime.datetime(day.year, day.month, day.day, 9, rng.randrange(60), tzinfo=UTC)
