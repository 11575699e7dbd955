"""Writes to the good-practice library. Every change to a practice goes through here.

Each service runs in one transaction, checks permission and state, writes, records one dated
version of the practice (links included, with who and why) so the library can be read as of any
date, and rewrites the practice's search document. Errors are `ValidationError` (keyed by field)
or `PermissionDenied`, worded for the user.
"""

import datetime
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from coalition.accounts.roles import signed_in_check, user_is_reviewer
from coalition.actionplan.models import ReviewAction, ReviewStatus
from coalition.actionplan.workflow import EDITABLE_STATES
from coalition.common.versions import save_with_version, version_bump, version_check
from coalition.knowledge.models import GoodPractice, SharedBy, practice_history
from coalition.knowledge.permissions import report_sharer, user_may_share_as
from coalition.knowledge.search import practice_search_index
from coalition.knowledge.validation import LINK_FIELDS, SCALAR_FIELDS, practice_clean, sharer_clean
from coalition.knowledge.workflow import PRACTICE_WORKFLOW
from coalition.pledges.models import Status as PledgeStatus
from coalition.reporting.models import ProgressReport, ReportStatus

# A practice made from a report stays the report's practice until it is withdrawn or rejected:
# a second click opens it instead of making another.
_CLOSED = (ReviewStatus.WITHDRAWN, ReviewStatus.REJECTED)


@contextmanager
def _without_automatic_versions(practice: GoodPractice):
    """Silence the per-save and per-link history signals: the service records one version itself."""
    practice.skip_history_when_saving = True
    try:
        yield
    finally:
        del practice.skip_history_when_saving


def _record_version(practice: GoodPractice, *, actor, reason: str, at: datetime.datetime, created: bool) -> None:
    practice._history_user, practice._change_reason, practice._history_date = actor, reason, at
    try:
        practice_history.create_historical_record(practice, "+" if created else "~")
    finally:
        del practice._history_user, practice._change_reason, practice._history_date


def practice_data(practice: GoodPractice) -> dict[str, Any]:
    """A practice's content as `practice_clean` takes it (links as lists of ids)."""
    data: dict[str, Any] = {name: getattr(practice, name) for name in SCALAR_FIELDS}
    for name in LINK_FIELDS:
        data[name] = list(getattr(practice, name).order_by("pk").values_list("pk", flat=True))
    return data


def _content(clean: Mapping[str, Any]) -> tuple:
    """What a practice's fields say, comparable (links as sets of ids)."""
    return (
        tuple(clean[name] for name in SCALAR_FIELDS),
        tuple(frozenset(row if isinstance(row, int) else row.pk for row in clean[name]) for name in LINK_FIELDS),
    )


def _write(practice: GoodPractice, clean: Mapping[str, Any], *, actor, reason: str, created: bool) -> None:
    now = timezone.now()
    for name in SCALAR_FIELDS:
        setattr(practice, name, clean[name])
    with _without_automatic_versions(practice):
        practice.save()
        for name in LINK_FIELDS:
            getattr(practice, name).set(clean[name])
    _record_version(practice, actor=actor, reason=reason, at=now, created=created)
    practice_search_index([practice.pk])


def _sharer_check(actor, *, shared_by: str, entity, country) -> None:
    if user_may_share_as(actor, shared_by=shared_by, entity=entity, country=country):
        return
    if shared_by == SharedBy.PLEDGER:
        raise PermissionDenied(_("Only focal points of %(entity)s can share practices on its behalf.") % {"entity": entity})
    if shared_by == SharedBy.MEMBER_STATE:
        raise PermissionDenied(_("Only focal points of %(country)s can share practices on its behalf.")
                               % {"country": country.name})
    raise PermissionDenied(_("Only the secretariat's reviewers share practices on behalf of the secretariat."))


def _create(*, actor, shared_by: str, entity, country, clean: Mapping[str, Any], source_report=None,
            reason: str) -> GoodPractice:
    practice = GoodPractice(status=ReviewStatus.DRAFT, created_by=actor, shared_by=shared_by, entity=entity,
                            country=country, source_report=source_report)
    _write(practice, clean, actor=actor, reason=reason, created=True)
    return practice


@transaction.atomic
def practice_create(*, actor, data: Mapping[str, Any]) -> GoodPractice:
    """Create a draft practice shared by `data['shared_by']` ("pledger" with `entity`,
    "member_state" with `country`, or "secretariat").

    The actor must act for that sharer: a focal point of the entity or of the country, a
    reviewer for the secretariat (administrators act for every entity and country). A draft needs
    only a title. Writes the practice, its links, its first version and its search document.
    """
    signed_in_check(actor)
    shared_by, entity, country = sharer_clean(data)
    _sharer_check(actor, shared_by=shared_by, entity=entity, country=country)
    clean = practice_clean(data=data, complete=False)
    return _create(actor=actor, shared_by=shared_by, entity=entity, country=country, clean=clean, reason="created")


@transaction.atomic
def practice_update(
    *, actor, practice: GoodPractice, data: Mapping[str, Any], seen_version: int | None = None,
) -> GoodPractice:
    """Replace a practice's content with `data` (a complete set of fields, as for creation; who
    shares it does not change).

    `PRACTICE_WORKFLOW` decides who may edit in which state: its authors while it is a draft or
    returned for changes, reviewers also while it waits for review (then it must stay complete).
    Records one version only when something changed. `seen_version`, the version the editor's
    form was opened at, refuses with EditConflict a save over someone else's later change.
    """
    practice = GoodPractice.objects.select_for_update(of=("self",)).select_related("entity", "country").get(pk=practice.pk)
    PRACTICE_WORKFLOW.check_edit(practice, actor)
    clean = practice_clean(data=data, complete=practice.status not in EDITABLE_STATES)
    before = _content(practice_data(practice))
    version_check(practice, seen=seen_version, changes_nothing=lambda: _content(clean) == before)
    if _content(clean) != before:
        version_bump(practice)
        _write(practice, clean, actor=actor, reason="edited", created=False)
    return practice


def _move_effects(practice: GoodPractice, transition, moment: datetime.datetime) -> None:
    if transition.action == ReviewAction.SUBMIT:
        practice_clean(data=practice_data(practice), complete=True)
        practice.submitted_at = moment
    if transition.target == ReviewStatus.PUBLISHED:
        practice.published_at = moment


@transaction.atomic
def practice_move(
    *, actor, practice: GoodPractice, action: str, comment: str = "", at: datetime.datetime | None = None,
) -> GoodPractice:
    """Move a practice along `PRACTICE_WORKFLOW`: submit or withdraw (its authors), publish,
    request changes or reject (reviewers; a comment is required for the last two, and told to
    whoever recorded the practice).

    Submitting checks the practice is complete. The row is locked, so two decisions cannot cross.
    Records the transition and a new version. PermissionDenied without the role, ValidationError
    on `action` from a state the action does not start from, on `comment` when one is missing.
    """
    practice = GoodPractice.objects.select_for_update(of=("self",)).select_related("entity", "country").get(pk=practice.pk)
    return PRACTICE_WORKFLOW.move(practice, actor=actor, action=action, comment=comment, at=at, effects=_move_effects)


@transaction.atomic
def practice_assign(*, actor, practice: GoodPractice, reviewer) -> GoodPractice:
    """Put a reviewer (or nobody, with `reviewer=None`) in charge of a practice's review. Only
    reviewers assign; records a version."""
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers can assign reviews."))
    if reviewer is not None and not user_is_reviewer(reviewer):
        raise ValidationError({"assigned_to": _("%(person)s is not a reviewer.") % {"person": reviewer}})
    practice = GoodPractice.objects.select_for_update().get(pk=practice.pk)
    practice.assigned_to = reviewer
    save_with_version(practice, actor=actor, reason="assigned", at=timezone.now())
    return practice


def _report_results(report: ProgressReport) -> str:
    """The figures of an accepted report as a Markdown list, for the practice's results."""
    lines = []
    if report.implementation_status or report.share_delivered is not None:
        parts = []
        if report.implementation_status:
            parts.append(report.get_implementation_status_display())
        if report.share_delivered is not None:
            parts.append(_("%(share)s %% of the pledge delivered") % {"share": floatformat(report.share_delivered, -2)})
        lines.append(_("%(facts)s (to %(day)s).") % {"facts": "; ".join(str(part) for part in parts),
                                                     "day": formats.date_format(report.period_end)})
    for actual in report.target_actuals.select_related("target").order_by("target__order", "target_id"):
        target = actual.target
        lines.append(_("%(target)s: %(actual)s of %(goal)s %(unit)s") % {
            "target": target.description, "actual": floatformat(actual.actual_value, "-4g"),
            "goal": floatformat(target.target_value, "-4g") if target.target_value is not None else "—",
            "unit": target.unit})
    if report.disbursed_amount is not None and report.disbursed_currency_id:
        lines.append(_("Money disbursed: %(amount)s %(currency)s") % {
            "amount": floatformat(report.disbursed_amount, "-2g"),
            "currency": report.disbursed_currency_id})
    return "\n".join(f"- {line.strip()}" for line in lines)


@transaction.atomic
def practice_from_report(*, report: ProgressReport, actor) -> GoodPractice:
    """Start a draft practice from an accepted progress report of a published pledge: the
    pledge's title, its description as the problem, the report's narrative as what was done, its
    figures as the results, its challenges as the lessons; the pledge's countries, framework
    nodes, SDG targets and WSIS lines; the pledge linked; shared by its lead entity.

    The focal points of the pledge's lead entity share it as the pledger (administrators too);
    a focal point of one of the pledge's beneficiary countries shares it as that member state
    (`permissions.report_sharer`). While a practice made from the report by the same sharer is
    neither withdrawn nor rejected, it is returned instead of a new one, so a second click makes
    no duplicate. The report's row is locked for that check.
    """
    signed_in_check(actor)
    report = (ProgressReport.objects.select_for_update(of=("self",))
              .select_related("pledge__lead_entity").get(pk=report.pk))
    pledge = report.pledge
    sharer = report_sharer(actor, report)
    if sharer is None:
        raise PermissionDenied(_("Only focal points of %(entity)s or of the countries its pledge benefits can share "
                                 "a practice from its reports.") % {"entity": pledge.lead_entity})
    shared_by, entity, country = sharer
    if report.status != ReportStatus.ACCEPTED:
        raise ValidationError({"report": _("A practice is shared from an accepted report; this one is %(status)s.")
                               % {"status": report.get_status_display().lower()}})
    if pledge.status != PledgeStatus.PUBLISHED:
        raise ValidationError({"report": _("A practice is shared from a report on a published pledge.")})
    existing = (GoodPractice.objects.filter(source_report=report, shared_by=shared_by, entity=entity, country=country)
                .exclude(status__in=_CLOSED).order_by("pk").first())
    if existing is not None:
        return existing
    narrative = report.narrative.strip()
    clean = practice_clean(complete=False, data={
        "title": pledge.title,
        "summary": Truncator(narrative.split("\n\n")[0]).chars(600),
        "problem": pledge.description, "approach": narrative, "results": _report_results(report),
        "lessons": report.challenges,
        "countries": pledge.beneficiary_countries.all(), "framework_nodes": pledge.framework_nodes.all(),
        "sdg_targets": pledge.sdg_targets.all(), "wsis_lines": pledge.wsis_lines.all(), "pledges": [pledge],
    })
    return _create(actor=actor, shared_by=shared_by, entity=entity, country=country, clean=clean,
                   source_report=report, reason="created from a progress report")
