"""Who may act on the action plan: the secretariat's reviewers, the leads of a pillar's working
group, and a country's focal points for what their country records. Services call these;
views and templates only ask them.
"""

from coalition.accounts.models import CountryFocalPoint
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import Action, Activity, Pillar, WorkingGroupLead


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def user_is_country_focal_point(user, country) -> bool:
    """The account acts for `country` (approved member-state focal point); administrators act for every one."""
    if not _active(user) or country is None:
        return False
    return user.is_superuser or CountryFocalPoint.objects.filter(user=user, country=country).exists()


def user_leads_pillar(user, pillar: Pillar) -> bool:
    """The account leads `pillar`'s working group (administrators lead every one)."""
    if not _active(user):
        return False
    return user.is_superuser or WorkingGroupLead.objects.filter(user=user, pillar=pillar).exists()


def user_leads_a_working_group(user) -> bool:
    return _active(user) and (user.is_superuser or WorkingGroupLead.objects.filter(user=user).exists())


def user_may_update_action(user, action: Action) -> bool:
    """Reviewers and the leads of the action's pillar keep its status and deliverables up to date."""
    return _active(user) and (user_is_reviewer(user) or user_leads_pillar(user, action.pillar))


def user_may_record_activity(user, activity: Activity | None = None) -> bool:
    """Reviewers record any activity; a working-group lead records new ones and edits those they
    recorded or that serve an action of their pillar."""
    if not _active(user):
        return False
    if user_is_reviewer(user):
        return True
    if not user_leads_a_working_group(user):
        return False
    if activity is None or activity.pk is None or activity.created_by_id == user.pk:
        return True
    return activity.actions.filter(pillar__leads__user=user).exists()
