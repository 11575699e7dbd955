"""The secretariat's admin for progress reports. Reports are written by pledgers through
`services`; the admin shows them and lets reviewers accept or return them through the same
services (never by editing fields).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from coalition.pledges.admin import usd_display, usd_state_filter
from coalition.reporting import services
from coalition.reporting.models import (
    Evidence,
    ProgressReport,
    ProgressReportTarget,
    ProgressReportTransition,
    ReportAction,
    VerificationLevel,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProgressReportTargetInline(_ReadOnlyInline):
    model = ProgressReportTarget
    fields = ["target", "target_value", "actual_value"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Actuals against the pledge's targets")

    @admin.display(description=gettext_lazy("target value"))
    def target_value(self, obj):
        return f"{obj.target.target_value:,f} {obj.target.unit}"


class EvidenceInline(_ReadOnlyInline):
    model = Evidence
    fields = ["kind", "title", "url", "file", "size", "added_by", "added_at"]
    readonly_fields = fields


class ProgressReportTransitionInline(_ReadOnlyInline):
    model = ProgressReportTransition
    fields = ["at", "action", "from_status", "to_status", "verification_level", "actor", "comment"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Decisions")


class ReportDecisionForm(admin.helpers.ActionForm):
    """The decision's details, next to the action menu of the report list."""

    verification_level = forms.ChoiceField(
        label=gettext_lazy("verification level"), required=False,
        choices=[("", "—")] + list(VerificationLevel.choices),
    )
    comment = forms.CharField(label=gettext_lazy("comment"), required=False)


def _report_decision(action: str):
    def run(modeladmin, request, queryset):
        level = request.POST.get("verification_level", "")
        comment = request.POST.get("comment", "")
        done = 0
        for report in queryset:
            try:
                services.report_transition(
                    actor=request.user, report=report, action=action, comment=comment, verification_level=level
                )
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, f"“{report}”: {text}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request, _("%(action)s: done for %(count)d report(s).") % {"action": ReportAction(action).label,
                                                                            "count": done}, messages.SUCCESS
            )

    run.__name__ = f"report_{action}"
    run.short_description = ReportAction(action).label
    return run


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = [
        "pledge", "lead_entity", "year", "status", "implementation_status", "share_delivered",
        "disbursed_usd_display", "verification_level", "submitted_at", "decided_at",
    ]
    list_filter = ["status", "verification_level", "year", "implementation_status", "pledge__initiative",
                   usd_state_filter("disbursed")]
    search_fields = ["pledge__title", "pledge__lead_entity__name", "pledge__lead_entity__acronym", "=pledge__id"]
    list_select_related = ["pledge__lead_entity"]
    date_hierarchy = "period_end"
    readonly_fields = [
        "pledge", "period_end", "year", "implementation_status", "share_delivered", "disbursed_amount",
        "disbursed_currency", "disbursed_year", "disbursed_usd", "disbursed_usd_provisional", "narrative", "challenges", "status",
        "verification_level", "submitted_at", "submitted_by", "decided_at", "decided_by", "reviewer_comment",
        "created_by", "created_at", "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["pledge", "period_end", "year", "implementation_status", "share_delivered"]}),
        (gettext_lazy("Money disbursed"), {"fields": ["disbursed_amount", "disbursed_currency", "disbursed_year",
                                                      "disbursed_usd", "disbursed_usd_provisional"]}),
        (gettext_lazy("Narrative"), {"fields": ["narrative", "challenges"]}),
        (gettext_lazy("Review"), {"fields": ["status", "verification_level", "submitted_at", "submitted_by",
                                             "decided_at", "decided_by", "reviewer_comment"]}),
    ]
    inlines = [ProgressReportTargetInline, EvidenceInline, ProgressReportTransitionInline]
    action_form = ReportDecisionForm
    actions = [_report_decision(ReportAction.ACCEPT), _report_decision(ReportAction.RETURN)]

    @admin.display(description=gettext_lazy("lead entity"), ordering="pledge__lead_entity__name")
    def lead_entity(self, obj):
        return obj.pledge.lead_entity

    @admin.display(description=gettext_lazy("disbursed (USD)"), ordering="disbursed_usd")
    def disbursed_usd_display(self, obj):
        return usd_display(obj.disbursed_usd, obj.disbursed_usd_provisional, obj.disbursed_amount)

    def has_add_permission(self, request):
        return False  # pledgers write reports through the reporting forms

    def has_change_permission(self, request, obj=None):
        # A report's page is a record to read; it moves only through the decision actions.
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a report is a record; a wrong one is returned, not deleted
