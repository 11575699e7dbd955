"""The demo's intergovernmental side: the shipped action plans and meetings, and demo activities,
participation, national measures and good practices recorded through the services and dated
over the plan's years.

The plans' structure and the meetings are the platform's own shipped files (real names and dates,
illustrative actions marked as such), loaded as an operator would. Everything else here is made
up, flagged `is_demo` and removed by `demo_reset`: it is written through the same services as
people's records (so it is valid and moderated), then its versions and decisions are moved back
to the day they would have happened, as the demo's pledges are.
"""

import contextlib
import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from coalition.accounts.models import CountryFocalPoint, NotificationPreferences, User
from coalition.actionplan.models import (
    Action,
    Activity,
    ActivityKind,
    MeasureKind,
    Meeting,
    NationalMeasure,
    Participation,
    ReviewStatus,
)
from coalition.actionplan.services.activities import (
    activity_create,
    activity_move,
    participation_move,
    participation_record,
)
from coalition.actionplan.services.measures import measure_create, measure_move
from coalition.actionplan.services.meetings import meetings_load
from coalition.actionplan.services.plans import plans_shipped_load
from coalition.common.actors import SYSTEM
from coalition.common.intervals import intervals_rebuild
from coalition.entities.models import Entity
from coalition.knowledge.models import GoodPractice
from coalition.knowledge.services.practices import practice_create, practice_move
from coalition.pledges.models import Campaign
from coalition.reference.models import Country, CountryGroupMembership

# (kind, title, place, host ISO3 or "", online)
ACTIVITIES = [
    (ActivityKind.WORKSHOP, "Regional workshop on broadband infrastructure mapping", "Bangkok", "THA", True),
    (ActivityKind.TRAINING, "Training of trainers on digital skills for women entrepreneurs", "Almaty", "KAZ", False),
    (ActivityKind.ADVISORY_MISSION, "Advisory mission on the national broadband plan", "Vientiane", "LAO", False),
    (ActivityKind.STUDY, "Study of submarine cable resilience in the Pacific", "", "", True),
    (ActivityKind.EXPERT_MEETING, "Expert group meeting on cross-border fibre links", "Ulaanbaatar", "MNG", True),
    (ActivityKind.POLICY_DIALOGUE, "Policy dialogue on data governance", "Bangkok", "THA", True),
    (ActivityKind.WORKSHOP, "Subregional workshop on repair readiness for single-cable islands", "Suva", "FJI", False),
    (ActivityKind.TRAINING, "Online course on internet exchange points and peering", "", "", True),
    (ActivityKind.WORKSHOP, "Workshop on digital government for landlocked countries", "Tashkent", "UZB", False),
    (ActivityKind.ADVISORY_MISSION, "Advisory mission on e-resilience of critical networks", "Thimphu", "BTN", False),
    (ActivityKind.STUDY, "Review of last-mile business models in rural South Asia", "", "", True),
    (ActivityKind.POLICY_DIALOGUE, "High-level dialogue on financing universal connectivity", "Bangkok", "THA", False),
    (ActivityKind.TRAINING, "Training on ICT statistics and household surveys", "Kathmandu", "NPL", False),
    (ActivityKind.EXPERT_MEETING, "Expert meeting on digital public infrastructure", "Jakarta", "IDN", True),
    (ActivityKind.WORKSHOP, "Workshop on space applications for disaster risk reduction", "Dhaka", "BGD", False),
    (ActivityKind.TRAINING, "Training on cybersecurity incident response for small states", "Apia", "WSM", True),
    (ActivityKind.ADVISORY_MISSION, "Advisory mission on spectrum for rural broadband", "Dushanbe", "TJK", False),
    (ActivityKind.POLICY_DIALOGUE, "Dialogue on artificial intelligence readiness", "Seoul", "KOR", True),
    (ActivityKind.WORKSHOP, "Workshop on open data for sustainable development", "Colombo", "LKA", False),
    (ActivityKind.STUDY, "Study on affordability of mobile broadband in LDCs", "", "", True),
    (ActivityKind.TRAINING, "Training on green data centres", "Kuala Lumpur", "MYS", False),
    (ActivityKind.EXPERT_MEETING, "Expert meeting on the draft action plan 2027–2030", "Bangkok", "THA", True),
]

MEASURES = [
    ("LAO", MeasureKind.POLICY, "National broadband plan 2025–2030 adopted",
     "Sets coverage targets for every district and a universal service fund for remote villages."),
    ("LAO", MeasureKind.PROJECT, "Village connectivity programme launched",
     "Connects 400 remote villages with community Wi-Fi over satellite backhaul by 2027."),
    ("NPL", MeasureKind.POLICY, "Digital Nepal framework revised", "Adds targets for digital skills and rural access."),
    ("MNG", MeasureKind.LAW, "Law on electronic communications amended",
     "Opens passive infrastructure sharing between operators."),
    ("BTN", MeasureKind.INSTITUTION, "National computer incident response team set up",
     "A team within the ministry to respond to incidents on government networks."),
    ("FJI", MeasureKind.PROJECT, "Second submarine cable landing station commissioned",
     "Gives the country a second route to the regional network."),
    ("KAZ", MeasureKind.PROJECT, "Rural fibre programme extended to 3,000 villages", "Fibre to villages of 250 people or more."),
    ("UZB", MeasureKind.POLICY, "Digital Uzbekistan strategy updated", "Adds an open data and statistics chapter."),
    ("BGD", MeasureKind.PROJECT, "Union digital centres upgraded", "Upgrades 1,000 centres with fibre and training."),
    ("TJK", MeasureKind.LAW, "Regulation on spectrum sharing adopted", "Lets operators share low bands for rural coverage."),
    ("WSM", MeasureKind.POLICY, "National cybersecurity strategy adopted", "Sets up incident reporting and training."),
    ("IDN", MeasureKind.PROJECT, "Satellite for public services in service", "Connects schools and clinics in remote islands."),
]

PRACTICES = [
    ("member_state", "LAO", "Community Wi-Fi run by village committees",
     "Remote villages had no coverage and operators saw no business case.",
     "Village committees run community Wi-Fi over satellite backhaul, with a small monthly fee and a local technician.",
     "40 villages online in 18 months; 12,000 people connected; fees cover 70 % of the running costs.",
     "Train two technicians per village so that a departure does not stop the service.", "USD 9,000 per village"),
    ("member_state", "FJI", "Preparing for cable repairs before the cable breaks",
     "A cable cut left the country offline for eleven days while a repair ship was found.",
     "A standing agreement with a repair consortium, spare cable stored locally and a satellite back-up contract.",
     "Repair time in the 2025 drill was 4 days instead of 11.", "Share the spares with neighbours: one store serves three countries.",
     "USD 1.2 million a year, shared"),
    ("member_state", "MNG", "Sharing ducts and towers along the railway",
     "Laying fibre across the steppe was too costly for any one operator.",
     "The railway company leases ducts and towers to every operator at a regulated price.",
     "1,100 km of fibre laid in two years; wholesale prices down 35 %.", "A published price list avoided disputes.", ""),
    ("secretariat", "", "Training of trainers for women entrepreneurs",
     "Women-led small businesses used digital tools less than others.",
     "Trainers from national women's business associations were trained to run local courses.",
     "340 trainers trained; 9,800 women took the courses in 11 countries.",
     "Courses in local languages drew three times as many participants.", "USD 450,000 over three years"),
    ("member_state", "BTN", "An incident response team for a small administration",
     "Government networks had no one in charge of responding to attacks.",
     "A five-person team in the ministry with a partner team abroad for night cover.",
     "Mean time to contain an incident fell from 9 days to 2.", "Start with a partner team rather than 24-hour staff.", ""),
    ("member_state", "NPL", "Household survey questions on ICT use",
     "The country had no recent figure for Internet use by sex and by district.",
     "ICT questions were added to the labour force survey, following the ITU manual.",
     "First district-level figures published; the gender gap measured at 9 points.",
     "Adding questions to an existing survey cost a tenth of a new one.", "USD 60,000"),
]


def _countries(codes) -> dict[str, Country]:
    return {country.iso3: country for country in Country.objects.filter(iso3__in=codes)}


def _escap_countries() -> list[Country]:
    today = timezone.localdate()
    ids = CountryGroupMembership.objects.as_of(today).filter(group__code="ESCAP-MEMBER").values("country_id")
    return list(Country.objects.filter(pk__in=ids).order_by("iso3"))


def _backdate(obj, moment: datetime.datetime) -> None:
    """Move every version and decision of `obj` to `moment` (a second apart, in their order) and
    its submission and publication with them."""
    history = type(obj).history.model
    for offset, pk in enumerate(history.objects.filter(id=obj.pk).order_by("history_date", "history_id")
                                .values_list("history_id", flat=True)):
        history.objects.filter(history_id=pk).update(history_date=moment + datetime.timedelta(seconds=offset))
    for offset, pk in enumerate(obj.transitions.order_by("at", "id").values_list("pk", flat=True)):
        obj.transitions.filter(pk=pk).update(at=moment + datetime.timedelta(seconds=offset + 1))
    last = moment + datetime.timedelta(seconds=obj.transitions.count())
    versions = history.objects.filter(id=obj.pk)
    versions.filter(submitted_at__isnull=False).update(submitted_at=moment)
    versions.filter(published_at__isnull=False).update(published_at=last)
    versions.update(is_demo=True, created_at=moment)
    type(obj).objects.filter(pk=obj.pk).update(
        is_demo=True, created_at=moment, submitted_at=moment if obj.submitted_at else None,
        published_at=last if obj.status == ReviewStatus.PUBLISHED else None,
    )


def _publish(move, obj, *, author, reviewer, **kwargs):
    obj = move(actor=author, action="submit", **kwargs, **{_name(obj): obj})
    return move(actor=reviewer, action="publish", **kwargs, **{_name(obj): obj})


def _name(obj) -> str:
    return {Activity: "activity", Participation: "participation", NationalMeasure: "measure",
            GoodPractice: "practice"}[type(obj)]


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """Working hours of `day`, and never after now."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8), rng.randrange(60))))
    return min(moment, timezone.now() - datetime.timedelta(hours=1))


@contextlib.contextmanager
def _decisions_not_mailed(users):
    """The demo's decisions reach the authors' inboxes, not their mailboxes: e-mails for review
    decisions are off while it writes (the choice is made when each is recorded), then as before."""
    saved = []
    for user in users:
        preferences, _created = NotificationPreferences.objects.get_or_create(user=user)
        saved.append((preferences, preferences.review_decision))
        preferences.review_decision = False
        preferences.save(update_fields=["review_decision"])
    try:
        yield
    finally:
        for preferences, value in saved:
            preferences.review_decision = value
            preferences.save(update_fields=["review_decision"])


def demo_plan_generate(*, seed: int, reviewer: User, administrator: User, country_focal_point: User | None,
                       say: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """See `_generate`; the authors are not e-mailed the demo's decisions."""
    authors = [user for user in (reviewer, administrator, country_focal_point) if user is not None]
    with _decisions_not_mailed(authors):
        return _generate(seed=seed, reviewer=reviewer, administrator=administrator,
                         country_focal_point=country_focal_point, say=say)


@transaction.atomic
def _generate(*, seed: int, reviewer: User, administrator: User, country_focal_point: User | None,
             say: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Load the shipped plans and meetings, link the 2024 ministerial conference to its campaign,
    and write the demo's activities (with participation), national measures and good practices.

    Preconditions: reference data, demo entities and the demo accounts exist. Measures and
    practices of the country `country_focal_point` acts for are recorded by it, the others by the
    `administrator` (who acts for every country); the `reviewer` records activities and decides.
    Returns the number of records written per kind.
    """
    rng = random.Random(seed)
    for run in [*plans_shipped_load(actor=SYSTEM), meetings_load(actor=SYSTEM)]:
        if run.status != run.Status.SUCCEEDED:
            raise ValueError(f"{run.kind} from {run.source} failed: {run.errors[:3]}")
    conference = Meeting.objects.filter(slug="ministerial-conference-2024").first()
    campaign = Campaign.objects.filter(slug="escap-ministerial-2024").first()
    if conference is not None and campaign is not None and conference.campaign_id != campaign.pk:
        conference.campaign = campaign
        conference.save(update_fields=["campaign"])
    say("Loaded the action plans and meetings.")

    actions = list(Action.objects.filter(plan__slug="ap-is-2022-2026").order_by("pillar__order", "order", "code"))
    escap = _escap_countries()
    hosts = _countries({host for *_rest, host, _online in ACTIVITIES if host})
    organisers = list(Entity.objects.filter(is_demo=True, entity_type=Entity.Type.UN_IGO).order_by("pk")[:4]) \
        or list(Entity.objects.filter(is_demo=True).order_by("pk")[:4])
    start = datetime.date(2023, 2, 1)
    span = (timezone.localdate() - datetime.timedelta(days=40) - start).days
    written = {"activities": 0, "participations": 0, "measures": 0, "practices": 0}
    for kind, title, place, host, online in ACTIVITIES:
        first = start + datetime.timedelta(days=rng.randrange(span))
        last = first + datetime.timedelta(days=rng.choice([0, 1, 2, 4]))
        served = rng.sample(actions, k=min(len(actions), rng.choice([1, 1, 2]))) if actions else []
        countries = rng.sample(escap, k=min(len(escap), rng.randrange(3, 9))) if escap else []
        activity = activity_create(actor=reviewer, data={
            "kind": kind, "title": title, "start_date": first, "end_date": last if last != first else None,
            "place": place, "host_country": hosts.get(host), "online": online,
            "description": "Demo record: an activity as the secretariat would record it.",
            "outputs": rng.choice(["A summary of national gaps.", "A toolkit and the presentations.",
                                   "Recommendations to the working group.", ""]),
            "organisers": organisers[:1], "partners": organisers[1:2], "countries": countries,
            "actions": served, "framework_nodes": [],
        })
        activity = _publish(activity_move, activity, author=reviewer, reviewer=reviewer)
        published = _moment(last + datetime.timedelta(days=rng.randrange(3, 15)), rng)
        _backdate(activity, published)
        written["activities"] += 1
        for country in countries:
            women = rng.randrange(0, 9)
            participation = participation_record(actor=reviewer, activity=activity, data={
                "country": country, "women": women, "men": rng.randrange(0 if women else 1, 9),
                "other": rng.choice([0, 0, 0, 1]), "note": "",
            })
            participation = _publish(participation_move, participation, author=reviewer, reviewer=reviewer)
            _backdate(participation, published + datetime.timedelta(days=rng.randrange(1, 20)))
            written["participations"] += 1

    countries = _countries({iso3 for iso3, *_rest in MEASURES} | {iso3 for _by, iso3, *_rest in PRACTICES if iso3})
    for iso3, kind, title, description in MEASURES:
        if iso3 not in countries:
            continue
        author = _country_author(country_focal_point, countries[iso3], administrator)
        adopted = start + datetime.timedelta(days=rng.randrange(span))
        measure = measure_create(actor=author, data={
            "country": countries[iso3], "kind": kind, "title": title, "description": description,
            "adopted_on": adopted, "url": "", "actions": rng.sample(actions, k=1) if actions else [],
            "framework_nodes": [],
        })
        measure = _publish(measure_move, measure, author=author, reviewer=reviewer)
        _backdate(measure, _moment(adopted + datetime.timedelta(days=rng.randrange(10, 60)), rng))
        written["measures"] += 1

    for shared_by, iso3, title, problem, approach, results, lessons, cost in PRACTICES:
        country = countries.get(iso3)
        if shared_by == "member_state" and country is None:
            continue
        author = _country_author(country_focal_point, country, administrator) if country else reviewer
        practice = practice_create(actor=author, data={
            "shared_by": shared_by, "country": country, "title": title,
            "summary": f"{approach.split('.')[0]}.", "problem": problem, "approach": approach,
            "results": results, "lessons": lessons, "cost": cost, "contact_name": "", "contact_email": "",
            "countries": [country] if country else rng.sample(escap, k=min(len(escap), 4)),
            "actions": rng.sample(actions, k=1) if actions else [],
        })
        practice = _publish(practice_move, practice, author=author, reviewer=reviewer)
        _backdate(practice, _moment(start + datetime.timedelta(days=rng.randrange(span)), rng))
        written["practices"] += 1

    for model in (Activity, Participation, NationalMeasure, GoodPractice):
        intervals_rebuild(model.history.model)
    say(f"Wrote {written['activities']} demo activities with {written['participations']} participations, "
        f"{written['measures']} national measures and {written['practices']} good practices.")
    return written


def _country_author(focal_point: User | None, country: Country | None, fallback: User) -> User:
    """The demo's member-state focal point for its own country; `fallback` for the others."""
    if focal_point is not None and country is not None and \
            CountryFocalPoint.objects.filter(user=focal_point, country=country).exists():
        return focal_point
    return fallback
