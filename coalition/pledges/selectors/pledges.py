"""Reads of pledges: published lists, a pledger's pledges, the review queue, possible duplicates.
"""

from difflib import SequenceMatcher

from django.db.models import Count, Prefetch, QuerySet

from coalition.common.i18n import fold
from coalition.common.queues import queue_assigned, queue_search
from coalition.pledges.models import Pledge, PledgeTransition, Status
from coalition.pledges.workflow import REVIEW_STATES


def pledge_list_published() -> QuerySet[Pledge]:
    return Pledge.objects.filter(status=Status.PUBLISHED).select_related(
        "lead_entity", "initiative", "value_currency", "campaign"
    )


def pledge_list_for_country(country) -> QuerySet[Pledge]:
    """Published pledges naming `country` as a beneficiary, newest first, with their lead entity
    and the number of comments in their conversation."""
    return (
        pledge_list_published().filter(beneficiary_countries=country)
        .annotate(comment_count=Count("comments", distinct=True)).order_by("-published_at", "-id")
    )


def pledge_transitions(pledge: Pledge) -> QuerySet[PledgeTransition]:
    return pledge.transitions.select_related("actor").order_by("at", "id")


def pledge_list_for_pledger(user) -> QuerySet[Pledge]:
    """Pledges led by the entities the user is a focal point of, newest activity first."""
    return (
        Pledge.objects.filter(lead_entity__focal_points__user=user)
        .select_related("lead_entity", "initiative")
        .prefetch_related(Prefetch("transitions", queryset=PledgeTransition.objects.order_by("-at", "-id")))
        .distinct()
        .order_by("-updated_at", "-id")
    )


def review_queue(*, reviewer, status: str = "", initiative=None, assigned: str = "", search: str = "") -> list[Pledge]:
    """Pledges waiting on the secretariat, oldest submission first.

    `assigned` is "me", "none" or "" (everyone); `status` one of the review states or "" for
    submitted and in review; `search` words of the title or the entity's name or acronym, in
    any case and with or without accents.
    """
    states = [status] if status in REVIEW_STATES else [Status.SUBMITTED, Status.IN_REVIEW]
    pledges = Pledge.objects.filter(status__in=states).select_related(
        "lead_entity", "lead_entity__home_country", "initiative", "assigned_to"
    )
    if initiative is not None:
        pledges = pledges.filter(initiative=initiative)
    pledges = queue_assigned(pledges, assigned, reviewer)
    pledges = pledges.order_by("submitted_at", "id")
    if search:
        return queue_search(pledges, search, lambda p: p.title, lambda p: p.lead_entity.name,
                            lambda p: p.lead_entity.acronym)
    return list(pledges)


def pledge_possible_duplicates(pledge: Pledge, *, threshold: float = 0.75) -> list[Pledge]:
    """Other pledges of the same lead entity whose titles read almost the same.

    A hint for the reviewer, not a rule: titles are compared case- and accent-insensitively
    with difflib's ratio.
    """
    title = fold(pledge.title)
    others = Pledge.objects.filter(lead_entity_id=pledge.lead_entity_id).exclude(pk=pledge.pk).exclude(
        status=Status.DRAFT
    )
    return [
        other for other in others.only("id", "title", "status", "lead_entity_id")
        if SequenceMatcher(None, title, fold(other.title)).ratio() >= threshold
    ]
