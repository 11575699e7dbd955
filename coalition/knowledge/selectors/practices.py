"""Reads of single practices and of the lists their authors and reviewers work from."""

from django.db.models import Prefetch, Q, QuerySet

from coalition.accounts.models import CountryFocalPoint
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import Action, ReviewStatus
from coalition.actionplan.workflow import REVIEW_STATES
from coalition.common.queues import queue_assigned, queue_search
from coalition.entities.models import Entity
from coalition.knowledge.models import GoodPractice, GoodPracticeTransition, SharedBy
from coalition.pledges.models import Pledge, Status


def practice_for_page(pk: int) -> GoodPractice:
    """A practice with what its page shows: who shares it, its links (published pledges only) and
    attachments, the report it came from. Raises GoodPractice.DoesNotExist."""
    return (
        GoodPractice.objects.select_related("entity", "country", "source_report__pledge", "assigned_to")
        .prefetch_related(
            "countries", "framework_nodes__initiative", "sdg_targets", "wsis_lines", "attachments",
            Prefetch("pledges", queryset=Pledge.objects.filter(status=Status.PUBLISHED).select_related("lead_entity")),
            Prefetch("actions", queryset=Action.objects.select_related("plan", "pillar")),
        )
        .get(pk=pk)
    )


def practice_transitions(practice: GoodPractice) -> QuerySet[GoodPracticeTransition]:
    """The decisions on a practice, oldest first, with who took them."""
    return practice.transitions.select_related("actor")


def practices_of_author(user) -> QuerySet[GoodPractice]:
    """The practices `user` may act on as an author: those shared for an entity or a country they
    act for, those of the secretariat for a reviewer, and any they recorded; latest change first."""
    if not user.is_authenticated:
        return GoodPractice.objects.none()
    mine = Q(created_by=user)
    mine |= Q(shared_by=SharedBy.PLEDGER, entity__in=Entity.objects.filter(focal_points__user=user).values("pk"))
    mine |= Q(shared_by=SharedBy.MEMBER_STATE,
              country__in=CountryFocalPoint.objects.filter(user=user).values("country_id"))
    if user_is_reviewer(user):
        mine |= Q(shared_by=SharedBy.SECRETARIAT)
    return GoodPractice.objects.filter(mine).select_related("entity", "country").order_by("-updated_at", "-id")


def practice_review_queue(*, reviewer, status: str = "", assigned: str = "", search: str = "") -> list[GoodPractice]:
    """The practices waiting on the secretariat (submitted, or the state `status` among the
    review states), oldest submission first, narrowed to an assignee and by words."""
    states = [status] if status in REVIEW_STATES else [ReviewStatus.SUBMITTED]
    queue = queue_assigned(
        GoodPractice.objects.filter(status__in=states).select_related("entity", "country", "assigned_to")
        .order_by("submitted_at", "id"),
        assigned, reviewer,
    )
    if search:
        return queue_search(list(queue), search, lambda p: p.title,
                            lambda p: str(p.entity or p.country or ""), lambda p: p.summary)
    return list(queue)
