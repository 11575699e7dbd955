"""The registry as it stood at a moment: the reading side of "what did the registry say on date D?".

Every pledge, partner, entity and report change writes a dated version (django-simple-history)
that knows when the next one replaced it (`common.intervals`), and group memberships carry
valid-from/valid-to dates. The registry at a moment is the versions current then, deletions
left out: a range condition. Today's figures are read the same way as last year's
(`HistoricalRegistry`), so a figure quoted today can be re-derived later with `?as_of=` and the
two can never drift apart. The explorer filters the live tables with the same conditions today
(`LiveRegistry`, better indexed) and the versions on a past day.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from coalition.common.asof import AsOf
from coalition.common.intervals import current_at
from coalition.entities.models import Entity
from coalition.pledges.models import Pledge, PledgePartner, PledgeTarget, Status
from coalition.pledges.selectors import pledge_public_history
from coalition.reference.models import CountryGroup, CountryGroupMembership
from coalition.reporting.models import LATEST_FIRST, Evidence, ProgressReport, ProgressReportTarget, ReportStatus
from coalition.reporting.selectors import PledgeDelivery, TargetDelivery, pledge_annotate_reporting_status
from coalition.reporting.status import ReportingStatus


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


def target_versions(as_of: AsOf) -> QuerySet:
    """The version of every pledge target current at the moment: its latest version written by
    then (latest by date, then by history id, as the progress roll-up ranks them), deleted
    targets left out. A target's history carries no validity interval, so "latest" is the
    absence of a later version written by the moment. Returns a queryset of the historical
    model, filterable by `pledge_id`."""
    model = PledgeTarget.history.model
    written = model.objects.filter(history_date__lte=as_of.moment)
    later = written.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return written.filter(~Exists(later)).exclude(history_type="-")


def version_links(name: str) -> QuerySet:
    """The link rows of the pledge versions through the many-to-many field `name` (columns
    `history_id`, `pledge_id` and the target's, as in `LINK_TARGETS`)."""
    return Pledge.history.model._meta.get_field(f"historicalpledge_{name}").related_model.objects.all()


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
        return version_links(name).filter(**{f"{LINK_TARGETS[name]}__in": targets}).values("history_id")

    def _partners(self) -> QuerySet:
        return partner_versions(self.as_of)

    def entities(self) -> QuerySet:
        return entity_versions(self.as_of)


# One pledge as it stood: what its public page shows with `?as_of=`.


@dataclass
class PledgeThen:
    """A pledge's public page at a past moment, every part as it stood then: `pledge` its version
    (title, values, dates…), `lead` and `partners` with their names then, its links, the reports
    accepted by then (`reports`, latest first, each with `actuals` and `evidence_items`), its
    delivery (from the latest of them) and its reporting status on the day."""

    pledge: models.Model
    lead: models.Model | None
    partners: list
    links: dict[str, list]
    reports: list
    delivery: PledgeDelivery
    reporting_status: ReportingStatus | None
    changes: list[dict]


def _rows_then(model: type[models.Model], moment: datetime.datetime, **conditions) -> list:
    """The versions current at `moment` of the objects of `model` matching `conditions`, for a
    history without validity intervals (a pledge's targets, a report's actuals and evidence):
    each object's latest version written by then, deleted objects left out. One query."""
    latest = {}
    for row in model.history.filter(history_date__lte=moment, **conditions).order_by("history_date", "history_id"):
        latest[row.id] = row
    return [row for row in latest.values() if row.history_type != "-"]


_LINKED = {
    "nodes": ("framework_nodes", "frameworknode", ("frameworknode__order", "frameworknode__code")),
    "countries": ("beneficiary_countries", "country", ("country__name_en",)),
    "regions": ("beneficiary_regions", "countrygroup", ("countrygroup__kind", "countrygroup__order", "countrygroup__code")),
    "beneficiary_groups": ("beneficiary_groups", "beneficiarygroup", ("beneficiarygroup__order",)),
    "sdg_targets": ("sdg_targets", "sdgtarget", ("sdgtarget__code",)),
    "wsis_lines": ("wsis_lines", "wsisactionline", ("wsisactionline__order", "wsisactionline__code")),
}


def pledge_as_of(pk: int, as_of: AsOf) -> PledgeThen | None:
    """The pledge `pk` as the public saw it at `as_of` (see `PledgeThen`), or None when it was
    not published then. About fifteen queries, whatever the pledge's history."""
    version = (published_pledge_versions(as_of).filter(id=pk)
               .select_related("initiative", "value_currency", "campaign").first())
    if version is None:
        return None
    partners = list(partner_versions(as_of).filter(pledge_id=pk).order_by("id"))
    names = entity_names_as_of({version.lead_entity_id, *(p.entity_id for p in partners)}, as_of)
    lead = Entity(pk=version.lead_entity_id, name=names.get(version.lead_entity_id, ""))
    for partner in partners:
        partner.entity_name = names.get(partner.entity_id, "")
    partners.sort(key=lambda p: p.entity_name)
    links = {
        key: [getattr(row, target) for row in version_links(name).filter(history_id=version.history_id)
              .select_related(target).order_by(*order)]
        for key, (name, target, order) in _LINKED.items()
    }
    accepted = report_versions(as_of).filter(pledge_id=pk, status=ReportStatus.ACCEPTED)
    reports = list(accepted.select_related("disbursed_currency").order_by(*LATEST_FIRST))
    ids = [report.id for report in reports]
    targets = sorted(_rows_then(PledgeTarget, as_of.moment, pledge_id=pk), key=lambda t: (t.order, t.id))
    by_id = {target.id: target for target in targets}
    actuals = _rows_then(ProgressReportTarget, as_of.moment, report_id__in=ids)
    evidence = sorted(_rows_then(Evidence, as_of.moment, report_id__in=ids), key=lambda e: e.id)
    for report in reports:
        report.delivered_fraction = None if report.share_delivered is None else report.share_delivered / 100
        report.actuals = [
            TargetDelivery(target=by_id[a.target_id], actual_value=a.actual_value)
            for a in actuals if a.report_id == report.id and a.target_id in by_id
        ]
        report.evidence_items = [item for item in evidence if item.report_id == report.id]
    latest = reports[0] if reports else None
    reached = {row.target.id: row.actual_value for row in latest.actuals} if latest else {}
    delivery = PledgeDelivery(
        pledge=version, report=latest, pledged_usd=version.value_usd,
        disbursed_usd=latest.disbursed_usd if latest else None,
        share_delivered=latest.share_delivered if latest else None,
        targets=[TargetDelivery(target=t, actual_value=reached.get(t.id)) for t in targets],
    )
    status = (pledge_annotate_reporting_status(published_pledge_versions(as_of).filter(id=pk), today=as_of.date,
                                               reports=report_versions(as_of))
              .values_list("reporting_status", flat=True).first())
    changes = [change for change in pledge_public_history(Pledge(pk=pk)) if change["at"] <= as_of.moment]
    return PledgeThen(
        pledge=version, lead=lead, partners=partners, links=links, reports=reports, delivery=delivery,
        reporting_status=ReportingStatus(status) if status else None, changes=changes,
    )


def entity_names_as_of(ids, as_of: AsOf) -> dict[int, str]:
    """{entity id: its name at `as_of`}: its version current then, or its name today for an
    entity recorded without a version that old (one loaded before its history was kept). Two
    queries at most."""
    ids = set(ids)
    names = dict(entity_versions(as_of).filter(id__in=ids).values_list("id", "name"))
    if ids - names.keys():
        names.update(Entity.objects.filter(id__in=ids - names.keys()).values_list("id", "name"))
    return names


def pledge_first_published(pk: int) -> datetime.datetime | None:
    """When the pledge `pk` was first published (its first published version), if ever."""
    return (Pledge.history.filter(id=pk, status=Status.PUBLISHED).order_by("history_date")
            .values_list("history_date", flat=True).first())
