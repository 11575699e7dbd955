"""The secretariat's queues (pledges, progress reports, access requests) filter alike: by who
took an item in hand, and by words typed."""

from coalition.common.spelling import words_match


def queue_assigned(queryset, assigned: str, user):
    """`queryset` narrowed to the items assigned to `user` ("me"), to nobody ("none"), or left
    whole (anything else); the items carry their reviewer in `assigned_to`."""
    if assigned == "me":
        return queryset.filter(assigned_to=user)
    if assigned == "none":
        return queryset.filter(assigned_to=None)
    return queryset


def queue_search(items, search: str, *texts_of) -> list:
    """The items of a review queue whose texts (each `texts_of(item)`) match `search`
    (`words_match`). Queues hold what waits on the secretariat, hundreds at most, so the match
    is made here, the same on every database."""
    return [item for item in items if words_match(search, *(text(item) for text in texts_of))]
