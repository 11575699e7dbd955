"""Writes to activities, their documents and the participations countries record in them.

Each service runs in one transaction, checks permission and state, writes, and records one
dated version (who, when, why) so the plan's record can be read as of any date. Workflow moves
go through the tables in `workflow.py`. Errors are `ValidationError` keyed by field or
`PermissionDenied`, worded for the person who acts.
"""

import datetime
import os
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import (
    Activity,
    ActivityDocument,
    ActivityKind,
    NationalMeasure,
    Participation,
    ReviewStatus,
)
from coalition.actionplan.permissions import user_is_country_focal_point, user_may_record_activity
from coalition.actionplan.services.moderated import (
    choice_check,
    content_state,
    content_state_of,
    content_write,
    date_check,
    moment_effects,
    url_check,
)
from coalition.actionplan.workflow import ACTIVITY_WORKFLOW, EDITABLE_STATES, PARTICIPATION_WORKFLOW
from coalition.common.text import TEXT_LIMIT, length_check, line_clean, text_clean
from coalition.common.versions import save_with_version, version_bump, version_check
from coalition.reporting.validation import evidence_file_errors

ACTIVITY_FIELDS = ("kind", "title", "description", "start_date", "end_date", "place", "host_country", "online",
                   "outputs")
ACTIVITY_LINKS = ("organisers", "partners", "countries", "actions", "framework_nodes")
PARTICIPATION_FIELDS = ("women", "men", "other", "note")
# Plans look a few years ahead: an activity may be recorded before it takes place.
YEARS_AHEAD = 10
# More people than any meeting gathers from one country: a typing slip, not a count.
MAX_PARTICIPANTS = 100_000
MAX_DOCUMENTS = 40
LIVE_PARTICIPATION = ~models.Q(status__in=[ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN])


# --- Activities ---------------------------------------------------------------------------------


def activity_data(activity: Activity) -> dict[str, Any]:
    """An activity's content as the services take it (and edit forms show it)."""
    return {**{name: getattr(activity, name) for name in ACTIVITY_FIELDS},
            **{name: list(getattr(activity, name).all()) for name in ACTIVITY_LINKS}}


def activity_clean(*, data: Mapping[str, Any], complete: bool = False) -> dict[str, Any]:
    """Validate an activity's fields and return them normalised.

    `data` holds ACTIVITY_FIELDS (a Country for `host_country`) and ACTIVITY_LINKS as iterables of
    instances. The dates must be in order and within the years the platform covers; the activity
    is online or has a place. One going to review (`complete`) also names its organisers and the
    plan's actions it serves. Raises ValidationError with one message per field.
    """
    errors: dict[str, str] = {}
    clean = {name: data.get(name) for name in ACTIVITY_FIELDS}
    links = {name: list(data.get(name) or []) for name in ACTIVITY_LINKS}
    clean["title"], clean["place"] = line_clean(clean["title"]), line_clean(clean["place"])
    clean["description"], clean["outputs"] = text_clean(clean["description"]), text_clean(clean["outputs"])
    clean["online"] = bool(clean["online"])
    choice_check(errors, "kind", clean["kind"], ActivityKind, _("Choose the kind of activity."))
    if not clean["title"]:
        errors["title"] = _("Give the activity a title.")
    length_check(errors, "title", clean["title"], limit=300, label=gettext_lazy("title"))
    length_check(errors, "description", clean["description"], limit=TEXT_LIMIT, label=gettext_lazy("description"))
    length_check(errors, "outputs", clean["outputs"], limit=TEXT_LIMIT, label=gettext_lazy("outputs"))
    length_check(errors, "place", clean["place"], limit=200, label=gettext_lazy("place"))
    latest = timezone.localdate().replace(month=12, day=31)
    latest = latest.replace(year=latest.year + YEARS_AHEAD)
    date_check(errors, "start_date", clean["start_date"], latest=latest, required=True,
               missing=_("Give the date the activity starts (or took place)."))
    date_check(errors, "end_date", clean["end_date"], latest=latest)
    if "start_date" not in errors and "end_date" not in errors and clean["end_date"] is not None \
            and clean["end_date"] < clean["start_date"]:
        errors["end_date"] = _("The end date is before the start date.")
    if not clean["online"] and not clean["place"]:
        errors["place"] = _("Give the place, or tick “online” for an activity held online only.")
    both = {entity.pk for entity in links["organisers"]} & {entity.pk for entity in links["partners"]}
    if both:
        names = sorted(str(entity) for entity in links["partners"] if entity.pk in both)
        errors["partners"] = _("%(names)s cannot be both organiser and partner.") % {"names": ", ".join(names)}
    if complete:
        if not links["organisers"]:
            errors["organisers"] = _("Name at least one organiser.")
        if not links["actions"]:
            errors["actions"] = _("Link the activity to at least one action of the plan.")
    if errors:
        raise ValidationError(errors)
    return {**clean, **links}


def _activity_write(activity: Activity, clean: Mapping[str, Any], *, actor, reason: str, at) -> bool:
    return content_write(activity, values={name: clean[name] for name in ACTIVITY_FIELDS},
                         links={name: clean[name] for name in ACTIVITY_LINKS}, actor=actor, reason=reason, at=at)


def _activity_locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def activity_create(*, actor, data: Mapping[str, Any]) -> Activity:
    """Record a draft activity from `data` (see `activity_clean`).

    The secretariat's reviewers and the working-group leads record activities. Writes the
    activity, its links and its first version; nothing is public until a reviewer publishes it.
    """
    if not user_may_record_activity(actor):
        raise PermissionDenied(_("Only the secretariat and the working-group leads record activities."))
    clean = activity_clean(data=data)
    activity = Activity(status=ReviewStatus.DRAFT, created_by=actor)
    _activity_write(activity, clean, actor=actor, reason="created", at=timezone.now())
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: Mapping[str, Any], seen_version: int | None = None) -> Activity:
    """Replace an activity's content with `data` (every field, as for creation).

    Who may edit in which state is ACTIVITY_WORKFLOW's rule: its authors edit drafts and
    activities returned for changes, reviewers also those under review; a published activity is
    a record. `seen_version` (the version the form was opened at) refuses with EditConflict a
    save over someone else's later change. Records one version, only when something changed.
    """
    activity = _activity_locked(activity)
    ACTIVITY_WORKFLOW.check_edit(activity, actor)
    clean = activity_clean(data=data, complete=activity.status not in EDITABLE_STATES)
    version_check(activity, seen=seen_version, changes_nothing=lambda: content_state_of(
        {name: clean[name] for name in ACTIVITY_FIELDS}, {name: clean[name] for name in ACTIVITY_LINKS},
    ) == content_state(activity, ACTIVITY_FIELDS, ACTIVITY_LINKS))
    _activity_write(activity, clean, actor=actor, reason="edited", at=timezone.now())
    return activity


@transaction.atomic
def activity_move(*, actor, activity: Activity, action: str, comment: str = "",
                  at: datetime.datetime | None = None) -> Activity:
    """Move an activity along ACTIVITY_WORKFLOW: submit and withdraw are its authors' (the
    secretariat and the working-group leads who may record it), publish, request changes and
    reject the reviewers' (the last two with a comment).

    Submitting checks the activity is complete (`activity_clean(complete=True)`) and dates the
    submission; publishing dates the publication. Records the decision and a version, and tells
    the person who recorded it about a reviewer's decision. The row is locked, so two reviewers
    cannot decide at once.
    """
    activity = _activity_locked(activity)
    return ACTIVITY_WORKFLOW.move(
        activity, actor=actor, action=action, comment=comment, at=at,
        effects=moment_effects(lambda obj: activity_clean(data=activity_data(obj), complete=True)),
    )


# --- Documents ----------------------------------------------------------------------------------


def activity_may_add_document(activity: Activity, user) -> bool:
    """Documents are added while the activity may be edited, and, once it is published, by those
    who record it (its report or recording often comes after the event)."""
    if ACTIVITY_WORKFLOW.may_edit(activity, user):
        return True
    return activity.status == ReviewStatus.PUBLISHED and user_may_record_activity(user, activity)


def activity_may_remove_document(activity: Activity, user) -> bool:
    """A document is removed only while the activity may be edited: what was published stays."""
    return ACTIVITY_WORKFLOW.may_edit(activity, user)


def _document_access(activity: Activity, actor, allowed: bool) -> None:
    if not user_may_record_activity(actor, activity):
        raise PermissionDenied(_("Only the secretariat and the working-group leads record activities."))
    if not allowed:
        raise ValidationError({"status": _("The documents of an activity that is %(status)s cannot be changed.")
                                         % {"status": activity.get_status_display().lower()}})


@transaction.atomic
def activity_document_add(*, actor, activity: Activity, data: Mapping[str, Any]) -> ActivityDocument:
    """Add a document to an activity: `data` holds a `title` and either a `url` or an uploaded
    `file`, which is checked like the evidence of progress reports (size, accepted type, content
    matching its name). See `activity_may_add_document` for who and when. Stores the file.
    """
    activity = _activity_locked(activity)
    _document_access(activity, actor, activity_may_add_document(activity, actor))
    errors: dict[str, str] = {}
    title, url, upload = line_clean(data.get("title")), text_clean(data.get("url")), data.get("file")
    if not title:
        errors["title"] = _("Give the document a title.")
    length_check(errors, "title", title, limit=300, label=gettext_lazy("title"))
    if url and upload:
        errors["url"] = _("Give either a link or a file, not both.")
    elif not url and not upload:
        errors["url"] = _("Give a link, or choose a file to upload.")
    url_check(errors, "url", url, limit=1000, label=gettext_lazy("link"))
    if upload:
        errors.update(evidence_file_errors(upload, field="file"))
    if activity.documents.count() >= MAX_DOCUMENTS:
        errors["title"] = _("An activity keeps at most %(limit)s documents.") % {"limit": MAX_DOCUMENTS}
    if errors:
        raise ValidationError(errors)
    document = ActivityDocument(activity=activity, title=title, url=url, added_by=actor)
    if upload:
        document.size = upload.size
        document.file.save(os.path.basename(upload.name), upload, save=False)
    document.save()
    return document


@transaction.atomic
def activity_document_remove(*, actor, document: ActivityDocument) -> None:
    """Remove a document (see `activity_may_remove_document`); its file leaves the storage once
    the removal is committed."""
    activity = _activity_locked(document.activity)
    _document_access(activity, actor, activity_may_remove_document(activity, actor))
    stored = document.file.name if document.file else ""
    document.delete()
    if stored:
        storage = ActivityDocument._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))


# --- Participation ------------------------------------------------------------------------------


def _count(errors: dict, data: Mapping[str, Any], field: str, label: str) -> int:
    value = data.get(field)
    if value in (None, ""):
        return 0
    try:
        number = int(value)
        if isinstance(value, float) and value != number:
            raise ValueError
    except (TypeError, ValueError):
        errors[field] = _("Give the number of %(who)s as a whole number.") % {"who": label}
        return 0
    if number < 0:
        errors[field] = _("The number of %(who)s cannot be negative.") % {"who": label}
    elif number > MAX_PARTICIPANTS:
        errors[field] = _("The number of %(who)s is at most %(limit)s.") % {
            "who": label, "limit": number_format(MAX_PARTICIPANTS, force_grouping=True)}
    return number


def participation_clean(*, data: Mapping[str, Any]) -> dict[str, Any]:
    """Counts of women, men and other participants (whole numbers, 0 or more, not all zero) and a note."""
    errors: dict[str, str] = {}
    clean = {
        "women": _count(errors, data, "women", _("women")),
        "men": _count(errors, data, "men", _("men")),
        "other": _count(errors, data, "other", _("other participants")),
        "note": text_clean(data.get("note")),
    }
    length_check(errors, "note", clean["note"], limit=TEXT_LIMIT, label=gettext_lazy("note"))
    if not errors and clean["women"] + clean["men"] + clean["other"] == 0:
        errors["women"] = _("Count at least one participant: women, men or other.")
    if errors:
        raise ValidationError(errors)
    return clean


def _taken_message(country, existing: Participation) -> str:
    return _("The participation of %(country)s in this activity is already recorded (%(status)s): change that "
             "record, or withdraw it first.") % {"country": country, "status": existing.get_status_display().lower()}


def _activity_published_check(activity: Activity) -> None:
    if activity.status != ReviewStatus.PUBLISHED:
        raise ValidationError({"activity": _("Participation is recorded in a published activity only; this one is "
                                             "%(status)s.") % {"status": activity.get_status_display().lower()}})


@transaction.atomic
def participation_record(*, actor, activity: Activity, data: Mapping[str, Any]) -> Participation:
    """Record, as a draft, how many people from `data['country']` took part in a published activity.

    A country's focal points record for their own country, the secretariat's reviewers for any.
    One live record per activity and country (a rejected or withdrawn one makes room for a new
    one). Writes the participation and its first version; it is public once a reviewer publishes it.
    """
    country = data.get("country")
    if country is None:
        raise ValidationError({"country": _("Choose the country whose participation you record.")})
    if not (user_is_reviewer(actor) or user_is_country_focal_point(actor, country)):
        raise PermissionDenied(_("Only focal points of %(country)s can do this.") % {"country": country})
    activity = _activity_locked(activity)
    _activity_published_check(activity)
    clean = participation_clean(data=data)
    existing = Participation.objects.filter(LIVE_PARTICIPATION, activity=activity, country=country).first()
    if existing is not None:
        raise ValidationError({"country": _taken_message(country, existing)})
    participation = Participation(activity=activity, country=country, status=ReviewStatus.DRAFT, created_by=actor,
                                  **clean)
    try:
        with transaction.atomic():
            save_with_version(participation, actor=actor, reason="created", at=timezone.now())
    except IntegrityError:
        existing = Participation.objects.filter(LIVE_PARTICIPATION, activity=activity, country=country).first()
        if existing is None:
            raise
        raise ValidationError({"country": _taken_message(country, existing)}) from None
    return participation


def _participation_locked(participation: Participation) -> Participation:
    return Participation.objects.select_for_update().select_related("activity", "country").get(pk=participation.pk)


@transaction.atomic
def participation_update(*, actor, participation: Participation, data: Mapping[str, Any],
                         seen_version: int | None = None) -> Participation:
    """Change a participation's counts and note (its activity and country stay).

    PARTICIPATION_WORKFLOW says who edits in which state: the country's focal points (and
    reviewers) while it is a draft or returned for changes, reviewers also while under review.
    `seen_version` refuses a save over someone else's later change. One version when something changed.
    """
    participation = _participation_locked(participation)
    PARTICIPATION_WORKFLOW.check_edit(participation, actor)
    clean = participation_clean(data=data)
    version_check(participation, seen=seen_version,
                  changes_nothing=lambda: all(getattr(participation, name) == clean[name] for name in PARTICIPATION_FIELDS))
    if all(getattr(participation, name) == clean[name] for name in PARTICIPATION_FIELDS):
        return participation
    for name in PARTICIPATION_FIELDS:
        setattr(participation, name, clean[name])
    version_bump(participation)
    save_with_version(participation, actor=actor, reason="edited", at=timezone.now())
    return participation


def _participation_complete(participation: Participation) -> None:
    _activity_published_check(participation.activity)
    participation_clean(data={name: getattr(participation, name) for name in PARTICIPATION_FIELDS})


@transaction.atomic
def participation_move(*, actor, participation: Participation, action: str, comment: str = "",
                       at: datetime.datetime | None = None) -> Participation:
    """Move a participation along PARTICIPATION_WORKFLOW: submit and withdraw are the country's
    focal points' (and reviewers'), the decisions the reviewers' (request changes and reject
    with a comment).

    Submitting needs the activity still published; publishing dates the publication. Records the
    decision and a version, and tells the person who recorded it about a reviewer's decision.
    """
    participation = _participation_locked(participation)
    return PARTICIPATION_WORKFLOW.move(
        participation, actor=actor, action=action, comment=comment, at=at,
        effects=moment_effects(_participation_complete),
    )


# --- The review queue ---------------------------------------------------------------------------


@transaction.atomic
def review_assign(*, actor, item: Activity | Participation | NationalMeasure, reviewer) -> Activity | Participation | NationalMeasure:
    """Put a reviewer (or nobody, with `reviewer=None`) in charge of reviewing an activity, a
    participation or a national measure. Reviewers only; records a version."""
    if not user_is_reviewer(actor):
        raise PermissionDenied(_("Only the secretariat's reviewers can assign reviews."))
    if reviewer is not None and not user_is_reviewer(reviewer):
        raise ValidationError({"assigned_to": _("%(person)s is not a reviewer.") % {"person": reviewer}})
    item = type(item).objects.select_for_update().get(pk=item.pk)
    item.assigned_to = reviewer
    save_with_version(item, actor=actor, reason="assigned", at=timezone.now())
    return item
