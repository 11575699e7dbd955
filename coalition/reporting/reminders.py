"""Reminders for due and overdue progress reports, and the secretariat's follow-up overview.

The rule: a published pledge whose reporting status (`status.status_on`) is due or overdue gets
one reminder per status per reporting cycle; a pledge whose reporting has closed (completed,
discontinued, ended) gets none. Past its end date the report asked for is the final one. The period key is the status and the
date the pledge's clock started (publication, or the last accepted report), so accepting a
report starts a new cycle that allows new reminders. Recipients are the lead entity's focal
points with an active account who have not turned report reminders off. Each e-mail is logged
in `accounts.SentNotification` before it is sent, and the log's unique constraint keeps it to
once per period whatever the number of workers or reruns.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from coalition.accounts.mail import mail_send
from coalition.accounts.models import NotificationKind, NotificationPreferences, SentNotification, User
from coalition.accounts.roles import user_is_reviewer
from coalition.accounts.services import notification_claim
from coalition.entities.models import Entity, FocalPoint
from coalition.pledges.models import Pledge
from coalition.reporting.selectors import annotated_facts, pledge_list_with_reporting_status, reports_due_by_entity
from coalition.reporting.status import ReportingStatus, clock_start_on

logger = logging.getLogger(__name__)


REMINDER_STATUSES = (ReportingStatus.DUE, ReportingStatus.OVERDUE)


FOLLOW_UP_STATUSES = (ReportingStatus.DUE, ReportingStatus.OVERDUE, ReportingStatus.INACTIVE)


REMINDER_TEMPLATE = "reporting/email/report_reminder"


def reminder_object_key(pledge_id: int) -> str:
    return f"pledge:{pledge_id}"


def reminder_period_key(*, status: str, clock_started: datetime.date, final: bool = False) -> str:
    """One period per status per cycle: e.g. `due:2025-03-01`; the final report's are periods of
    their own (`due:2025-03-01:final`), so that the end date brings a reminder of it."""
    return f"{status}:{clock_started.isoformat()}" + (":final" if final else "")


@dataclass(frozen=True)
class Reminder:
    """One reminder e-mail to send: this pledge's report is `status`, to this person."""

    pledge: Pledge
    status: str
    clock_started: datetime.date
    recipient: User
    final: bool = False  # the pledge is past its end date: the report asked for is its final one

    @property
    def object_key(self) -> str:
        return reminder_object_key(self.pledge.pk)

    @property
    def period_key(self) -> str:
        return reminder_period_key(status=self.status, clock_started=self.clock_started, final=self.final)


def report_reminders_pending(*, today: datetime.date) -> list[Reminder]:
    """The reminders to send on `today`: one per pledge due or overdue and per focal point of its
    lead entity with an active account and report reminders on, leaving out those already sent
    for the same period. Pledges oldest clock first. Four queries.
    """
    pledges = list(
        pledge_list_with_reporting_status(today=today)
        .filter(reporting_status__in=list(REMINDER_STATUSES))
        .order_by("reporting_start", "id")
    )
    if not pledges:
        return []
    focal_points = FocalPoint.objects.filter(
        entity_id__in={p.lead_entity_id for p in pledges}, user__is_active=True
    ).select_related("user").order_by("user__email", "pk")
    users_by_entity: dict[int, dict[int, User]] = {}
    for focal_point in focal_points:
        users_by_entity.setdefault(focal_point.entity_id, {})[focal_point.user_id] = focal_point.user
    user_ids = {uid for users in users_by_entity.values() for uid in users}
    opted_out = set(
        NotificationPreferences.objects.filter(user_id__in=user_ids, report_reminder=False).values_list(
            "user_id", flat=True
        )
    )
    already_sent = set(
        SentNotification.objects.filter(
            kind=NotificationKind.REPORT_REMINDER, object_key__in=[reminder_object_key(p.pk) for p in pledges]
        ).values_list("recipient_id", "object_key", "period_key")
    )
    reminders = []
    for pledge in pledges:
        # Past its end date the final report runs on its own clock (`status.clock_start_on`), so
        # its reminders are a new period even when the yearly one was already reminded.
        clock = clock_start_on(annotated_facts(pledge), today)
        final = pledge.end_date is not None and today > pledge.end_date
        for user_id, user in users_by_entity.get(pledge.lead_entity_id, {}).items():
            reminder = Reminder(
                pledge=pledge, status=pledge.reporting_status, clock_started=clock, recipient=user, final=final,
            )
            if user_id in opted_out or not user.email:
                continue
            if (user_id, reminder.object_key, reminder.period_key) in already_sent:
                continue
            reminders.append(reminder)
    return reminders


def last_reminders_for(*, pledge_ids) -> dict[int, SentNotification]:
    """The latest report reminder sent about each pledge (any recipient), by pledge id. One query."""
    keys = {reminder_object_key(pk): pk for pk in pledge_ids}
    latest: dict[int, SentNotification] = {}
    rows = SentNotification.objects.filter(
        kind=NotificationKind.REPORT_REMINDER, object_key__in=list(keys)
    ).order_by("sent_at", "pk")
    for row in rows:
        latest[keys[row.object_key]] = row
    return latest


@dataclass(frozen=True)
class FollowUpPledge:
    pledge: Pledge
    status: str
    days_since_clock: int
    last_reminder: SentNotification | None


@dataclass(frozen=True)
class FollowUpEntity:
    entity: Entity
    pledges: list[FollowUpPledge]
    focal_points: list[FocalPoint]


@dataclass(frozen=True)
class FollowUpOverview:
    today: datetime.date
    counts: dict[str, int]
    entities: list[FollowUpEntity] = field(default_factory=list)
    page: Page | None = None  # which entities of all those selected `entities` holds


def followup_overview(
    *, today: datetime.date, status: str = "", page: int | str | None = 1, per_page: int = 25
) -> FollowUpOverview:
    """For the secretariat's follow-up page: counts of due, overdue and inactive pledges, and each
    entity with its pledges in `status` (all three when empty), the days since each pledge's clock
    started, the last reminder sent and the entity's focal points; `per_page` entities at a time
    (entities by name), counts over all. Private data: reviewers only. Three queries.
    """
    groups = reports_due_by_entity(today=today, statuses=FOLLOW_UP_STATUSES)
    counts = {s.value: sum(len(getattr(g, s.value)) for g in groups) for s in FOLLOW_UP_STATUSES}
    wanted = [s for s in FOLLOW_UP_STATUSES if not status or s == status]
    selected = [(g, [p for s in wanted for p in getattr(g, s)]) for g in groups]
    selected = [(g, sorted(ps, key=lambda p: (p.reporting_start, p.pk))) for g, ps in selected if ps]
    shown = Paginator(selected, per_page).get_page(page)
    selected = list(shown)
    reminders = last_reminders_for(pledge_ids=[p.pk for _g, ps in selected for p in ps])
    contacts: dict[int, list[FocalPoint]] = {}
    for focal_point in FocalPoint.objects.filter(entity_id__in=[g.entity.pk for g, _ps in selected]):
        contacts.setdefault(focal_point.entity_id, []).append(focal_point)
    entities = [
        FollowUpEntity(
            entity=group.entity,
            pledges=[
                FollowUpPledge(
                    pledge=p,
                    status=p.reporting_status,
                    days_since_clock=(today - p.reporting_start).days,
                    last_reminder=reminders.get(p.pk),
                )
                for p in pledges
            ],
            focal_points=contacts.get(group.entity.pk, []),
        )
        for group, pledges in selected
    ]
    return FollowUpOverview(today=today, counts=counts, entities=entities, page=shown)


def report_reminder_send(*, reminder: Reminder) -> bool:
    """Log and e-mail one reminder, in the recipient's language; False when it was already sent.

    The log row is inserted first, in the transaction that sends: only the process that inserted
    it sends, and a failed send rolls the row back so the next run tries again.
    """
    with transaction.atomic():
        claimed = notification_claim(
            kind=NotificationKind.REPORT_REMINDER,
            recipient=reminder.recipient,
            object_key=reminder.object_key,
            period_key=reminder.period_key,
        )
        if claimed is None:
            return False
        site = settings.COALITION_SITE_URL.rstrip("/")
        mail_send(
            user=reminder.recipient,
            template=REMINDER_TEMPLATE,
            context={
                "pledge": reminder.pledge,
                "entity": reminder.pledge.lead_entity,
                "overdue": reminder.status == ReportingStatus.OVERDUE,
                "final": reminder.final,
                "clock_started": reminder.clock_started,
                "inactive_on": reminder.clock_started
                + datetime.timedelta(days=settings.COALITION_REPORT_INACTIVE_AFTER_DAYS),
                "my_pledges_url": site + reverse("reporting:mine"),
                "notifications_url": site + reverse("accounts:notifications"),
            },
        )
    return True


def report_reminders_send(*, today: datetime.date) -> list[Reminder]:
    """Send every reminder pending on `today` (`report_reminders_pending`); return those sent.

    Each reminder is its own transaction: one that fails is logged and left for the next run,
    the others still go out. Safe to run again or in parallel: nothing is sent twice per period.
    """
    sent = []
    for reminder in report_reminders_pending(today=today):
        try:
            if report_reminder_send(reminder=reminder):
                sent.append(reminder)
        except Exception:
            logger.exception("Report reminder for pledge %s to %s failed", reminder.pledge.pk, reminder.recipient.pk)
    return sent


def report_reminders_enqueue(*, actor, today: datetime.date | None = None):
    """Queue the `send_report_reminders` task (the secretariat's "Send reminders now"); returns
    its TaskResult. Reviewers and administrators only.
    """
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat sends reminders."))
    from coalition.reporting.tasks import send_report_reminders

    return send_report_reminders.enqueue(today=today.isoformat() if today else None)
