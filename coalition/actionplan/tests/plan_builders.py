"""What the action-plan structure tests share: the AP-IS initiative with its three framework
nodes, plans built through the services, and the test files' folder."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan
from coalition.actionplan.structure import action_save, record_save
from coalition.reference.models import FrameworkNode, Initiative

DATA = Path(__file__).resolve().parent / "data"


def make_apis() -> Initiative:
    """The AP-IS initiative with its pillars P1–P3 as framework nodes (as reference data loads them)."""
    apis = Initiative.objects.create(slug="ap-is", kind=Initiative.Kind.ACTION_PLAN, name_en="AP-IS",
                                     short_name="AP-IS")
    for order, (code, name) in enumerate([("P1", "Connectivity for all"), ("P2", "Digital technologies and "
                                          "applications"), ("P3", "Digital data")], start=1):
        FrameworkNode.objects.create(initiative=apis, code=code, level="pillar", name_en=name, order=order)
    return apis


def at(day: str) -> datetime.datetime:
    """Noon of `day` (YYYY-MM-DD) in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(12)))


def plan(initiative, slug="test-plan", *, when="2024-01-10", **values) -> Plan:
    made = Plan(initiative=initiative, slug=slug)
    record_save(made, {"name_en": slug, "short_name": slug, "start_year": 2022, "end_year": 2026, **values},
                actor=None, reason="test", at=at(when))
    return made


def pillar(of: Plan, code: str, *, weight="1", when="2024-01-10") -> Pillar:
    made = Pillar(plan=of)
    record_save(made, {"code": code, "name_en": f"Pillar {code}", "weight": Decimal(weight)}, actor=None,
                reason="test", at=at(when))
    return made


def action(of: Pillar, code: str, *, weight="1", when="2024-01-10", **values) -> Action:
    made = Action(plan=of.plan)
    action_save(made, {"pillar": of, "code": code, "title_en": f"Action {code}", "weight": Decimal(weight), **values},
                partners=[], countries=[], actor=None, reason="test", at=at(when))
    return made


def deliverable(of: Action, code: str, *, progress: int, weight="1", status="in_progress",
                when="2024-01-10") -> Deliverable:
    made = Deliverable(action=of)
    record_save(made, {"code": code, "title_en": f"Deliverable {code}", "progress": progress,
                       "weight": Decimal(weight), "status": status}, actor=None, reason="test", at=at(when))
    return made


def update(obj, *, when: str, **values) -> None:
    """Change `obj` with a version dated `when`, as a service would."""
    record_save(obj, values, actor=None, reason="test", at=at(when))
