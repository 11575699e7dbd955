"""When demo pledges happen: the events they are announced at and the workflow steps they go through.

Every step follows the table in `workflow.py`, so a demo pledge's transitions and versions
look exactly like ones written by the services.
"""

import datetime
import random
from dataclasses import dataclass

from coalition.demo import vocabulary as words
from coalition.pledges.models import Action, Status
from coalition.pledges.workflow import PLEDGE_WORKFLOW

UTC = datetime.UTC
FIRST_DAY = datetime.date(2021, 10, 1)
# Fixed rather than "today", so the same seed gives the same data whenever it runs.
LAST_MOMENT = datetime.datetime(2026, 11, 15, 18, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Event:
    slug: str
    name: str
    initiative: str
    start: datetime.date
    end: datetime.date
    location: str
    iso3: str
    weight: int


EVENTS = [
    Event("p2c-roundtable-2021", "Partner2Connect Digital Development Roundtable", "p2c",
          datetime.date(2021, 9, 7), datetime.date(2021, 9, 9), "Online", "", 3),
    Event("wtdc-22", "World Telecommunication Development Conference (WTDC-22)", "p2c",
          datetime.date(2022, 6, 6), datetime.date(2022, 6, 16), "Kigali", "RWA", 30),
    Event("pp-22", "ITU Plenipotentiary Conference (PP-22)", "p2c",
          datetime.date(2022, 9, 26), datetime.date(2022, 10, 14), "Bucharest", "ROU", 10),
    Event("wsis-forum-2023", "WSIS Forum 2023", "p2c",
          datetime.date(2023, 3, 13), datetime.date(2023, 3, 17), "Geneva", "CHE", 6),
    Event("wsis-forum-2024", "WSIS Forum 2024", "p2c",
          datetime.date(2024, 5, 27), datetime.date(2024, 5, 31), "Geneva", "CHE", 6),
    Event("escap-ministerial-2024", "ESCAP Ministerial Conference on Digital Inclusion and Transformation 2024",
          "ap-is", datetime.date(2024, 9, 3), datetime.date(2024, 9, 5), "Astana", "KAZ", 10),
    Event("wsis-forum-2025", "WSIS Forum 2025", "p2c",
          datetime.date(2025, 7, 7), datetime.date(2025, 7, 11), "Geneva", "CHE", 5),
    Event("wtdc-25", "World Telecommunication Development Conference (WTDC-25)", "p2c",
          datetime.date(2025, 11, 17), datetime.date(2025, 11, 28), "Baku", "AZE", 10),
    Event("wsis-forum-2026", "WSIS Forum 2026", "p2c",
          datetime.date(2026, 7, 6), datetime.date(2026, 7, 10), "Geneva", "CHE", 4),
    Event("pp-26", "ITU Plenipotentiary Conference (PP-26)", "p2c",
          datetime.date(2026, 11, 9), datetime.date(2026, 11, 27), "Doha", "QAT", 3),
]

# Where a pledge ends up, and the share of pledges that end up there.
FINAL_STATES = [
    (Status.PUBLISHED, 0.87),
    (Status.WITHDRAWN, 0.02),
    (Status.REJECTED, 0.02),
    (Status.CHANGES_REQUESTED, 0.025),
    (Status.IN_REVIEW, 0.02),
    (Status.SUBMITTED, 0.02),
    (Status.DRAFT, 0.025),
]
_FINAL_CUM = []
_total = 0.0
for _status, _share in FINAL_STATES:
    _total += _share
    _FINAL_CUM.append(_total)

# Days between steps: (least, most) after the previous step.
GAP_DAYS = {
    Action.SUBMIT: (0, 14),
    Action.START_REVIEW: (1, 10),
    Action.PUBLISH: (1, 21),
    Action.REQUEST_CHANGES: (2, 15),
    Action.REJECT: (5, 30),
    Action.WITHDRAW: (30, 700),
}


@dataclass(frozen=True)
class Step:
    action: str
    from_status: str
    to_status: str
    at: datetime.datetime
    comment: str


def creation_moment(rng: random.Random, event: Event | None) -> datetime.datetime:
    """When the draft was created: in the weeks before its event, or any day of the demo period."""
    if event is not None:
        day = event.start - datetime.timedelta(days=rng.randrange(0, 40))
        day = max(day, FIRST_DAY)
    else:
        span = (LAST_MOMENT.date() - FIRST_DAY).days
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
    return datetime.datetime(day.year, day.month, day.day, rng.randrange(7, 18), rng.randrange(60), tzinfo=UTC)


def steps_for(rng: random.Random, created: datetime.datetime) -> list[Step]:
    """The workflow steps of one pledge from its creation, stopping at the demo's last moment.

    A pledge whose next step would fall after `LAST_MOMENT` stays where it is, which is why
    the most recent pledges are the ones still waiting for review.
    """
    final = FINAL_STATES[_index(_FINAL_CUM, rng.random())][0]
    plan = _plan(rng, final)
    steps = []
    status, moment = Status.DRAFT, created
    for action in plan:
        least, most = GAP_DAYS[action]
        moment = moment + datetime.timedelta(days=rng.randint(least, most), minutes=rng.randrange(1, 480))
        if moment > LAST_MOMENT:
            break
        transition = PLEDGE_WORKFLOW.transition(action)
        assert status in transition.sources, f"demo plan breaks the workflow: {action} from {status}"
        target = transition.target
        comment = ""
        if transition.comment_required:
            choices = words.REJECTED_COMMENTS if action == Action.REJECT else words.CHANGES_REQUESTED_COMMENTS
            comment = rng.choice(choices)
        steps.append(Step(action, status, target, moment, comment))
        status = target
    return steps


def _plan(rng: random.Random, final: str) -> list[str]:
    submit, review = Action.SUBMIT, Action.START_REVIEW
    if final == Status.DRAFT:
        return []
    if final == Status.SUBMITTED:
        return [submit]
    if final == Status.IN_REVIEW:
        return [submit, review]
    if final == Status.CHANGES_REQUESTED:
        return [submit, review, Action.REQUEST_CHANGES] if rng.random() < 0.5 else [submit, Action.REQUEST_CHANGES]
    if final == Status.REJECTED:
        return [submit, review, Action.REJECT]
    published = _published_plan(rng)
    if final == Status.WITHDRAWN:
        return published + [Action.WITHDRAW] if rng.random() < 0.7 else [submit, Action.WITHDRAW]
    return published


def _published_plan(rng: random.Random) -> list[str]:
    draw = rng.random()
    if draw < 0.12:
        return [Action.SUBMIT, Action.START_REVIEW, Action.REQUEST_CHANGES, Action.SUBMIT, Action.PUBLISH]
    if draw < 0.5:
        return [Action.SUBMIT, Action.START_REVIEW, Action.PUBLISH]
    return [Action.SUBMIT, Action.PUBLISH]


def _index(cumulative: list[float], draw: float) -> int:
    for index, bound in enumerate(cumulative):
        if draw < bound:
            return index
    return len(cumulative) - 1
