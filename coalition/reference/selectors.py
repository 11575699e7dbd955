"""Reads of reference data: dated group memberships and exchange rates."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from coalition.reference.models import Country, CountryGroup, CountryGroupMembership, Currency, ExchangeRate, Initiative


@dataclass(frozen=True)
class Rate:
    """A stored annual rate: US dollars per unit, and whether its year was still running."""

    usd_per_unit: Decimal
    provisional: bool = False


def rate_table(*, provisional: bool = True) -> dict[tuple[str, int], Decimal]:
    """Every stored annual rate as {(currency code, year): USD per unit}, in one query; only the
    final ones (of complete years) without `provisional`.

    For bulk callers (imports, the demo generator) that convert many values: pass the
    result to `usd_value(rates=...)` so no row costs a database round trip. The table is a
    snapshot; rates imported afterwards are not in it.
    """
    rates = ExchangeRate.objects.all() if provisional else ExchangeRate.objects.filter(provisional=False)
    return {(code, year): rate for code, year, rate in rates.values_list("currency__code", "year", "usd_per_unit")}


def rates_for(keys) -> dict[tuple[str, int], Rate]:
    """The stored rates of the (currency code, year) pairs `keys` as {(code, year): Rate}, pairs
    without a rate left out: one query however many pairs (for `services.usd_conversion`)."""
    keys = set(keys)
    if not keys:
        return {}
    found = ExchangeRate.objects.filter(
        currency__code__in=sorted({code for code, _year in keys}), year__in=sorted({year for _code, year in keys})
    ).values_list("currency__code", "year", "usd_per_unit", "provisional")
    return {(code, year): Rate(rate, provisional) for code, year, rate, provisional in found if (code, year) in keys}


def currencies_without_rates() -> list[str]:
    """Codes of the currencies (US dollar aside) with no stored rate for any year, alphabetical."""
    return list(
        Currency.objects.exclude(code="USD").filter(rates__isnull=True).order_by("code").values_list("code", flat=True)
    )


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


def group_member_ids_as_of(*, date: datetime.date) -> dict[str, list[int]]:
    """{group code: ids of the countries in it on `date`} for every group, in one query: what a
    country picker's "add every country of a group" adds."""
    members: dict[str, list[int]] = {}
    rows = CountryGroupMembership.objects.as_of(date).order_by("group__code", "country_id")
    for code, country_id in rows.values_list("group__code", "country_id"):
        members.setdefault(code, []).append(country_id)
    return members


# Initiatives made for the countries of some groups only (AP-IS: ESCAP's members and associate
# members). A pledge form opened for an entity based in one of those countries offers the
# initiative first.
REGIONAL_INITIATIVES = {"ap-is": frozenset({"ESCAP-MEMBER", "ESCAP-ASSOCIATE"})}


def initiative_suggested_for(*, country: Country | None, date: datetime.date) -> Initiative | None:
    """The initiative a pledge from an entity based in `country` most likely goes to: the only
    initiative on the platform; else the regional initiative whose groups held the country on
    `date`; else none (the pledger chooses: a guess would be wrong for many)."""
    initiatives = list(Initiative.objects.order_by("pk")[:2])
    if len(initiatives) == 1:
        return initiatives[0]
    if country is None:
        return None
    groups = set(CountryGroupMembership.objects.as_of(date).filter(country=country).values_list("group__code", flat=True))
    slugs = [slug for slug, codes in REGIONAL_INITIATIVES.items() if codes & groups]
    return Initiative.objects.filter(slug__in=slugs).order_by("pk").first() if slugs else None


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
