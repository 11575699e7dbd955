"""Yearly progress reports on demo pledges: who reports, when, how much was delivered, and the decisions.

Only pledges published more than a year before the demo's last moment report. Most report
every past year (period ending 31 December, submitted in the following months, accepted by
the demo reviewer); some lapse, so the follow-up page shows due, overdue and inactive
pledges; a few have a report waiting for review, returned with a comment, or still a draft.
Reporting ends with a report saying the pledge is completed or discontinued, or with the report
of the year the pledge ends (its period reaches the end date: the final report).
Shares delivered and target actuals are cumulative and grow year on year. Drawn from a
random stream of its own, so adding reports left the pledges of each seed as they were.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from coalition.demo import lifecycle
from coalition.demo import vocabulary as words
from coalition.demo.context import ReferenceContext
from coalition.reference.services import usd_value
from coalition.reporting.models import ImplementationStatus, ReportAction, ReportStatus, VerificationLevel

UTC = datetime.UTC
# Share of reporting-age pledges whose lead never reports (they end up due, overdue, inactive).
NEVER_REPORTS = 0.3
# Chance that a reporter stops reporting after some years.
LAPSES = 0.2
# What happens to the latest period's report of a pledge that still reports (shares of those).
LATEST = [(ReportStatus.ACCEPTED, 0.85), (ReportStatus.SUBMITTED, 0.07), (ReportStatus.RETURNED, 0.03),
          (ReportStatus.DRAFT, 0.05)]
# Slow pledges (delivering at under this pace) may be discontinued, with this chance each year
# after their first report; a report saying so, or saying the pledge is completed, is its last.
SLOW = 0.7
DISCONTINUES = 0.12
CLOSING = (ImplementationStatus.COMPLETED, ImplementationStatus.DISCONTINUED)
# Accepted reports that were returned once before being accepted.
RETURNED_FIRST = 0.06
VERIFICATION = [(VerificationLevel.SELF_REPORTED, 0.55), (VerificationLevel.DOCUMENTED, 0.38),
                (VerificationLevel.VERIFIED, 0.07)]


@dataclass
class ReportStep:
    action: str
    from_status: str
    to_status: str
    at: datetime.datetime
    comment: str = ""
    verification_level: str = ""


@dataclass
class ReportPlan:
    """One report's content and decisions, as plain values; actuals follow the pledge's targets."""

    values: dict
    created: datetime.datetime
    steps: list[ReportStep] = field(default_factory=list)
    actuals: list[Decimal] = field(default_factory=list)


class ReportMaker:
    def __init__(self, rng: random.Random, ctx: ReferenceContext, reviewer_id: int | None):
        self.rng, self.ctx, self.reviewer_id = rng, ctx, reviewer_id
        self.currency_codes = {pk: code for code, pk in ctx.currency_ids.items()}

    def make(self, values: dict, published_at: datetime.datetime | None, targets: list[dict]) -> list[ReportPlan]:
        """The reports of one pledge (`values` as written, with its targets), oldest first."""
        if published_at is None or published_at > lifecycle.LAST_MOMENT - datetime.timedelta(days=365):
            return []
        rng = self.rng
        if rng.random() < NEVER_REPORTS:
            return []
        # A period ending within three months of publication is left to the next year's report.
        first = published_at.year if published_at.date() <= datetime.date(published_at.year, 9, 30) else published_at.year + 1
        # The report of the year the pledge ends reaches its end date: the final one.
        years = list(range(first, min(lifecycle.LAST_MOMENT.year, values["end_date"].year + 1)))
        if years and len(years) > 1 and rng.random() < LAPSES:
            years = years[: rng.randint(1, len(years) - 1)]
        pace = rng.uniform(0.45, 1.15)  # delivery against the time elapsed
        share, actuals = 0.0, [int(t["baseline_value"] or 0) for t in targets]
        reports = []
        for index, year in enumerate(years):
            period_end = datetime.date(year, 12, 31)
            submitted = _moment(rng, period_end + datetime.timedelta(days=rng.randint(15, 150)))
            if submitted > lifecycle.LAST_MOMENT:
                break
            latest = index == len(years) - 1
            outcome = _pick(rng, LATEST) if latest else ReportStatus.ACCEPTED
            share = self._share(values, period_end, pace, share)
            actuals = [self._actual(t, share, before) for t, before in zip(targets, actuals)]
            created = submitted - datetime.timedelta(days=rng.randint(1, 20), minutes=rng.randrange(1, 600))
            stopped = index > 0 and pace < SLOW and rng.random() < DISCONTINUES
            content = self._content(values, period_end, share, pace, stopped=stopped)
            report = ReportPlan(values=content, created=created, actuals=[Decimal(actual) for actual in actuals])
            report.steps = self._steps(outcome, submitted)
            reports.append(report)
            if content["implementation_status"] in CLOSING:  # the pledge's reporting closes with it
                break
        return reports

    def _share(self, values: dict, period_end: datetime.date, pace: float, before: float) -> float:
        start, end = values["start_date"], values["end_date"]
        elapsed = (period_end - start).days / max(1, (end - start).days)
        share = round(min(100.0, 100 * min(1.0, max(0.03, elapsed)) * pace * self.rng.uniform(0.9, 1.05)), 1)
        return max(share, min(100.0, before + 1.0))

    def _actual(self, target: dict, share: float, before: int) -> int:
        goal = float(target["target_value"])
        return max(before, int(min(goal * share / 100 * self.rng.uniform(0.85, 1.08), goal * 1.1)))

    def _content(self, values: dict, period_end: datetime.date, share: float, pace: float, *, stopped: bool) -> dict:
        rng, ctx = self.rng, self.ctx
        if stopped:
            status = ImplementationStatus.DISCONTINUED
        elif share >= 100:
            status = ImplementationStatus.COMPLETED
        elif share < 5:
            status = ImplementationStatus.NOT_STARTED
        else:
            status = ImplementationStatus.DELAYED if pace < 0.7 else ImplementationStatus.ON_TRACK
        money = {"disbursed_amount": None, "disbursed_currency_id": None, "disbursed_year": None,
                 "disbursed_usd": None, "disbursed_usd_provisional": False}
        code = self.currency_codes.get(values["value_currency_id"])
        if values["value_amount"] is not None and code:
            year = period_end.year if code == "USD" else ctx.rate_year(code, period_end.year)
            if year is not None:
                amount = Decimal(f"{float(values['value_amount']) * share / 100 * rng.uniform(0.75, 1.0):.2f}")
                money = {
                    "disbursed_amount": amount, "disbursed_currency_id": values["value_currency_id"],
                    "disbursed_year": year, "disbursed_usd": usd_value(amount=amount, currency=code, year=year,
                                                                        rates=ctx.rates),
                    "disbursed_usd_provisional": False,
                }
        return {
            "pledge_id": values["id"], "period_end": period_end, "year": period_end.year,
            "implementation_status": status, "share_delivered": Decimal(f"{share:.2f}"),
            "narrative": rng.choice(words.REPORT_NARRATIVES), "challenges": rng.choice(words.REPORT_CHALLENGES),
            **money,
        }

    def _steps(self, outcome: str, submitted: datetime.datetime) -> list[ReportStep]:
        """Decisions after `submitted`; one that would fall after the demo's last moment leaves it waiting."""
        rng, steps = self.rng, []
        if outcome == ReportStatus.DRAFT:
            return steps
        steps.append(ReportStep(ReportAction.SUBMIT, ReportStatus.DRAFT, ReportStatus.SUBMITTED, submitted))
        if outcome == ReportStatus.SUBMITTED:
            return steps
        returned = outcome == ReportStatus.RETURNED or rng.random() < RETURNED_FIRST
        moment = submitted
        if returned:
            moment = _moment(rng, moment.date() + datetime.timedelta(days=rng.randint(3, 30)))
            if moment > lifecycle.LAST_MOMENT:
                return steps
            steps.append(ReportStep(ReportAction.RETURN, ReportStatus.SUBMITTED, ReportStatus.RETURNED, moment,
                                    comment=rng.choice(words.REPORT_RETURNED_COMMENTS)))
            if outcome == ReportStatus.RETURNED:
                return steps
            moment = _moment(rng, moment.date() + datetime.timedelta(days=rng.randint(2, 25)))
            if moment > lifecycle.LAST_MOMENT:
                return steps
            steps.append(ReportStep(ReportAction.SUBMIT, ReportStatus.RETURNED, ReportStatus.SUBMITTED, moment))
        moment = _moment(rng, moment.date() + datetime.timedelta(days=rng.randint(3, 45)))
        if moment > lifecycle.LAST_MOMENT:
            return steps
        steps.append(ReportStep(ReportAction.ACCEPT, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, moment,
                                verification_level=_pick(rng, VERIFICATION)))
        return steps


def _moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, rng.randrange(7, 18), rng.randrange(60), tzinfo=UTC)


def _pick(rng: random.Random, shares: list[tuple[str, float]]) -> str:
    draw, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if draw < total:
            return value
    return shares[-1][0]
