"""What the secretariat reports to a governing body on a plan, as of a date: the plan's progress,
the activities done under it and who took part (with the shares of LDCs, LLDCs and SIDS), the
national measures members took, and the ministerial conferences held. The figures the
Commission's session page shows, from the same selectors as every other page."""

from collections import Counter
from dataclasses import dataclass

from coalition.actionplan.models import ActivityKind, Meeting, MeetingKind, Plan
from coalition.actionplan.selectors.activities import (
    ParticipationStats,
    activities_published,
    measures_published,
    participation_stats,
)
from coalition.actionplan.selectors.progress import PlanProgress, plan_progress, versions_at
from coalition.common.asof import AsOf


@dataclass(frozen=True)
class PlanReport:
    plan: Plan
    progress: PlanProgress | None  # None when the plan was not on the platform on the date
    activities: int
    activities_by_kind: list[tuple[str, int]]  # (label, count), most first
    participation: ParticipationStats
    measures: int
    measure_countries: int
    conferences: list[Meeting]


def plan_report(*, plan: Plan, as_of: AsOf) -> PlanReport:
    """The figures on `plan` as of `as_of`. Activities and measures count when published then;
    participation is over the activities published then; conferences are the plan's ministerial
    meetings held by the date."""
    on_date = versions_at(Plan, as_of.moment).filter(id=plan.pk).exists()
    activities = list(activities_published(as_of=as_of))
    kinds = Counter(activity.kind for activity in activities)
    labels = dict(ActivityKind.choices)
    measures = list(measures_published(as_of=as_of).values_list("country_id", flat=True))
    conferences = list(Meeting.objects.filter(
        plan=plan, kind=MeetingKind.MINISTERIAL, start_date__lte=as_of.date).order_by("start_date"))
    return PlanReport(
        plan=plan, progress=plan_progress(plan=plan, as_of=as_of) if on_date else None,
        activities=len(activities),
        activities_by_kind=[(str(labels[kind]), count) for kind, count in kinds.most_common()],
        participation=participation_stats(as_of=as_of, activities=activities),
        measures=len(measures), measure_countries=len(set(measures)), conferences=conferences,
    )
