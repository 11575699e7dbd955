"""What the public pages of the action plans show, as of a moment: the plans, a plan with its
pillars and their actions, a pillar, an action with its deliverables, links and continuations.

Everything is read from the versions current at the moment (`progress.versions_at`), figures
and text alike, so a page as of a past date shows the plan as it stood then: an action added
later is absent, a deliverable's progress is the value it had. The objects returned are model
instances built from those versions (unsaved; for display only).
"""

import datetime
from dataclasses import dataclass

from simple_history.models import HistoricalRecords

from coalition.actionplan.models import Action, Deliverable, Pillar, Plan
from coalition.actionplan.selectors.progress import (
    ActionProgress,
    PillarProgress,
    PlanProgress,
    plan_progress,
    versions_at,
)
from coalition.common.asof import AsOf
from coalition.entities.models import Entity
from coalition.reference.models import Country


class NotOnDate(Exception):
    """The plan, pillar or action exists, but not at the moment asked for (it came later, or
    was removed before): the page says so instead of showing it."""

    def __init__(self, what: str, day: datetime.date):
        super().__init__(what)
        self.what, self.day = what, day


@dataclass(frozen=True)
class ActionRow:
    action: Action
    progress: ActionProgress


@dataclass(frozen=True)
class PillarRow:
    pillar: Pillar
    progress: PillarProgress
    actions: list[ActionRow]


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    progress: PlanProgress


@dataclass(frozen=True)
class PlanPage:
    plan: Plan
    progress: PlanProgress
    pillars: list[PillarRow]
    previous: Plan | None
    next_plans: list[Plan]
    as_of: AsOf

    @property
    def illustrative_actions(self) -> int:
        """How many of the actions shown are illustrative examples (the page says so once, above them)."""
        return sum(row.action.illustrative for pillar in self.pillars for row in pillar.actions)


@dataclass(frozen=True)
class PillarPage:
    plan: Plan
    pillar: Pillar
    progress: PillarProgress
    actions: list[ActionRow]
    as_of: AsOf

    @property
    def illustrative_actions(self) -> int:
        return sum(row.action.illustrative for row in self.actions)


@dataclass(frozen=True)
class Continuation:
    """An action of another plan this one continues, or that continues it."""

    action: Action
    plan: Plan


@dataclass(frozen=True)
class ActionPage:
    plan: Plan
    pillar: Pillar
    action: Action
    progress: ActionProgress
    deliverables: list[Deliverable]
    lead: Entity | None
    partners: list[Entity]
    countries: list[Country]
    continues: Continuation | None
    continued_by: list[Continuation]
    as_of: AsOf


def _instance(version, **related):
    """The model instance a version describes, its foreign keys in `related` already loaded."""
    instance = version.instance
    for name, value in related.items():
        type(instance)._meta.get_field(name).set_cached_value(instance, value)
    return instance


def _plans_at(as_of: AsOf):
    return versions_at(Plan, as_of.moment).select_related("initiative").order_by("initiative__name_en", "start_year")


def plans_as_of(*, as_of: AsOf) -> list[PlanSummary]:
    """Every plan as of `as_of`, with its progress, grouped by initiative and in time order."""
    return [
        PlanSummary(plan=_instance(version, initiative=version.initiative),
                    progress=plan_progress(plan=version.instance, as_of=as_of))
        for version in _plans_at(as_of)
    ]


def plan_for_page(*, slug: str, as_of: AsOf) -> Plan:
    """The plan `slug` as of `as_of`. Raises Plan.DoesNotExist when there is no such plan, and
    NotOnDate when it was not loaded yet at the moment."""
    plan = Plan.objects.get(slug=slug)
    version = _plans_at(as_of).filter(id=plan.pk).first()
    if version is None:
        raise NotOnDate(plan.name, as_of.date)
    return _instance(version, initiative=version.initiative)


def _plan_named(pk: int | None, as_of: AsOf) -> Plan | None:
    version = _plans_at(as_of).filter(id=pk).first() if pk else None
    return _instance(version, initiative=version.initiative) if version else None


def _action_rows(plan: Plan, progress: PlanProgress, as_of: AsOf, **where) -> list[ActionRow]:
    versions = versions_at(Action, as_of.moment).filter(plan_id=plan.pk, **where).order_by("order", "code")
    return [ActionRow(action=_instance(version, plan=plan), progress=progress.by_action[version.id])
            for version in versions]


def plan_page(*, plan: Plan, as_of: AsOf) -> PlanPage:
    """A plan's page: its progress, its pillars in order with their working groups, progress and
    actions, and the plans before and after it, all as of `as_of`."""
    progress = plan_progress(plan=plan, as_of=as_of)
    actions = _action_rows(plan, progress, as_of)
    pillars = []
    for version in versions_at(Pillar, as_of.moment).filter(plan_id=plan.pk).order_by("order", "code"):
        pillar = _instance(version, plan=plan)
        pillars.append(PillarRow(pillar=pillar, progress=progress.by_pillar[version.id],
                                 actions=[row for row in actions if row.action.pillar_id == version.id]))
    next_plans = [_instance(version, initiative=version.initiative)
                  for version in _plans_at(as_of).filter(previous_id=plan.pk)]
    return PlanPage(plan=plan, progress=progress, pillars=pillars, previous=_plan_named(plan.previous_id, as_of),
                    next_plans=next_plans, as_of=as_of)


def _version_for_page(model, *, plan: Plan, code: str, as_of: AsOf, what: str):
    """The version of `plan`'s `model` object `code` at the moment; NotOnDate when it existed at
    another moment only; `model.DoesNotExist` when it never did."""
    versions = model.history.model.objects.filter(plan_id=plan.pk, code=code)
    version = versions.filter(pk__in=versions_at(model, as_of.moment).values("pk")).first()
    if version is not None:
        return version
    if versions.exists():
        raise NotOnDate(what, as_of.date)
    raise model.DoesNotExist


def pillar_page(*, plan: Plan, code: str, as_of: AsOf) -> PillarPage:
    """A pillar's page: its progress and its actions with theirs, as of `as_of`. Raises
    Pillar.DoesNotExist or NotOnDate (see `_version_for_page`)."""
    version = _version_for_page(Pillar, plan=plan, code=code, as_of=as_of, what=f"{plan.short_name}, {code}")
    progress = plan_progress(plan=plan, as_of=as_of)
    return PillarPage(plan=plan, pillar=_instance(version, plan=plan), progress=progress.by_pillar[version.id],
                      actions=_action_rows(plan, progress, as_of, pillar_id=version.id), as_of=as_of)


def _linked(version, name: str, target: str) -> list:
    rows = HistoricalRecords.m2m_models[Action._meta.get_field(name)].objects.filter(history_id=version.history_id)
    return sorted((getattr(row, target) for row in rows.select_related(target)), key=str)


def _continuation(version, as_of: AsOf) -> Continuation:
    plan = _plan_named(version.plan_id, as_of) or Plan.objects.select_related("initiative").get(pk=version.plan_id)
    return Continuation(action=_instance(version, plan=plan), plan=plan)


def action_page(*, plan: Plan, code: str, as_of: AsOf) -> ActionPage:
    """An action's page as of `as_of`: its text, lead, partners, countries, deliverables in
    order, progress, the action of the previous plan it continues and those of later plans
    continuing it. Raises Action.DoesNotExist or NotOnDate (see `_version_for_page`)."""
    version = _version_for_page(Action, plan=plan, code=code, as_of=as_of, what=f"{plan.short_name}, {code}")
    progress = plan_progress(plan=plan, as_of=as_of)
    pillar_version = versions_at(Pillar, as_of.moment).get(id=version.pillar_id)
    pillar = _instance(pillar_version, plan=plan)
    action = _instance(version, plan=plan, pillar=pillar)
    deliverables = [_instance(row, action=action) for row in
                    versions_at(Deliverable, as_of.moment).filter(action_id=version.id).order_by("order", "code")]
    continues = None
    if version.continues_id:
        earlier = versions_at(Action, as_of.moment).filter(id=version.continues_id).first()
        continues = _continuation(earlier, as_of) if earlier else None
    later = versions_at(Action, as_of.moment).filter(continues_id=version.id).order_by("plan_id", "order", "code")
    return ActionPage(
        plan=plan, pillar=pillar, action=action, progress=progress.by_action[version.id], deliverables=deliverables,
        lead=Entity.objects.filter(pk=version.lead_id).first() if version.lead_id else None,
        partners=_linked(version, "partners", "entity"), countries=_linked(version, "countries", "country"),
        continues=continues, continued_by=[_continuation(row, as_of) for row in later], as_of=as_of,
    )


def action_for_update(*, plan_slug: str, code: str) -> Action:
    """The live action `code` of plan `plan_slug` with its pillar, plan and deliverables, for the
    update page. Raises Action.DoesNotExist."""
    return (Action.objects.select_related("plan", "pillar").prefetch_related("deliverables")
            .get(plan__slug=plan_slug, code=code))
