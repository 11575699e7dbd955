"""The registry as it stood at a moment: the reading side of "what did the registry say on date D?".

Every pledge, partner, entity and report change writes a dated version (django-simple-history),
and group memberships carry valid-from/valid-to dates. A snapshot picks, for each object, its
latest version at the moment and drops objects whose latest version is a deletion. Today's
figures are read the same way as last year's, so a figure quoted today can be re-derived later
with `?as_of=` and the two code paths can never drift apart.
"""

import datetime

from django.db import models
from django.db.models import Q, QuerySet

from coalition.common.asof import AsOf
from coalition.common.intervals import current_at
from coalition.entities.models import Entity
from coalition.pledges.models import Pledge, PledgePartner, Status
from coalition.reference.models import CountryGroup, CountryGroupMembership
from coalition.reporting.models import LATEST_LAST, ProgressReport


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


PLEDGE_FIELDS = ("id", "value_usd", "pledge_type", "initiative_id", "lead_entity_id", "campaign_id", "published_at")


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
    """The published pledges at `as_of` and what hangs on them, as (id, ...) rows.

    Two implementations answer the same questions: now, from the live tables (the latest
    version of everything is the live row, and the live tables are indexed for it); at an
    earlier moment, from the versions. The tests hold them equal at the present moment.
    The pledges can be narrowed by a condition on them (`restrict`, built with `linked_to` and
    `led_or_partnered_by`).
    """

    def __init__(self, as_of: AsOf, scope: Q | None = None):
        self.as_of = as_of
        self.scope = scope

    def restrict(self, scope: Q) -> "PublishedRegistry":
        """The same registry limited to the pledges matching `scope` (a condition on `pledges()`)."""
        return type(self)(self.as_of, scope)

    def _pledges(self) -> QuerySet:
        pledges = self.pledges()
        return pledges if self.scope is None else pledges.filter(self.scope)

    def _narrow(self, queryset: QuerySet, field: str = "id") -> QuerySet:
        if self.scope is None:
            return queryset
        return queryset.filter(**{f"{field}__in": self._pledges().values("id")})

    def pledge_rows(self):
        """(id, value_usd, pledge_type, initiative_id, lead_entity_id, campaign_id, published_at)."""
        return self._pledges().values_list(*PLEDGE_FIELDS)

    def entity_rows(self):
        """(id, entity_type, home_country_id) of every entity."""
        return self.entities().values_list("id", "entity_type", "home_country_id")

    def targeting_groups(self, codes, day) -> Q:
        """The pledges that target one of the groups `codes`: they name it as a beneficiary region,
        or name a country that belonged to it on `day`. The one rule, in SQL, for every page and
        filter; `frame.pledge_targets_group` applies it to a frame in memory."""
        groups = CountryGroup.objects.filter(code__in=list(codes)).values("pk")
        members = CountryGroupMembership.objects.as_of(day).filter(group__code__in=list(codes)).values("country_id")
        return self.linked_to("beneficiary_regions", groups) | self.linked_to("beneficiary_countries", members)


class LiveRegistry(PublishedRegistry):
    def pledges(self) -> QuerySet:
        return Pledge.objects.filter(status=Status.PUBLISHED)

    def link_rows(self, name: str):
        through = getattr(Pledge, name).through.objects.filter(pledge__status=Status.PUBLISHED)
        return self._narrow(through, "pledge_id").values_list("pledge_id", LINK_TARGETS[name])

    def linked_to(self, name: str, targets) -> Q:
        # Through the link table, so a pledge linked to several targets is still one row.
        links = getattr(Pledge, name).through.objects.filter(**{f"{LINK_TARGETS[name]}__in": targets})
        return Q(id__in=links.values("pledge_id"))

    def partner_rows(self):
        partners = PledgePartner.objects.filter(pledge__status=Status.PUBLISHED)
        return self._narrow(partners, "pledge_id").values_list("pledge_id", "entity_id")

    def led_or_partnered_by(self, entity) -> Q:
        return Q(lead_entity=entity) | Q(id__in=PledgePartner.objects.filter(entity=entity).values("pledge_id"))

    def entities(self) -> QuerySet:
        return Entity.objects.all()

    def accepted_report_rows(self):
        """(pledge id, disbursed USD) of accepted reports, each pledge's latest last."""
        reports = ProgressReport.objects.filter(status="accepted", pledge__status=Status.PUBLISHED)
        return self._narrow(reports, "pledge_id").order_by("pledge_id", *LATEST_LAST).values_list(
            "pledge_id", "disbursed_usd"
        )


class HistoricalRegistry(PublishedRegistry):
    def pledges(self) -> QuerySet:
        return published_pledge_versions(self.as_of)

    def _versions(self) -> QuerySet:
        return self._pledges().values("history_id")

    def _link_model(self, name: str):
        return Pledge.history.model._meta.get_field(f"historicalpledge_{name}").related_model

    def link_rows(self, name: str):
        links = self._link_model(name).objects.filter(history_id__in=self._versions())
        return links.values_list("history__id", LINK_TARGETS[name])

    def linked_to(self, name: str, targets) -> Q:
        links = self._link_model(name).objects.filter(**{f"{LINK_TARGETS[name]}__in": targets})
        return Q(history_id__in=links.values("history_id"))

    def partner_rows(self):
        partners = partner_versions(self.as_of).filter(pledge_id__in=self._pledges().values("id"))
        return partners.values_list("pledge_id", "entity_id")

    def led_or_partnered_by(self, entity) -> Q:
        return Q(lead_entity=entity) | Q(id__in=partner_versions(self.as_of).filter(entity=entity).values("pledge_id"))

    def entities(self) -> QuerySet:
        return entity_versions(self.as_of)

    def accepted_report_rows(self):
        reports = report_versions(self.as_of).filter(
            status="accepted", pledge_id__in=self._pledges().values("id")
        )
        return reports.order_by("pledge_id", *LATEST_LAST).values_list("pledge_id", "disbursed_usd")


def published_registry(as_of: AsOf, *, live: bool | None = None) -> PublishedRegistry:
    """The registry the figures read at `as_of`: the live tables for now, the versions before.
    `live=False` forces the versions (the tests compare both)."""
    if live is None:
        live = as_of.is_today
    return LiveRegistry(as_of) if live else HistoricalRegistry(as_of)
