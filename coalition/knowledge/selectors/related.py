"""The practices shown beside a pledge, a country or an action: published as of the page's date.

Like the library, these return versions of practices as they stood at `as_of` (their `id` is
the practice's), each with `country_list` and `still_published` (`library.versions_decorate`).
"""

from django.db.models import Count, Q

from coalition.common.asof import AsOf
from coalition.knowledge.selectors.library import (
    LINK_TARGETS,
    for_countries,
    link_versions,
    linked,
    published_versions,
    versions_decorate,
)
from coalition.pledges.models import Pledge


def _pledge_related(pledge, as_of: AsOf, limit: int) -> list:
    """Practices linked to the pledge first, then those sharing most of its framework nodes and
    beneficiary countries; newest first among equals."""
    nodes = list(Pledge.framework_nodes.through.objects.filter(pledge_id=pledge.id).values_list("frameworknode_id", flat=True))
    countries = list(Pledge.beneficiary_countries.through.objects.filter(pledge_id=pledge.id)
                     .values_list("country_id", flat=True))
    candidates = list(published_versions(as_of).filter(
        Q(history_id__in=linked("pledges", [pledge.id])) | Q(history_id__in=linked("framework_nodes", nodes))
        | for_countries(countries)
    ).select_related("entity", "country"))
    if not candidates:
        return []
    ids = [version.pk for version in candidates]

    def shared(name: str, targets) -> dict[int, int]:
        rows = (link_versions(name).filter(history_id__in=ids, **{f"{LINK_TARGETS[name]}__in": targets})
                .values("history_id").annotate(n=Count("pk")).values_list("history_id", "n"))
        return dict(rows)

    links, node_counts, country_counts = shared("pledges", [pledge.id]), shared("framework_nodes", nodes), shared(
        "countries", countries)
    candidates.sort(key=lambda v: (v.pk in links, node_counts.get(v.pk, 0) + country_counts.get(v.pk, 0),
                                   v.published_at, v.id), reverse=True)
    return candidates[:limit]


def practices_related(*, pledge=None, country=None, action=None, as_of: AsOf, limit: int = 5) -> list:
    """Up to `limit` practices published at `as_of` related to one of: a `pledge` (linked to it,
    then sharing its framework nodes or beneficiary countries, ranked by how much they share),
    a `country` (naming it or shared by it, newest first) or an `action` of a plan (linked to it,
    newest first). `pledge`, `country` and `action` may be live objects or versions (their `id`
    is read). A few queries, whatever the number of practices."""
    if sum(thing is not None for thing in (pledge, country, action)) != 1:
        raise TypeError("practices_related takes exactly one of pledge, country and action")
    if pledge is not None:
        versions = _pledge_related(pledge, as_of, limit)
    elif country is not None:
        versions = _of_country(country, as_of)[:limit]
    else:
        versions = list(published_versions(as_of).filter(history_id__in=linked("actions", [action.id]))
                        .select_related("entity", "country").order_by("-published_at", "-id")[:limit])
    return versions_decorate(list(versions))


def practices_of_country(country, as_of: AsOf) -> list:
    """Every practice published at `as_of` that names `country` or that it shares, newest first."""
    return versions_decorate(list(_of_country(country, as_of)))


def _of_country(country, as_of: AsOf):
    return (published_versions(as_of).filter(for_countries([country.id])).select_related("entity", "country")
            .order_by("-published_at", "-id"))
