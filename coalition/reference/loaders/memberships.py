"""Applying a classification snapshot (a file that says who is in which group now) to dated memberships.

A snapshot covers a set of groups entirely. Loading one valid from date D:
- a country listed in a group where it already has an open membership keeps it (history
  is continuous, its original valid_from stays);
- a country newly listed gets a membership valid from D (or has a membership that ended
  exactly on D reopened, when a corrected snapshot undoes a change);
- an open membership the snapshot no longer lists is closed with valid_to = D, or deleted
  when it only began on D (a corrected re-import of the same snapshot).
Without a date (sources that publish no dates), memberships the snapshot drops are deleted,
and the groups must hold no dated membership: an undated snapshot cannot say what changed when.
Snapshots must be loaded in date order, so an older one cannot overwrite a newer one.
"""

import datetime

from django.db.models import Q

from coalition.common.signals import registry_changed
from coalition.reference.loaders.base import Counts, ImportErrors, RowError
from coalition.reference.models import CountryGroup, CountryGroupMembership


def apply_snapshot(
    *,
    groups: list[CountryGroup],
    members: dict[tuple[int, int], dict[str, str]],
    valid_from: datetime.date | None,
    counts: Counts,
) -> None:
    """`members` maps (group id, country id) to {"source", "note"} for every membership in force."""
    in_scope = CountryGroupMembership.objects.filter(group__in=groups)
    if valid_from:
        later = in_scope.filter(Q(valid_from__gt=valid_from) | Q(valid_to__gt=valid_from)).select_related("group", "country").first()
        if later:
            raise ImportErrors(
                [
                    RowError(
                        None, "valid_from",
                        f"A later classification is already loaded ({later.group.code} membership of "
                        f"{later.country.iso3} dated {later.valid_from} to {later.valid_to or 'now'}); "
                        f"snapshots must be loaded in date order, this one is valid from {valid_from}",
                    )
                ]
            )
    else:
        dated = in_scope.filter(Q(valid_from__isnull=False) | Q(valid_to__isnull=False)).select_related("group", "country").first()
        if dated:
            raise ImportErrors(
                [
                    RowError(
                        None, "valid_from",
                        f"A dated classification is already loaded ({dated.group.code} membership of "
                        f"{dated.country.iso3} from {dated.valid_from or 'the start'} to {dated.valid_to or 'now'}); "
                        "import this file with the date it takes effect (--valid-from)",
                    )
                ]
            )
    open_memberships = {(m.group_id, m.country_id): m for m in in_scope.filter(valid_to__isnull=True)}
    ended_on_date = (
        {(m.group_id, m.country_id): m for m in in_scope.filter(valid_to=valid_from)} if valid_from else {}
    )
    to_create, to_update = [], []
    for key, values in members.items():
        membership = open_memberships.pop(key, None)
        if membership is None and key in ended_on_date:
            membership = ended_on_date[key]
            membership.valid_to = None
            to_update.append(membership)
        elif membership is None:
            to_create.append(
                CountryGroupMembership(group_id=key[0], country_id=key[1], valid_from=valid_from, **values)
            )
        elif membership.valid_from == valid_from and (membership.source, membership.note) != (values["source"], values["note"]):
            # Same snapshot re-imported with corrected notes; an older membership keeps the
            # source it started with.
            membership.source, membership.note = values["source"], values["note"]
            to_update.append(membership)
        else:
            counts.unchanged += 1
    to_delete = []
    for membership in open_memberships.values():
        if valid_from is None or membership.valid_from == valid_from:
            to_delete.append(membership.pk)
        else:
            membership.valid_to = valid_from
            to_update.append(membership)
    CountryGroupMembership.objects.bulk_create(to_create, batch_size=500)
    CountryGroupMembership.objects.bulk_update(to_update, ["valid_to", "source", "note"], batch_size=500)
    CountryGroupMembership.objects.filter(pk__in=to_delete).delete()
    if to_create or to_update or to_delete:
        counts.wrote(CountryGroupMembership)
        registry_changed.send(sender=CountryGroupMembership, since=None)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.deleted += len(to_delete)
