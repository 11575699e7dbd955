"""A plan's progress as of a moment, rolled up from its deliverables by their stated weights.

The registry's as-of rule: the versions of the plan's pillars, actions and deliverables current
at the moment (`common.intervals.current_at`, deletions left out), so a figure quoted on a date
is rebuilt the same later, and a record that did not exist yet is absent.

- A deliverable counts with its progress (0–100) and weight, unless it is dropped.
- An action's figure is the mean of its counting deliverables weighted by their weights.
  An action with no counting deliverable has no figure and is counted apart ("without
  deliverables"); so is one whose counting deliverables all weigh zero ("unweighted").
- A pillar's figure is the mean of its actions that have a figure, weighted by the actions'
  weights; a pillar with none, or whose measured actions all weigh zero, has no figure.
- The plan's figure is the mean of the pillars that have a figure, weighted by the pillars'
  weights; None when no pillar has one or they all weigh zero.

Zero total weight always means no figure (None), never a division. Sums and means are exact
Decimals (28 significant digits); only the figures returned are rounded, half up, to one
decimal place (`ROUNDING`), so rounding never compounds from one level to the next.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from coalition.actionplan.models import Action, Deliverable, DeliverableStatus, Pillar, Plan
from coalition.common.asof import AsOf
from coalition.common.intervals import current_at

ROUNDING = Decimal("0.1")


def versions_at(model, moment: datetime.datetime) -> QuerySet:
    """The version of every `model` object current at `moment`, deleted ones left out."""
    return model.history.model.objects.filter(current_at(moment)).exclude(history_type="-")


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(ROUNDING, rounding=ROUND_HALF_UP)


def _weighted_mean(parts: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """The mean of (weight, value) pairs weighted by the weights; None when they weigh nothing."""
    total = sum((weight for weight, _value in parts), Decimal(0))
    if total == 0:
        return None
    return sum((weight * value for weight, value in parts), Decimal(0)) / total


@dataclass(frozen=True)
class ActionProgress:
    """An action's progress: `figure` (0–100, one decimal) or None, from `deliverables`
    counting ones (`dropped` ones left out)."""

    action_id: int
    figure: Decimal | None
    deliverables: int
    dropped: int
    as_of: datetime.date
    exact: Decimal | None = field(default=None, repr=False, compare=False)

    @property
    def share(self) -> Decimal | None:
        """The figure as a share between 0 and 1, as the templates' `share` and `meter` filters take it."""
        return None if self.figure is None else self.figure / 100

    @property
    def without_deliverables(self) -> bool:
        return self.deliverables == 0

    @property
    def unweighted(self) -> bool:
        """It has counting deliverables, and they all weigh zero."""
        return self.deliverables > 0 and self.figure is None


@dataclass(frozen=True)
class PillarProgress:
    """A pillar's progress: `figure` from its `actions_covered` of `actions`; the others have no
    deliverables yet (`actions_without_deliverables`) or deliverables that all weigh zero
    (`actions_unweighted`)."""

    pillar_id: int
    figure: Decimal | None
    actions: int
    actions_covered: int
    actions_without_deliverables: int
    actions_unweighted: int
    as_of: datetime.date
    exact: Decimal | None = field(default=None, repr=False, compare=False)

    @property
    def share(self) -> Decimal | None:
        """The figure as a share between 0 and 1, as the templates' `share` and `meter` filters take it."""
        return None if self.figure is None else self.figure / 100

    @property
    def actions_not_counted(self) -> int:
        return self.actions - self.actions_covered


@dataclass(frozen=True)
class PlanProgress:
    """A plan's progress: `figure` from its `pillars_covered` of `pillars` (the rest have no
    measurable action), the action counts summed over every pillar, and each pillar's and each
    action's own progress (`by_pillar`, `by_action`, keyed by id)."""

    plan_id: int
    figure: Decimal | None
    pillars: int
    pillars_covered: int
    actions: int
    actions_covered: int
    actions_without_deliverables: int
    actions_unweighted: int
    as_of: datetime.date
    by_pillar: dict[int, PillarProgress] = field(default_factory=dict, repr=False)
    by_action: dict[int, ActionProgress] = field(default_factory=dict, repr=False)

    @property
    def share(self) -> Decimal | None:
        """The figure as a share between 0 and 1, as the templates' `share` and `meter` filters take it."""
        return None if self.figure is None else self.figure / 100

    @property
    def pillars_not_counted(self) -> int:
        return self.pillars - self.pillars_covered

    @property
    def actions_not_counted(self) -> int:
        return self.actions - self.actions_covered


def plan_progress(*, plan: Plan, as_of: AsOf) -> PlanProgress:
    """The progress of `plan` and of each of its pillars and actions as of `as_of`, in three
    queries. Pillars and actions that did not exist at the moment are absent."""
    moment, day = as_of.moment, as_of.date
    pillars = list(versions_at(Pillar, moment).filter(plan_id=plan.pk).values_list("id", "weight"))
    actions = list(versions_at(Action, moment).filter(plan_id=plan.pk).values_list("id", "pillar_id", "weight"))
    deliverables = defaultdict(list)
    rows = versions_at(Deliverable, moment).filter(action_id__in=[pk for pk, _pillar, _weight in actions])
    for action_id, weight, progress, status in rows.values_list("action_id", "weight", "progress", "status"):
        deliverables[action_id].append((weight, progress, status))

    by_action = {pk: _action(pk, deliverables[pk], day) for pk, _pillar, _weight in actions}
    actions_of = defaultdict(list)
    for pk, pillar_id, weight in actions:
        actions_of[pillar_id].append((weight, by_action[pk]))
    by_pillar = {pk: _pillar(pk, actions_of[pk], day) for pk, _weight in pillars}
    measured = [(weight, by_pillar[pk].exact) for pk, weight in pillars if by_pillar[pk].exact is not None]
    return PlanProgress(
        plan_id=plan.pk, figure=_rounded(_weighted_mean(measured)), pillars=len(pillars),
        pillars_covered=len(measured),
        actions=sum(p.actions for p in by_pillar.values()),
        actions_covered=sum(p.actions_covered for p in by_pillar.values()),
        actions_without_deliverables=sum(p.actions_without_deliverables for p in by_pillar.values()),
        actions_unweighted=sum(p.actions_unweighted for p in by_pillar.values()),
        as_of=day, by_pillar=by_pillar, by_action=by_action,
    )


def _action(pk: int, deliverables: list[tuple], day: datetime.date) -> ActionProgress:
    counting = [(weight, Decimal(progress)) for weight, progress, status in deliverables
                if status != DeliverableStatus.DROPPED]
    exact = _weighted_mean(counting)
    return ActionProgress(action_id=pk, figure=_rounded(exact), deliverables=len(counting),
                          dropped=len(deliverables) - len(counting), as_of=day, exact=exact)


def _pillar(pk: int, actions: list[tuple[Decimal, ActionProgress]], day: datetime.date) -> PillarProgress:
    measured = [(weight, progress.exact) for weight, progress in actions if progress.exact is not None]
    exact = _weighted_mean(measured)
    return PillarProgress(
        pillar_id=pk, figure=_rounded(exact), actions=len(actions), actions_covered=len(measured),
        actions_without_deliverables=sum(progress.without_deliverables for _weight, progress in actions),
        actions_unweighted=sum(progress.unweighted for _weight, progress in actions),
        as_of=day, exact=exact,
    )
