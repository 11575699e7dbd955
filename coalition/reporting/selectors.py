"""Reads of the progress-report cycle: reporting status for lists, what is due by entity, and
pledged versus delivered. Views, API, admin and commands all call these.

The reporting status is decided by `status.reporting_status`; the annotation here is the
same rule written for the database (the tests hold the two together at every boundary).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.common.history import Change
from coalition.common.queues import queue_assigned, queue_search
from coalition.entities.models import Entity
from coalition.entities.selectors import access_requests_pending_for
from coalition.pledges.models import PENDING_VALUE, Pledge, PledgeRevision, PledgeTarget, RevisionStatus
from coalition.pledges.models import Status as PledgeStatus
from coalition.reporting.models import (
    LATEST_FIRST,
    PENDING_DISBURSED,
    ImplementationStatus,
    ProgressReport,
    ReportAction,
    ReportStatus,
)
from coalition.reporting.status import (
    CLOSING_STATUSES,
    ENDED,
    ReportingFacts,
    ReportingStatus,
    pledge_facts,
    reporting_periods,
    status_on,
)
from coalition.reporting.workflow import REPORT_EDITABLE_STATES


def _accepted(pledge_ref=OuterRef("pk"), reports: QuerySet | None = None) -> QuerySet:
    reports = ProgressReport.objects.all() if reports is None else reports
    return reports.filter(pledge_id=pledge_ref, status=ReportStatus.ACCEPTED)


# Before any report: a reopening compared with a null moment.
_NEVER = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


def _since_reopened(accepted: QuerySet) -> QuerySet:
    """The accepted reports submitted since the pledge's reporting was last reopened (all of them
    when it never was): only those can close it."""
    return accepted.filter(submitted_at__gt=Coalesce(OuterRef("reporting_reopened_at"), Value(_NEVER)))


def pledge_closing(pledge: Pledge) -> str:
    """What the pledge's accepted reports close its reporting with ("completed", "discontinued",
    "ended" or ""; see `status.ReportingFacts`). Two queries at most."""
    accepted = ProgressReport.objects.filter(pledge=pledge, status=ReportStatus.ACCEPTED)
    if pledge.reporting_reopened_at is not None:
        accepted = accepted.filter(submitted_at__gt=pledge.reporting_reopened_at)
    current = accepted.order_by(*LATEST_FIRST).values_list("implementation_status", flat=True).first()
    if current in CLOSING_STATUSES:
        return current
    if pledge.end_date is not None and accepted.filter(period_end__gte=pledge.end_date).exists():
        return ENDED
    return ""


def pledge_last_accepted_at(pledge: Pledge) -> datetime.datetime | None:
    """When the pledge's last accepted report was submitted (the moment its clock restarted)."""
    return (
        ProgressReport.objects.filter(pledge=pledge, status=ReportStatus.ACCEPTED)
        .order_by("-submitted_at").values_list("submitted_at", flat=True).first()
    )


def pledge_reporting_facts(pledge: Pledge) -> ReportingFacts | None:
    """`status.pledge_facts` for one pledge, looking up its reports (three queries at most)."""
    return pledge_facts(pledge, last_accepted=pledge_last_accepted_at(pledge), closing=pledge_closing(pledge))


def pledge_reporting_status(pledge: Pledge, *, today: datetime.date) -> ReportingStatus | None:
    """`status.status_on` for one pledge (three queries at most)."""
    facts = pledge_reporting_facts(pledge)
    return None if facts is None else status_on(facts, today)


def pledge_annotate_reporting_status(
    queryset: QuerySet, *, today: datetime.date, reports: QuerySet | None = None
) -> QuerySet:
    """Annotate each pledge with `last_accepted_at`, `reporting_closing`, `reporting_start` (the
    day its clock last started) and `reporting_status` (a ReportingStatus value, or None when the
    pledge does not report), in the same query as the list.

    `queryset` holds pledges, or pledge versions (`explore.registry`: the registry at a past
    moment); `reports` is then the report versions current at that moment (live reports by
    default).
    """
    last_accepted = Subquery(
        _accepted(OuterRef("id"), reports).order_by("-submitted_at").values("submitted_at")[:1],
        output_field=DateTimeField(),
    )
    return _annotate_status(queryset, last_accepted, today=today, reports=reports)


def annotated_facts(pledge) -> ReportingFacts:
    """The `ReportingFacts` of a pledge annotated by `pledge_annotate_reporting_status`."""
    return ReportingFacts(start=pledge.reporting_start, end=pledge.end_date, reopened=pledge.reopened_day,
                          closing=pledge.reporting_closing)


def _closing(reports: QuerySet | None) -> tuple[Case, Subquery, Exists]:
    """The database's `pledge_closing` (a Case over the two annotations it reads: the current
    report's implementation status since a reopening, and whether a final report is in), and
    those two, to annotate as `reporting_current` and `reporting_final`."""
    since = _since_reopened(_accepted(OuterRef("id"), reports))
    current = Subquery(since.order_by(*LATEST_FIRST).values("implementation_status")[:1])
    final = Exists(since.filter(period_end__gte=OuterRef("end_date")))
    return Case(
        When(Q(reporting_current__in=CLOSING_STATUSES), then=F("reporting_current")),
        When(Q(reporting_final=True), then=Value(ENDED)),
        default=Value(""), output_field=CharField(),
    ), current, final


def _annotate_status(queryset: QuerySet, last_accepted, *, today: datetime.date, reports=None) -> QuerySet:
    """`status.status_on` written for the database: compare each pledge's clock with `today`
    less each period (the final report's clock, past the end date, as `ReportingFacts.final_start`
    puts it)."""
    due, overdue, inactive = reporting_periods()
    closing, current, final = _closing(reports)
    start = TruncDate(Greatest(
        F("published_at"), Coalesce(F("last_accepted_at"), F("published_at")),
        Coalesce(F("reporting_reopened_at"), F("published_at")),
    ))
    past_end = Q(end_date__lt=today)

    def reached(days: int) -> Q:
        """The status `days` after the clock started is reached on `today`."""
        limit = today - datetime.timedelta(days=days)
        final_clock = Q(end_date__lte=limit + datetime.timedelta(days=due - 1)) & (
            Q(reopened_day__isnull=True) | Q(reopened_day__lte=limit))
        return Q(reporting_start__lte=limit) | (past_end & final_clock)

    return queryset.annotate(
        last_accepted_at=last_accepted, reporting_current=current, reporting_final=final,
        reopened_day=TruncDate("reporting_reopened_at"),
    ).annotate(
        reporting_start=start, reporting_closing=closing,
    ).annotate(
        reporting_status=Case(
            When(~Q(status=PledgeStatus.PUBLISHED, published_at__isnull=False), then=Value(None)),
            When(~Q(reporting_closing=""), then=F("reporting_closing")),
            When(past_end & reached(inactive), then=Value(ReportingStatus.ENDED_UNREPORTED)),
            When(reached(inactive), then=Value(ReportingStatus.INACTIVE)),
            When(reached(overdue), then=Value(ReportingStatus.OVERDUE)),
            When(reached(due), then=Value(ReportingStatus.DUE)),
            default=Value(ReportingStatus.ON_TIME),
            output_field=CharField(null=True),
        )
    )


def pledge_count_by_reporting_status(
    queryset: QuerySet, *, today: datetime.date, reports: QuerySet | None = None
) -> dict[str, int]:
    """{reporting status: pledges of `queryset`} in one query, pledges that do not report left
    out. The same rule and arguments as `pledge_annotate_reporting_status`. On PostgreSQL each
    pledge's last accepted report is found by one grouped join (a quarter of the time of a
    lookup per pledge over a whole registry); SQLite is faster with the lookup per pledge.
    """
    if connection.vendor != "postgresql" or reports is not None:
        rows = (
            pledge_annotate_reporting_status(queryset.order_by(), today=today, reports=reports)
            .values("reporting_status").annotate(n=Count("pk")).order_by()
        )
        return {row["reporting_status"]: row["n"] for row in rows if row["reporting_status"]}
    last_accepted = Max("progress_reports__submitted_at", filter=Q(progress_reports__status=ReportStatus.ACCEPTED))
    per_pledge = _annotate_status(queryset.order_by(), last_accepted, today=today)
    counts = per_pledge.aggregate(**{
        status: Count("pk", filter=Q(reporting_status=status)) for status in ReportingStatus.values
    })
    return {status: n for status, n in counts.items() if n}


def pledge_list_with_reporting_status(
    *, today: datetime.date, queryset: QuerySet[Pledge] | None = None
) -> QuerySet[Pledge]:
    """Published pledges (or `queryset`) with their reporting status, ready for a list page:
    lead entity and initiative are joined, the status annotated; a constant number of queries
    whatever the length of the list.
    """
    if queryset is None:
        queryset = Pledge.objects.filter(status=PledgeStatus.PUBLISHED)
    return pledge_annotate_reporting_status(
        queryset.select_related("lead_entity", "initiative"), today=today
    )


@dataclass(frozen=True)
class EntityFollowUp:
    """One entity's pledges whose report is due or overdue (or that have gone inactive)."""

    entity: Entity
    due: list[Pledge] = field(default_factory=list)
    overdue: list[Pledge] = field(default_factory=list)
    inactive: list[Pledge] = field(default_factory=list)


def reports_due_by_entity(
    *, today: datetime.date, statuses: tuple[str, ...] = (ReportingStatus.DUE, ReportingStatus.OVERDUE)
) -> list[EntityFollowUp]:
    """For the secretariat: each lead entity with its published pledges in `statuses`, entities
    by name, pledges oldest clock first. One query.
    """
    pledges = (
        pledge_list_with_reporting_status(today=today)
        .filter(reporting_status__in=list(statuses))
        .order_by("lead_entity__name", "lead_entity_id", "reporting_start", "id")
    )
    result = []
    for _entity_id, group in groupby(pledges, key=lambda p: p.lead_entity_id):
        rows = list(group)
        follow_up = EntityFollowUp(entity=rows[0].lead_entity)
        for pledge in rows:
            getattr(follow_up, pledge.reporting_status).append(pledge)
        result.append(follow_up)
    return result


@dataclass(frozen=True)
class TargetDelivery:
    target: PledgeTarget
    actual_value: Decimal | None

    @property
    def share(self) -> Decimal | None:
        """Actual over target, in percent (baseline not subtracted), to two decimals."""
        if self.actual_value is None or not self.target.target_value:
            return None
        return (self.actual_value * 100 / self.target.target_value).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class PledgeDelivery:
    """What a pledge promised next to what its latest accepted report says was delivered."""

    pledge: Pledge
    report: ProgressReport | None
    pledged_usd: Decimal | None
    disbursed_usd: Decimal | None
    share_delivered: Decimal | None
    targets: list[TargetDelivery]


def pledge_latest_accepted_report(pledge: Pledge) -> ProgressReport | None:
    """The accepted report with the latest period end: reports are cumulative, so it is the current one."""
    return ProgressReport.objects.filter(pledge=pledge, status=ReportStatus.ACCEPTED).order_by(*LATEST_FIRST).first()


def pledge_delivery(pledge: Pledge) -> PledgeDelivery:
    """Pledged versus delivered for one pledge: pledged USD (the pledge's value), disbursed USD,
    share delivered and target actuals from its latest accepted report. Three queries.
    """
    report = pledge_latest_accepted_report(pledge)
    actuals = {}
    if report is not None:
        actuals = dict(report.target_actuals.values_list("target_id", "actual_value"))
    return PledgeDelivery(
        pledge=pledge,
        report=report,
        pledged_usd=pledge.value_usd,
        disbursed_usd=report.disbursed_usd if report else None,
        share_delivered=report.share_delivered if report else None,
        targets=[TargetDelivery(target=t, actual_value=actuals.get(t.pk)) for t in pledge.targets.all()],
    )


def report_list_for_pledge(pledge: Pledge) -> QuerySet[ProgressReport]:
    """A pledge's reports, latest first (`LATEST_FIRST`), with who submitted and decided."""
    return pledge.progress_reports.select_related("submitted_by", "decided_by", "disbursed_currency").order_by(
        *LATEST_FIRST
    )


def reports_open(pledge) -> QuerySet[ProgressReport]:
    """The pledge's reports still with the pledger (those the workflow lets them edit), latest
    first; `pledge` may be an OuterRef."""
    return ProgressReport.objects.filter(pledge=pledge, status__in=REPORT_EDITABLE_STATES).order_by(*LATEST_FIRST)


def report_open_for(pledge: Pledge) -> ProgressReport | None:
    """The report the pledger is writing on this pledge, if any: the latest still with them."""
    return reports_open(pledge).first()


def pledge_annotate_open_report(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
    """Annotate each pledge with `open_report_id` (see `report_open_for`), or None. One subquery
    in the list's query.
    """
    return queryset.annotate(open_report_id=Subquery(reports_open(OuterRef("pk")).values("pk")[:1]))


# The states the report queue lists: waiting on the secretariat, or back with the pledger.
REPORT_QUEUE_STATES = (ReportStatus.SUBMITTED, ReportStatus.RETURNED)


def report_review_queue(
    *, reviewer=None, status: str = "", initiative=None, assigned: str = "", search: str = "",
) -> list[ProgressReport]:
    """Reports in the secretariat's hands, oldest submission first, with pledge, entity and
    reviewer joined; the same filters as the pledge queue (`pledges.selectors.review_queue`):
    `status` submitted (the default) or returned, `assigned` "me", "none" or "" (everyone),
    the pledge's initiative, and words of the pledge's title or the entity's name.
    """
    reports = ProgressReport.objects.filter(
        status=status if status in REPORT_QUEUE_STATES else ReportStatus.SUBMITTED
    ).select_related("pledge__lead_entity", "pledge__initiative", "submitted_by", "assigned_to")
    if initiative is not None:
        reports = reports.filter(pledge__initiative=initiative)
    reports = queue_assigned(reports, assigned, reviewer)
    reports = reports.order_by("submitted_at", "id")
    if search:
        return queue_search(reports, search, lambda r: r.pledge.title, lambda r: r.pledge.lead_entity.name,
                            lambda r: r.pledge.lead_entity.acronym)
    return list(reports)


def report_for_page(pk: int) -> ProgressReport:
    """One report with what its page shows: pledge, entity, currency, actuals, evidence, decisions."""
    return (
        ProgressReport.objects.select_related(
            "pledge__lead_entity", "pledge__initiative", "pledge__value_currency", "disbursed_currency",
            "submitted_by", "decided_by",
        )
        .prefetch_related("target_actuals__target", "evidence", "transitions__actor")
        .get(pk=pk)
    )


def report_content(report: ProgressReport) -> dict[str, Any]:
    """What a report says, as JSON-ready values (choices as codes, numbers as text), to compare
    two submissions of it (`selectors.report_changes_since_submission`)."""
    def text(value):
        return "" if value is None else format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)

    return {
        "period_end": report.period_end.isoformat(),
        "implementation_status": report.implementation_status,
        "share_delivered": text(report.share_delivered),
        "disbursed_amount": text(report.disbursed_amount),
        "disbursed_currency": report.disbursed_currency.code if report.disbursed_currency_id else "",
        "disbursed_year": text(report.disbursed_year),
        "narrative": report.narrative,
        "challenges": report.challenges,
        "targets": [f"{row.target.description}: {text(row.actual_value)}"
                    for row in report.target_actuals.select_related("target").order_by("target__order", "target_id")],
        "evidence": [row.title for row in report.evidence.order_by("pk")],
    }


def _report_display(name: str, value) -> str:
    if name == "implementation_status" and value:
        return str(ImplementationStatus(value).label)
    if isinstance(value, list):
        return "; ".join(value) or "—"
    return "—" if value in (None, "") else str(value)


def _report_field_label(name: str) -> str:
    if name == "targets":
        return str(_("targets reached"))
    if name == "evidence":
        return str(_("evidence"))
    return str(ProgressReport._meta.get_field(name).verbose_name)


@dataclass(frozen=True)
class ReportResubmission:
    """What a pledger changed in a report between two submissions (or since the latest, while
    it is back with them: `pending`); each change's field is already a label."""

    since: datetime.datetime
    changes: list[Change]
    pending: bool = False


def report_changes_since_submission(report: ProgressReport) -> ReportResubmission | None:
    """The report's twin of `pledges.selectors.pledge_changes_since_submission`."""
    submissions = list(
        report.transitions.filter(action=ReportAction.SUBMIT, content__isnull=False).order_by("-at", "-id")
        .values_list("at", "content")[:2]
    )
    if report.status == ReportStatus.SUBMITTED and len(submissions) == 2:
        (_latest_at, after), (since, before) = submissions
    elif report.status == ReportStatus.RETURNED and submissions:
        (since, before), after = submissions[0], report_content(report)
    else:
        return None
    return ReportResubmission(since=since, pending=report.status == ReportStatus.RETURNED, changes=[
        Change(_report_field_label(name), _report_display(name, before.get(name)), _report_display(name, after[name]))
        for name in after if before.get(name) != after[name]
    ])


# How long the reviewer's home keeps its count of due, overdue and inactive pledges.
FOLLOW_UP_COUNTS_SECONDS = 300


@dataclass(frozen=True)
class ReviewWork:
    """What waits on the secretariat, counted for a reviewer's home page."""

    pledges: dict[str, int]  # waiting, mine, unassigned, with_pledgers
    revisions: int
    reports: dict[str, int]  # waiting, mine, unassigned, with_pledgers
    access_requests: int
    follow_up: dict[str, int]  # due, overdue, inactive
    follow_up_at: datetime.datetime  # when those were counted (see FOLLOW_UP_COUNTS_SECONDS)
    awaiting_rates: int  # pledge values and report amounts with no exchange rate yet


def review_work(*, reviewer, today: datetime.date) -> ReviewWork:
    """Counts of the secretariat's waiting work, as `reviewer` sees it: pledges and reports
    waiting for a decision (all, assigned to them, to nobody; and those back with the pledgers),
    changes to published pledges, access requests they may decide, published pledges whose
    report is due, overdue or inactive on `today`, and values awaiting an exchange rate. A
    handful of counting queries. The reporting statuses are counted over the whole registry
    (about a second at 100,000 pledges on SQLite), so that count is kept for
    FOLLOW_UP_COUNTS_SECONDS and shown with the time it was made; the follow-up page itself
    counts afresh.
    """
    waiting = Q(status__in=[PledgeStatus.SUBMITTED, PledgeStatus.IN_REVIEW])
    pledges = Pledge.objects.aggregate(
        waiting=Count("pk", filter=waiting), mine=Count("pk", filter=waiting & Q(assigned_to=reviewer)),
        unassigned=Count("pk", filter=waiting & Q(assigned_to=None)),
        with_pledgers=Count("pk", filter=Q(status=PledgeStatus.CHANGES_REQUESTED)),
    )
    submitted = Q(status=ReportStatus.SUBMITTED)
    reports = ProgressReport.objects.aggregate(
        waiting=Count("pk", filter=submitted), mine=Count("pk", filter=submitted & Q(assigned_to=reviewer)),
        unassigned=Count("pk", filter=submitted & Q(assigned_to=None)),
        with_pledgers=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
    )
    key = f"coalition:follow-up-counts:{today.isoformat()}"
    statuses, counted_at = cache.get(key) or (None, None)
    if statuses is None:
        statuses = pledge_count_by_reporting_status(Pledge.objects.filter(status=PledgeStatus.PUBLISHED), today=today)
        counted_at = timezone.now()
        cache.set(key, (statuses, counted_at), FOLLOW_UP_COUNTS_SECONDS)
    return ReviewWork(
        pledges=pledges, reports=reports,
        revisions=PledgeRevision.objects.filter(status=RevisionStatus.SUBMITTED).count(),
        access_requests=access_requests_pending_for(user=reviewer).count(),
        follow_up={status: statuses.get(status, 0) for status in (
            ReportingStatus.DUE, ReportingStatus.OVERDUE, ReportingStatus.INACTIVE)}, follow_up_at=counted_at,
        awaiting_rates=Pledge.objects.filter(PENDING_VALUE).count()
        + ProgressReport.objects.filter(PENDING_DISBURSED).count(),
    )
