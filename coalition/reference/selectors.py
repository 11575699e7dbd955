"""Reads of reference data: dated group memberships and exchange rates."""

import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from coalition.reference.models import Country, CountryGroup, CountryGroupMembership, ExchangeRate


def rate_table() -> dict[tuple[str, int], Decimal]:
    """Every stored annual rate as {(currency code, year): USD per unit}, in one query.

    For bulk callers (imports, the demo generator) that convert many values: pass the
    result to `usd_value(rates=...)` so no row costs a database round trip. The table is a
    snapshot; rates imported afterwards are not in it.
    """
    return {
        (code, year): rate
        for code, year, rate in ExchangeRate.objects.values_list("currency__code", "year", "usd_per_unit")
    }


def group_members_as_of(*, group_code: str, date: datetime.date) -> QuerySet[Country]:
    """Countries that belonged to the group on `date` (valid_from inclusive, valid_to exclusive).

    An unknown group code gives an empty queryset, like a group with no members that day.
    """
    memberships = CountryGroupMembership.objects.as_of(date).filter(group__code=group_code)
    return Country.objects.filter(memberships__in=memberships).distinct().order_by("name_en")


def country_groups_as_of(*, country: Country, date: datetime.date) -> QuerySet[CountryGroup]:
    """The groups `country` belonged to on `date`, ordered by kind, with parents loaded."""
    memberships = CountryGroupMembership.objects.as_of(date).filter(country=country)
    return (
        CountryGroup.objects.filter(memberships__in=memberships)
        .distinct()
        .select_related("parent")
        .order_by("kind", "order", "code")
    )


def groups_by_kind() -> dict[str, list[CountryGroup]]:
    """All groups keyed by kind value, in display order, with parents loaded: for filters and menus."""
    result: dict[str, list[CountryGroup]] = {kind: [] for kind in CountryGroup.Kind.values}
    for group in CountryGroup.objects.select_related("parent").order_by("kind", "order", "code"):
        result[group.kind].append(group)
    return result


def group_with_members_as_of(*, group_code: str, date: datetime.date) -> CountryGroup:
    """One group with `members` prefetched as of `date`, for a group page. Raises DoesNotExist."""
    memberships = CountryGroupMembership.objects.as_of(date).select_related("country").order_by("country__name_en")
    return CountryGroup.objects.prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="members_as_of")
    ).get(code=group_code)
