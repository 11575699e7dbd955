"""Reads for entities: whom a user acts for, the entities they may pledge for, access requests
and the requests a user may decide, and finding entities by name.

Names are matched the way people spell them, on `Entity.search_name` (the name's words folded:
case, accents and punctuation aside), so "turkiye" finds "Türkiye Telekom". A typed word of four
letters or more may also carry a slip, two from eight letters (`common.spelling`): see
`entities_close_to`. On PostgreSQL the trigram index of entities migration 0004 answers the
substring filters and `pg_trgm`'s word similarity ranks the close names; SQLite scans the
column (tens of thousands of short rows) and ranks by the halves of words a name holds.
"""

from difflib import SequenceMatcher

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, FloatField, Q, QuerySet, Value, When

from coalition.accounts.roles import user_is_reviewer
from coalition.common.queues import queue_assigned, queue_search
from coalition.common.spelling import name_key, name_words, slips_allowed, words_close
from coalition.entities.models import AccessRequest, Entity, FocalPoint

MAX_WORDS = 6
CLOSE_CANDIDATES = 1000
# How alike (difflib's ratio) a new entity's name and a registered one are, at least, to ask
# whether they are the same organisation.
SAME_NAME_LIKENESS = 0.85


def focal_points_of(*, user) -> QuerySet[FocalPoint]:
    """The entities the user acts for, as focal-point rows with their entity and its country."""
    return FocalPoint.objects.filter(user=user).select_related("entity", "entity__home_country")


def access_requests_of(*, user) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(requester=user).select_related("entity", "country", "new_entity_country")


def access_request_queue(*, user, kind: str = "", assigned: str = "", search: str = "") -> list[AccessRequest]:
    """`access_requests_pending_for(user)`, oldest first, filtered like the review queues: by
    kind, by who took them in hand ("me", "none" or "" for everyone) and by words of the
    requester's name or address, the entity or country asked for and the message (case,
    accents and a slip aside)."""
    pending = access_requests_pending_for(user=user).select_related("assigned_to")
    if kind in AccessRequest.Kind.values:
        pending = pending.filter(kind=kind)
    pending = queue_assigned(pending, assigned, user)
    if search:
        return queue_search(pending, search, lambda r: r.requester.get_full_name(), lambda r: r.requester.email,
                            lambda r: r.subject, lambda r: r.message)
    return list(pending)


def access_requests_pending_for(*, user) -> QuerySet[AccessRequest]:
    """Pending requests the user may decide: all of them for reviewers, joins to their entities otherwise.

    Kept in step with `permissions.user_can_decide_access_request`.
    """
    pending = AccessRequest.objects.filter(status=AccessRequest.Status.PENDING).select_related(
        "requester", "entity", "country", "new_entity_country"
    )
    if user is None or not user.is_authenticated or not user.is_active:
        return pending.none()
    pending = pending.exclude(requester=user).order_by("created_at", "pk")
    if user_is_reviewer(user):
        return pending
    return pending.filter(kind=AccessRequest.Kind.JOIN_ENTITY, entity__focal_points__user=user).distinct()


def entity_search(*, query: str, limit: int = 20) -> list[Entity]:
    """Entities named by the words typed, at most `limit`: first those whose name or acronym
    contains every word (any order, case and accents aside), by name; then, to fill the list,
    those whose name holds every word give or take a slip (`entities_close_to`), closest first."""
    words = name_words(query)[:MAX_WORDS]
    if not words:
        return []
    entities = Entity.objects.select_related("home_country")
    for word in words:
        entities = entities.filter(Q(search_name__contains=word) | Q(acronym__icontains=word))
    found = list(entities.order_by("name")[:limit])
    if len(found) < limit:
        found += entities_close_to(query=query, limit=limit - len(found), exclude=[entity.pk for entity in found])
    return found


def entities_close_to(*, query: str, limit: int = 20, exclude=()) -> list[Entity]:
    """Entities whose name holds every word of `query`, a word of four letters or more give or
    take a slip or two (shorter words as typed), fewest slips first, at most `limit`; none when no
    word is long enough to carry a slip.

    The candidates hold one half of each such word (one slip leaves one whole) or, from six
    letters on, both halves less their middle letters (two letters swapped across the middle); at most
    CLOSE_CANDIDATES of them, the likeliest first (trigram word similarity on PostgreSQL, whole
    halves held on SQLite), have their slips counted (`common.spelling.words_close`).
    """
    words = name_words(query)[:MAX_WORDS]
    long_words = [word for word in words if slips_allowed(word)]
    if not long_words or limit <= 0:
        return []
    entities = Entity.objects.exclude(pk__in=list(exclude))
    halves = []
    for word in words:
        if not slips_allowed(word):
            entities = entities.filter(search_name__contains=word)
            continue
        middle = len(word) // 2
        halves += [word[:middle], word[middle:]]
        either_half = Q(search_name__contains=word[:middle]) | Q(search_name__contains=word[middle:])
        if len(word) >= 6:  # two letters swapped across the middle break both halves, not what is around them
            either_half |= Q(search_name__contains=word[:middle - 1]) & Q(search_name__contains=word[middle + 1:])
        entities = entities.filter(either_half)
    if connection.vendor == "postgresql":
        likeness = [TrigramWordSimilarity(word, "search_name") for word in long_words]
    else:
        likeness = [Case(When(search_name__contains=half, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
                    for half in halves]
    candidates = (entities.annotate(likeness=sum(likeness[1:], start=likeness[0])).order_by("-likeness", "pk")
                  .values_list("pk", "search_name", "likeness")[:CLOSE_CANDIDATES])
    scored = []
    for pk, search_name, likeness_of in candidates:
        found = words_close(long_words, search_name.split())
        if found is not None:
            scored.append((found, -likeness_of, search_name, pk))
    chosen = [pk for *_order, pk in sorted(scored)[:limit]]
    by_pk = Entity.objects.select_related("home_country").in_bulk(chosen)
    return [by_pk[pk] for pk in chosen]


def entity_duplicates(*, name: str, limit: int = 3) -> tuple[list[Entity], list[Entity]]:
    """The registered entities a new entity called `name` would repeat: `same`, those whose name
    or acronym is `name` (case, accents and punctuation aside); else `close`, those whose name is a
    few slips away (`entities_close_to`, and the two names at least SAME_NAME_LIKENESS alike). At
    most `limit` of each."""
    key = name_key(name)
    if not key:
        return [], []
    same = list(
        Entity.objects.filter(Q(search_name=key) | Q(acronym__iexact=" ".join(name.split())))
        .select_related("home_country").order_by("name")[:limit]
    )
    if same:
        return same, []
    close = [
        entity for entity in entities_close_to(query=name, limit=10)
        if SequenceMatcher(None, key, entity.search_name).ratio() >= SAME_NAME_LIKENESS
    ]
    return same, close[:limit]


def entities_for(user) -> QuerySet[Entity]:
    """Entities the user may pledge for: their own as a focal point; any for the secretariat."""
    if not user.is_authenticated:
        return Entity.objects.none()
    if user_is_reviewer(user):
        return Entity.objects.order_by("name")
    return Entity.objects.filter(focal_points__user=user).distinct().order_by("name")


def entity_focal_point_users(entity: Entity) -> list:
    """The active accounts acting for `entity` (its focal points who have an account)."""
    return [fp.user for fp in FocalPoint.objects.filter(entity=entity, user__is_active=True).select_related("user")]
