"""Reads of activities, participations and national measures: what was published as of a date,
the participation figures derived from them, and what waits on the secretariat or on a focal point.

As the registry, the plan's record is read as of a moment from the dated versions
(`common.intervals`): an activity, a participation or a measure counts as of D when its version
current at D was published. Content can change only before publication (a published record is
withdrawn, never edited: `workflow.py`), so the live row of a record published at D holds the
content published then; the selectors filter live rows by the versions' ids and render those.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.text import capfirst

from coalition.accounts.roles import user_is_reviewer
from coalition.accounts.selectors import country_focal_points_of
from coalition.actionplan.models import (
    Activity,
    ActivityTransition,
    NationalMeasure,
    NationalMeasureTransition,
    Participation,
    ParticipationTransition,
    ReviewStatus,
)
from coalition.actionplan.permissions import user_is_country_focal_point, user_may_record_activity
from coalition.common.asof import AsOf
from coalition.common.intervals import current_at
from coalition.common.queues import queue_assigned, queue_search
from coalition.reference.models import Country, CountryGroup, CountryGroupMembership

# The development groups whose share of participants the plan reports (reference data codes).
GROUP_CODES = ("LDC", "LLDC", "SIDS")

ACTIVITY_PAGE_RELATIONS = ("organisers", "partners", "countries", "actions__plan", "framework_nodes__initiative",
                           "documents")


def published_versions(model, as_of: AsOf) -> QuerySet:
    """The version of each Activity, Participation or NationalMeasure current at `as_of` that was
    published then (a queryset of the historical model; `id` is the object's)."""
    return model.history.model.objects.filter(current_at(as_of.moment), status=ReviewStatus.PUBLISHED).exclude(
        history_type="-")


def _published_ids(model, as_of: AsOf) -> QuerySet:
    return published_versions(model, as_of).values("id")


def _ids(objects) -> Any:
    """A subquery of ids for a queryset, a list of ids for anything else iterable."""
    if isinstance(objects, QuerySet):
        return objects.values("pk")
    return [obj.pk for obj in objects]


# --- Activities ---------------------------------------------------------------------------------


def activities_published(
    *, as_of: AsOf, kind: str = "", country: Country | None = None, action=None, year: int | None = None,
) -> QuerySet[Activity]:
    """The activities published as of `as_of`, latest first, with what a list shows loaded.

    Narrowed to a `kind`; to a `country` (one the activity was for, its host, or one whose
    participation in it was published as of the date); to an `action` of a plan it serves; to
    the activities taking place (in part) in `year`.
    """
    activities = Activity.objects.filter(pk__in=_published_ids(Activity, as_of))
    if kind:
        activities = activities.filter(kind=kind)
    if country is not None:
        listed = Activity.countries.through.objects.filter(country=country).values("activity_id")
        took_part = participation_versions(as_of=as_of, country=country).values("activity_id")
        activities = activities.filter(Q(pk__in=listed) | Q(host_country=country) | Q(pk__in=took_part))
    if action is not None:
        activities = activities.filter(pk__in=Activity.actions.through.objects.filter(action=action).values("activity_id"))
    if year is not None:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        activities = activities.filter(start_date__lte=last).filter(
            Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))
    return activities.select_related("host_country").prefetch_related("organisers", "countries", "actions__plan")


def country_activities(*, country: Country, as_of: AsOf) -> QuerySet[Activity]:
    """The activities published as of `as_of` that were for `country`, hosted by it, or in which its
    participation was published (`activities_published(country=...)`)."""
    return activities_published(as_of=as_of, country=country)


def activity_for_page(pk: int) -> Activity:
    """One activity with everything its page shows. Raises Activity.DoesNotExist."""
    return (Activity.objects.select_related("host_country", "created_by", "assigned_to")
            .prefetch_related(*ACTIVITY_PAGE_RELATIONS).get(pk=pk))


def activity_published_as_of(activity: Activity, as_of: AsOf) -> bool:
    """Whether the activity's version current at `as_of` was published."""
    return published_versions(Activity, as_of).filter(id=activity.pk).exists()


def activity_visible_to(activity: Activity, user) -> bool:
    """Published activities are public; others are seen by those who may record or review them."""
    return activity.status == ReviewStatus.PUBLISHED or user_may_record_activity(user, activity)


def activity_documents_as_of(activity: Activity, as_of: AsOf) -> list:
    """The documents the activity had at `as_of` (documents are added after publication, never
    removed from a published activity)."""
    return [document for document in activity.documents.all() if document.added_at <= as_of.moment]


def activity_transitions(activity: Activity) -> QuerySet[ActivityTransition]:
    return activity.transitions.select_related("actor")


def activities_recorded_by(user, *, limit: int = 20) -> list[Activity]:
    """The activities `user` recorded or may keep (those serving an action of a pillar they lead),
    latest change first."""
    mine = Activity.objects.filter(Q(created_by=user) | Q(actions__pillar__leads__user=user)).values("pk")
    return list(Activity.objects.filter(pk__in=mine).order_by("-updated_at")[:limit])


# --- Participation ------------------------------------------------------------------------------


def participation_versions(*, as_of: AsOf, activities: Iterable[Activity] | None = None,
                           country: Country | None = None) -> QuerySet:
    """The published participations (their versions current at `as_of`) in activities published
    then; narrowed to `activities` (a queryset or a list) and to a `country`."""
    versions = published_versions(Participation, as_of).filter(activity_id__in=_published_ids(Activity, as_of))
    if activities is not None:
        versions = versions.filter(activity_id__in=_ids(activities))
    if country is not None:
        versions = versions.filter(country_id=country.pk)
    return versions


def participations_published(*, as_of: AsOf, activities: Iterable[Activity] | None = None,
                             country: Country | None = None) -> QuerySet[Participation]:
    """The participations published as of `as_of` (see `participation_versions`), latest activity
    first, with their activity and country."""
    ids = participation_versions(as_of=as_of, activities=activities, country=country).values("id")
    return (Participation.objects.filter(pk__in=ids).select_related("activity", "country")
            .order_by("-activity__start_date", "activity_id", "country__name_en"))


def country_participations(*, country: Country, as_of: AsOf) -> QuerySet[Participation]:
    """`country`'s participations published as of `as_of`, in activities published then."""
    return participations_published(as_of=as_of, country=country)


@dataclass(frozen=True)
class GroupShare:
    """The participants from the countries of a development group, and their share of all."""

    code: str
    group: CountryGroup | None
    participants: int
    share: Decimal | None  # of all participants, between 0 and 1

    @property
    def name(self) -> str:
        return self.group.name if self.group is not None else self.code


@dataclass
class CountryParticipants:
    """One country's participants. `groups` maps each development group the country belonged to
    on an activity's first day to the participants counted in it."""

    country: Country
    women: int = 0
    men: int = 0
    other: int = 0
    groups: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.women + self.men + self.other

    @property
    def group_codes(self) -> list[str]:
        return [code for code in GROUP_CODES if self.groups.get(code)]


def _fraction(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` between 0 and 1, to four decimals (a share to 0.01 %); None of nothing."""
    if not whole:
        return None
    return (Decimal(part) / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ParticipationStats:
    """Participants by sex and by country, and the shares from LDCs, LLDCs and SIDS, as of a date.

    A participant counts in a group when their country belonged to it on the first day of the
    activity they took part in (`CountryGroupMembership.as_of`): a country that graduated from
    LDC status before an activity does not count as an LDC for it."""

    as_of: AsOf
    rows: list[CountryParticipants]
    activities: int
    women: int
    men: int
    other: int
    groups: list[GroupShare]

    @property
    def total(self) -> int:
        return self.women + self.men + self.other

    @property
    def countries(self) -> int:
        return len(self.rows)

    @property
    def women_share(self) -> Decimal | None:
        return _fraction(self.women, self.total)

    def group(self, code: str) -> GroupShare:
        return next(group for group in self.groups if group.code == code)


def participation_stats(*, as_of: AsOf, activities: Iterable[Activity] | None = None,
                        country: Country | None = None) -> ParticipationStats:
    """The participation figures as of `as_of` over the published participations in `activities`
    (all activities published then when None), or one `country`'s. Three queries, whatever the
    number of activities: the counts with each country's group memberships on its activity's
    first day, the countries, the groups."""
    member_of = {
        code: Exists(CountryGroupMembership.objects.as_of(OuterRef("activity__start_date"))
                     .filter(country_id=OuterRef("country_id"), group__code=code))
        for code in GROUP_CODES
    }
    versions = participation_versions(as_of=as_of, activities=activities, country=country).annotate(
        **{f"in_{code}": flag for code, flag in member_of.items()})
    counted: dict[int, CountryParticipants] = {}
    seen_activities: set[int] = set()
    in_group = dict.fromkeys(GROUP_CODES, 0)
    records = versions.values_list("activity_id", "country_id", "women", "men", "other",
                                   *(f"in_{code}" for code in GROUP_CODES))
    by_country: dict[int, list] = defaultdict(list)
    for activity_id, country_id, women, men, other, *flags in records:
        seen_activities.add(activity_id)
        by_country[country_id].append((women, men, other, flags))
    countries = Country.objects.in_bulk(list(by_country))
    for country_id, entries in by_country.items():
        row = counted[country_id] = CountryParticipants(country=countries[country_id])
        for women, men, other, flags in entries:
            row.women, row.men, row.other = row.women + women, row.men + men, row.other + other
            for code, member in zip(GROUP_CODES, flags, strict=True):
                if member:
                    row.groups[code] = row.groups.get(code, 0) + women + men + other
                    in_group[code] += women + men + other
    rows = sorted(counted.values(), key=lambda row: row.country.name)
    women, men, other = (sum(getattr(row, name) for row in rows) for name in ("women", "men", "other"))
    total = women + men + other
    groups = CountryGroup.objects.in_bulk(list(GROUP_CODES), field_name="code")
    return ParticipationStats(
        as_of=as_of, rows=rows, activities=len(seen_activities), women=women, men=men, other=other,
        groups=[GroupShare(code, groups.get(code), in_group[code], _fraction(in_group[code], total))
                for code in GROUP_CODES],
    )


def participation_visible_to(participation: Participation, user) -> bool:
    """A participation's own page (its form) is for its country's focal points and the reviewers."""
    return user_is_reviewer(user) or user_is_country_focal_point(user, participation.country)


def participation_transitions(participation: Participation) -> QuerySet[ParticipationTransition]:
    return participation.transitions.select_related("actor")


def participations_of_countries(countries: Iterable[Country], *, limit: int = 50) -> list[Participation]:
    """Every participation of `countries`, in any state, latest change first."""
    return list(Participation.objects.filter(country__in=list(countries)).select_related("activity", "country")
                .order_by("-updated_at")[:limit])


def participations_live_for(activity: Activity, countries: Iterable[Country]) -> list[Participation]:
    """The live (not rejected or withdrawn) participations of `countries` in `activity`."""
    return list(activity.participations.filter(country__in=list(countries)).exclude(
        status__in=[ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN]).select_related("country"))


def activities_awaiting_participation(countries: Iterable[Country], *, limit: int = 10) -> list[Activity]:
    """Published activities for one of `countries` in which none of them has recorded its
    participation yet, latest first: what a country focal point may record next."""
    countries = list(countries)
    recorded = Participation.objects.filter(country__in=countries).exclude(
        status__in=[ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN]).values("activity_id")
    listed = Activity.countries.through.objects.filter(country__in=countries).values("activity_id")
    return list(Activity.objects.filter(status=ReviewStatus.PUBLISHED, pk__in=listed).exclude(pk__in=recorded)
                .order_by("-start_date")[:limit])


# --- National measures --------------------------------------------------------------------------


def measures_published(*, as_of: AsOf, country: Country | None = None) -> QuerySet[NationalMeasure]:
    """The national measures published as of `as_of` (of one `country`), latest adopted first."""
    measures = NationalMeasure.objects.filter(pk__in=_published_ids(NationalMeasure, as_of))
    if country is not None:
        measures = measures.filter(country=country)
    return measures.select_related("country").prefetch_related("actions__plan").order_by("-adopted_on", "-id")


def country_measures(*, country: Country, as_of: AsOf) -> QuerySet[NationalMeasure]:
    """`country`'s national measures published as of `as_of`."""
    return measures_published(as_of=as_of, country=country)


def measure_for_page(pk: int) -> NationalMeasure:
    """One measure with everything its page shows. Raises NationalMeasure.DoesNotExist."""
    return (NationalMeasure.objects.select_related("country", "created_by", "assigned_to")
            .prefetch_related("actions__plan", "framework_nodes__initiative").get(pk=pk))


def measure_published_as_of(measure: NationalMeasure, as_of: AsOf) -> bool:
    return published_versions(NationalMeasure, as_of).filter(id=measure.pk).exists()


def measure_visible_to(measure: NationalMeasure, user) -> bool:
    """Published measures are public; others are seen by the country's focal points and the reviewers."""
    return (measure.status == ReviewStatus.PUBLISHED or user_is_reviewer(user)
            or user_is_country_focal_point(user, measure.country))


def measure_transitions(measure: NationalMeasure) -> QuerySet[NationalMeasureTransition]:
    return measure.transitions.select_related("actor")


def measures_of_countries(countries: Iterable[Country], *, limit: int = 50) -> list[NationalMeasure]:
    """Every national measure of `countries`, in any state, latest change first."""
    return list(NationalMeasure.objects.filter(country__in=list(countries)).select_related("country")
                .order_by("-updated_at")[:limit])


def countries_of(user) -> list[Country]:
    """The countries `user` acts for as a member-state focal point."""
    return [focal.country for focal in country_focal_points_of(user=user)]


def countries_for_recording(user, *, keep: Country | None = None) -> QuerySet[Country]:
    """The countries `user` records participations and national measures for (reviewers: every
    one), and `keep` (the country a record already has) as well."""
    if user_is_reviewer(user):
        return Country.objects.all()
    return Country.objects.filter(Q(focal_points__user=user) | Q(pk=getattr(keep, "pk", None))).distinct()


# --- The secretariat's queue --------------------------------------------------------------------

ACTIVITY, PARTICIPATION, MEASURE = "activity", "participation", "measure"


@dataclass(frozen=True)
class ReviewItem:
    """One activity, participation or national measure waiting on the secretariat."""

    kind: str
    obj: Any
    title: str
    source: str  # who or where it comes from
    url: str

    @property
    def submitted_at(self):
        return self.obj.submitted_at

    @property
    def kind_label(self) -> str:
        return capfirst(self.obj._meta.verbose_name)


def _activity_item(activity: Activity) -> ReviewItem:
    return ReviewItem(ACTIVITY, activity, activity.title, ", ".join(str(o) for o in activity.organisers.all()),
                      reverse("actionplan:review_activity", args=[activity.pk]))


def _participation_item(participation: Participation) -> ReviewItem:
    return ReviewItem(PARTICIPATION, participation, participation.activity.title, str(participation.country),
                      reverse("actionplan:review_participation", args=[participation.pk]))


def _measure_item(measure: NationalMeasure) -> ReviewItem:
    return ReviewItem(MEASURE, measure, measure.title, str(measure.country),
                      reverse("actionplan:review_measure", args=[measure.pk]))


def plan_review_queue(*, reviewer, kind: str = "", status: str = "", assigned: str = "",
                      search: str = "") -> list[ReviewItem]:
    """Activities, participations and national measures waiting on the secretariat, oldest
    submission first.

    `kind` is "activity", "participation", "measure" or "" (all three); `status` "submitted"
    (the default) or "changes_requested"; `assigned` "me", "none" or "" (everyone); `search`
    words of the title, the organisers or the country, in any case and with or without accents.
    """
    states = [status] if status == ReviewStatus.CHANGES_REQUESTED else [ReviewStatus.SUBMITTED]
    sources = {
        ACTIVITY: (Activity.objects.prefetch_related("organisers"), _activity_item),
        PARTICIPATION: (Participation.objects.select_related("activity", "country"), _participation_item),
        MEASURE: (NationalMeasure.objects.select_related("country"), _measure_item),
    }
    items = []
    for name, (queryset, item) in sources.items():
        if kind and kind != name:
            continue
        found = queue_assigned(queryset.filter(status__in=states).select_related("assigned_to"), assigned, reviewer)
        items += [item(obj) for obj in found]
    items.sort(key=lambda item: (item.submitted_at is None, item.submitted_at, item.kind, item.obj.pk))
    if search:
        return queue_search(items, search, lambda item: item.title, lambda item: item.source)
    return items


def plan_review_count() -> int:
    """How many activities, participations and national measures wait on the secretariat's decision."""
    return sum(model.objects.filter(status=ReviewStatus.SUBMITTED).count()
               for model in (Activity, Participation, NationalMeasure))
