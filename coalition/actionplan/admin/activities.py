"""The secretariat's admin for activities, participations and national measures. They are written
on the site's own pages through `services`; the admin shows them and lets reviewers decide on
them through the same services (never by editing fields)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from coalition.actionplan.models import (
    Activity,
    ActivityDocument,
    ActivityTransition,
    NationalMeasure,
    NationalMeasureTransition,
    Participation,
    ParticipationTransition,
    ReviewAction,
)
from coalition.actionplan.services.activities import activity_move, participation_move
from coalition.actionplan.services.measures import measure_move
from coalition.actionplan.workflow import REVIEWER, TRANSITIONS


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _transitions_inline(log):
    class TransitionInline(_ReadOnlyInline):
        model = log
        fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
        readonly_fields = fields
        verbose_name_plural = gettext_lazy("Decisions")

    return TransitionInline


class ActivityDocumentInline(_ReadOnlyInline):
    model = ActivityDocument
    fields = ["title", "url", "file", "size", "added_by", "added_at"]
    readonly_fields = fields


class DecisionForm(admin.helpers.ActionForm):
    """The decision's comment, next to the action menu of the list (required to request changes or reject)."""

    comment = forms.CharField(label=gettext_lazy("comment"), required=False)


def _decision(action: str, move, subject: str):
    """An admin action taking the reviewers' `action` on each selected record through the service `move`."""

    def run(modeladmin, request, queryset):
        comment, done = request.POST.get("comment", ""), 0
        for obj in queryset:
            try:
                move(actor=request.user, action=action, comment=comment, **{subject: obj})
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, f"“{obj}”: {text}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(action)s: done for %(count)d record(s).")
                                    % {"action": ReviewAction(action).label, "count": done}, messages.SUCCESS)

    run.__name__ = f"{subject}_{action}"
    run.short_description = ReviewAction(action).label
    return run


def _decisions(move, subject: str) -> list:
    return [_decision(t.action, move, subject) for t in TRANSITIONS if t.role == REVIEWER]


class _RecordAdmin(SimpleHistoryAdmin):
    """A moderated record: read here, decided through the workflow actions."""

    action_form = DecisionForm
    list_filter = ["status", "is_demo"]

    def has_add_permission(self, request):
        return False  # recorded on the site's own pages, through the services

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a record is withdrawn or rejected, never deleted


@admin.register(Activity)
class ActivityAdmin(_RecordAdmin):
    list_display = ["title", "kind", "start_date", "end_date", "place", "online", "status", "published_at"]
    list_filter = ["status", "kind", "online", "actions__plan", "is_demo"]
    search_fields = ["title", "description", "place", "=id"]
    date_hierarchy = "start_date"
    readonly_fields = ["kind", "title", "description", "start_date", "end_date", "place", "host_country", "online",
                       "organisers", "partners", "countries", "actions", "framework_nodes", "outputs", "status",
                       "version", "submitted_at", "published_at", "created_by", "assigned_to", "created_at",
                       "updated_at", "is_demo"]
    inlines = [ActivityDocumentInline, _transitions_inline(ActivityTransition)]
    actions = _decisions(activity_move, "activity")


@admin.register(Participation)
class ParticipationAdmin(_RecordAdmin):
    list_display = ["activity", "country", "women", "men", "other", "status", "published_at"]
    list_filter = ["status", "activity__kind", "is_demo"]
    search_fields = ["activity__title", "country__name_en", "country__iso3", "=id"]
    list_select_related = ["activity", "country"]
    readonly_fields = ["activity", "country", "women", "men", "other", "note", "status", "version", "submitted_at",
                       "published_at", "created_by", "assigned_to", "created_at", "updated_at", "is_demo"]
    inlines = [_transitions_inline(ParticipationTransition)]
    actions = _decisions(participation_move, "participation")


@admin.register(NationalMeasure)
class NationalMeasureAdmin(_RecordAdmin):
    list_display = ["title", "country", "kind", "adopted_on", "status", "published_at"]
    list_filter = ["status", "kind", "is_demo"]
    search_fields = ["title", "description", "country__name_en", "country__iso3", "=id"]
    list_select_related = ["country"]
    readonly_fields = ["country", "kind", "title", "description", "adopted_on", "url", "actions", "framework_nodes",
                       "status", "version", "submitted_at", "published_at", "created_by", "assigned_to",
                       "created_at", "updated_at", "is_demo"]
    inlines = [_transitions_inline(NationalMeasureTransition)]
    actions = _decisions(measure_move, "measure")
