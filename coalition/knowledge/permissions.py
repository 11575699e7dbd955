"""Who may share, edit and see a good practice. Services call these; views and templates only
ask them.

A practice is shared by a pledger (an entity), a member state (a country) or the secretariat.
Its authors are the people who act for that sharer: the entity's focal points, the country's
focal points, the secretariat's reviewers; administrators act for every entity and country.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from coalition.accounts.models import CountryFocalPoint
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import ReviewStatus
from coalition.actionplan.permissions import user_is_country_focal_point
from coalition.entities.models import Entity
from coalition.entities.permissions import user_can_act_for_entity
from coalition.knowledge.models import GoodPractice, SharedBy
from coalition.reference.models import Country


def user_may_share_as(user, *, shared_by: str, entity: Entity | None = None, country: Country | None = None) -> bool:
    """Whether `user` acts for this sharer: the entity's focal points for a pledger, the country's
    for a member state, the reviewers for the secretariat."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if shared_by == SharedBy.PLEDGER:
        return entity is not None and user_can_act_for_entity(user, entity)
    if shared_by == SharedBy.MEMBER_STATE:
        return user_is_country_focal_point(user, country)
    if shared_by == SharedBy.SECRETARIAT:
        return user_is_reviewer(user)
    return False


def report_sharer(user, report) -> tuple[str, Entity | None, Country | None] | None:
    """Who `user` would share a practice from `report` as: its pledge's lead entity (for the
    entity's focal points), else the first beneficiary country of the pledge they are a focal
    point of (a member state telling what a pledge did for it); None when neither."""
    pledge = report.pledge
    if user_can_act_for_entity(user, pledge.lead_entity):
        return SharedBy.PLEDGER, pledge.lead_entity, None
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    country = (pledge.beneficiary_countries.filter(focal_points__user=user).order_by("name_en").first())
    return (SharedBy.MEMBER_STATE, None, country) if country is not None else None


def user_is_practice_author(user, practice: GoodPractice) -> bool:
    return user_may_share_as(user, shared_by=practice.shared_by, entity=practice.entity, country=practice.country)


def user_may_see_practice(user, practice: GoodPractice) -> bool:
    """A published practice is public; any other only to its authors and the reviewers."""
    if practice.status == ReviewStatus.PUBLISHED:
        return True
    return user_is_reviewer(user) or user_is_practice_author(user, practice)


def sharer_name(practice) -> str:
    """Who shares the practice, as people read it: the entity, the country, or the secretariat."""
    if practice.shared_by == SharedBy.PLEDGER and practice.entity_id:
        return str(practice.entity)
    if practice.shared_by == SharedBy.MEMBER_STATE and practice.country_id:
        return practice.country.name
    return _("The secretariat")


@dataclass(frozen=True)
class Sharer:
    """One way `user` may share a practice: as the secretariat, for an entity or for a country."""

    shared_by: str
    entity: Entity | None = None
    country: Country | None = None

    @property
    def key(self) -> str:
        """The form's value for it: "secretariat", "pledger:<entity id>" or "member_state:<country ISO3>"."""
        if self.entity is not None:
            return f"{SharedBy.PLEDGER}:{self.entity.pk}"
        if self.country is not None:
            return f"{SharedBy.MEMBER_STATE}:{self.country.iso3}"
        return str(SharedBy.SECRETARIAT)

    @property
    def label(self) -> str:
        if self.entity is not None:
            return _("%(entity)s (a pledger)") % {"entity": self.entity}
        if self.country is not None:
            return _("%(country)s (a member state)") % {"country": self.country.name}
        return _("The secretariat")


def sharers_for(user) -> list[Sharer]:
    """The ways `user` may share a practice: the secretariat for a reviewer, each entity they are
    a focal point of, each country they act for."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    options = [Sharer(SharedBy.SECRETARIAT)] if user_is_reviewer(user) else []
    options += [Sharer(SharedBy.MEMBER_STATE, country=row.country) for row in
                CountryFocalPoint.objects.filter(user=user).select_related("country").order_by("country__name_en")]
    options += [Sharer(SharedBy.PLEDGER, entity=entity) for entity in
                Entity.objects.filter(focal_points__user=user).distinct().order_by("name")]
    return options
