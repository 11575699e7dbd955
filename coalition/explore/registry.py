"""The registry as it stood at a moment: the reading side of "what did the registry say on date D?".

Every pledge, partner, entity and report change writes a dated version (django-simple-history)
that knows when the next one replaced it (`common.intervals`), and group memberships carry
valid-from/valid-to dates. The registry at a moment is the versions current then, deletions
left out: a range condition. Today's figures are read the same way as last year's
(`HistoricalRegistry`), so a figure quoted today can be re-derived later with `?as_of=` and the
two can never drift apart. The explorer, which lists today's pledges only, filters the live
tables with the same conditions (`LiveRegistry`).
"""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from coalition.common.asof import AsOf
from coalition.common.intervals import current_at
from coalition.entities.models import Entity
from coalition.pledges.models import Pledge, PledgePartner, Status
from coalition.reference.models import CountryGroup, CountryGroupMembership
from coalition.reporting.models import ProgressReport


def versions_as_of(model: type[models.Model], moment: datetime.datetime) -> QuerySet:
    """The version of every object of a history-tracked `model` current at `moment`, deleted
    objects left out: a range condition on the versions' validity intervals
    (`common.intervals`). Returns a queryset of the historical model (its fields are the
    object's, its primary key `history_id`)."""
    return model.history.model.objects.filter(current_at(moment)).exclude(history_type="-")


def published_pledge_versions(as_of: AsOf) -> QuerySet:
    """The version of each pledge that was published at the moment: what the public saw."""
    return versions_as_of(Pledge, as_of.moment).filter(status=Status.PUBLISHED)


def entity_versions(as_of: AsOf) -> QuerySet:
    return versions_as_of(Entity, as_of.moment)


def partner_versions(as_of: AsOf) -> QuerySet:
    return versions_as_of(PledgePartner, as_of.moment)


def report_versions(as_of: AsOf) -> QuerySet:
    return versions_as_of(ProgressReport, as_of.moment)


# The target column of each many-to-many link, the same in the live and the version tables.
LINK_TARGETS = {
    "framework_nodes": "frameworknode_id",
    "beneficiary_countries": "country_id",
    "beneficiary_regions": "countrygroup_id",
    "beneficiary_groups": "beneficiarygroup_id",
    "sdg_targets": "sdgtarget_id",
    "wsis_lines": "wsisactionline_id",
}


class PublishedRegistry:
    """The published pledges at `as_of`, narrowed by a condition on them (`restrict`, built with
    `linked_to`, `led_or_partnered_by` and `targeting_groups`).

    Two implementations answer the same questions: the versions current at a moment
    (`HistoricalRegistry`: every figure), and the live tables (`LiveRegistry`: the explorer's
    filters on today's pledges). The tests hold them equal at the present moment.
    """

    key = ""  # the pledges' column the conditions name: "id" (live) or "history_id" (versions)

    def __init__(self, as_of: AsOf, scope: Q | None = None):
        self.as_of = as_of
        self.scope = scope

    def _linked(self, name: str, targets) -> QuerySet:
        """The `key` of every pledge linked through `name` (a many-to-many field) to one of `targets`."""
        raise NotImplementedError

    def _partners(self) -> QuerySet:
        """The pledges' partners (rows with `pledge_id` and `entity`)."""
        raise NotImplementedError

    def restrict(self, scope: Q) -> "PublishedRegistry":
        """The same registry limited to the pledges matching `scope` (a condition on `pledges()`)."""
        return type(self)(self.as_of, scope)

    def published(self) -> QuerySet:
        """The published pledges (or their versions), limited to the scope."""
        pledges = self.pledges()
        return pledges if self.scope is None else pledges.filter(self.scope)

    def targeting_groups(self, codes, day) -> Q:
        """The pledges that target one of the groups `codes`: they name it as a beneficiary region,
        or name a country that belonged to it on `day`. The one rule for every page and filter
        (the tallies' "group" counts apply it to every group at once, and a test holds them equal).

        One list of ids (a UNION of the two routes): as an OR of two IN conditions, PostgreSQL
        searches the second list once per pledge when it guesses it too large to hash (the LDCs'
        million country links: a count that took a minute ran for over six)."""
        groups = CountryGroup.objects.filter(code__in=list(codes)).values("pk")
        members = CountryGroupMembership.objects.as_of(day).filter(group__code__in=list(codes)).values("country_id")
        ids = self._linked("beneficiary_regions", groups).union(self._linked("beneficiary_countries", members))
        return Q(**{f"{self.key}__in": ids})

    def linked_to(self, name: str, targets) -> Q:
        """The pledges linked (through `name`, a many-to-many field) to one of `targets`."""
        return Q(**{f"{self.key}__in": self._linked(name, targets)})

    def led_or_partnered_by(self, entity) -> Q:
        """The pledges `entity` leads or partners. One list of ids (a UNION): an OR of the two
        conditions scans every pledge (0.34 s at a million pledges against 0.09 s for the busiest
        entity)."""
        led = self.pledges().filter(lead_entity=entity).values("id")
        return Q(id__in=led.union(self._partners().filter(entity=entity).values("pledge_id")))


class LiveRegistry(PublishedRegistry):
    key = "id"

    def pledges(self) -> QuerySet:
        return Pledge.objects.filter(status=Status.PUBLISHED)

    def _linked(self, name: str, targets) -> QuerySet:
        # Through the link table, so a pledge linked to several targets is still one row.
        return getattr(Pledge, name).through.objects.filter(**{f"{LINK_TARGETS[name]}__in": targets}).values("pledge_id")

    def _partners(self) -> QuerySet:
        return PledgePartner.objects.all()

    def targeting_groups_each(self, codes, day) -> Q:
        """The pledges of `targeting_groups`, tested one pledge at a time: the groups and their
        members on `day` are read first (two small queries), then each pledge's links are looked
        up in their (pledge, target) index. For a list read a page at a time in an index's order:
        PostgreSQL walks the order and stops at the page's end instead of first listing every
        pledge of the group (a page of the LDCs' pledges led by governments: 22 ms against 400 at
        a million pledges). Counting a whole group this way is four times slower than
        `targeting_groups`, which the counts use."""
        codes = list(codes)
        groups = list(CountryGroup.objects.filter(code__in=codes).values_list("pk", flat=True))
        members = set(CountryGroupMembership.objects.as_of(day).filter(group__code__in=codes)
                      .values_list("country_id", flat=True))

        def linked(name: str, targets) -> Exists:
            links = getattr(Pledge, name).through.objects
            return Exists(links.filter(pledge_id=OuterRef("id"), **{f"{LINK_TARGETS[name]}__in": sorted(targets)}))

        return Q(linked("beneficiary_countries", members)) | Q(linked("beneficiary_regions", groups))


class HistoricalRegistry(PublishedRegistry):
    key = "history_id"

    def pledges(self) -> QuerySet:
        return published_pledge_versions(self.as_of)

    def _linked(self, name: str, targets) -> QuerySet:
        link = Pledge.history.model._meta.get_field(f"historicalpledge_{name}").related_model
        return link.objects.filter(**{f"{LINK_TARGETS[name]}__in": targets}).values("history_id")

    def _partners(self) -> QuerySet:
        return partner_versions(self.as_of)

    def entities(self) -> QuerySet:
        return entity_versions(self.as_of)
