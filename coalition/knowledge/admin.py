"""The secretariat's admin for good practices, through the same services as the pages: a new
practice is created by `practice_create`, an edit saved by `practice_update` (in the states the
workflow lets the person edit), and decisions are taken by `practice_move` from the list's actions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from coalition.accounts.forms import form_errors_apply
from coalition.actionplan.models import ReviewAction
from coalition.actionplan.workflow import EDITABLE_STATES
from coalition.common.versions import EditConflict, version_check, version_seen
from coalition.knowledge import services
from coalition.knowledge.models import Attachment, GoodPractice, GoodPracticeTransition
from coalition.knowledge.permissions import sharer_name, user_may_share_as
from coalition.knowledge.validation import practice_clean, sharer_clean
from coalition.knowledge.workflow import PRACTICE_WORKFLOW

SHARER_FIELDS = ["shared_by", "entity", "country"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(_ReadOnlyInline):
    model = GoodPracticeTransition
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Decisions")


class AttachmentInline(_ReadOnlyInline):
    model = Attachment
    fields = ["title", "file", "content_type", "size", "added_by", "added_at"]
    readonly_fields = fields


class GoodPracticeAdminForm(forms.ModelForm):
    """Runs the services' validation on the form, so errors land next to their fields."""

    # The version the page was opened at: saving over someone else's later change is refused.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = GoodPractice
        fields = "__all__"

    actor = None  # set by GoodPracticeAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "seen_version" in self.fields:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.errors or "title" not in self.fields:
            return cleaned
        practice = self.instance
        try:
            if practice.pk is None:
                shared_by, entity, country = sharer_clean(cleaned)
                if not user_may_share_as(self.actor, shared_by=shared_by, entity=entity, country=country):
                    raise ValidationError({"shared_by": _("You do not act for this sharer.")})
            else:
                version_check(GoodPractice.objects.get(pk=practice.pk), seen=version_seen(cleaned.get("seen_version")))
            practice_clean(data=cleaned, complete=practice.pk is not None and practice.status not in EDITABLE_STATES)
        except EditConflict as conflict:
            form_errors_apply(self, conflict)
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = conflict.version
        except ValidationError as error:
            form_errors_apply(self, error)
        return cleaned


class DecisionActionForm(admin.helpers.ActionForm):
    comment = forms.CharField(label=gettext_lazy("comment"), required=False,
                              help_text=gettext_lazy("Required to request changes or reject."))


def _decision(action: str):
    def run(modeladmin, request, queryset):
        comment, done = request.POST.get("comment", ""), 0
        for practice in queryset:
            try:
                services.practice_move(actor=request.user, practice=practice, action=action, comment=comment)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, f"“{practice}”: {text}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(action)s: done for %(count)d practice(s).") % {
                "action": ReviewAction(action).label, "count": done}, messages.SUCCESS)

    run.__name__ = f"practice_{action}"
    run.short_description = ReviewAction(action).label
    return run


@admin.register(GoodPractice)
class GoodPracticeAdmin(SimpleHistoryAdmin):
    form = GoodPracticeAdminForm
    list_display = ["title", "shared_by", "sharer", "status", "submitted_at", "published_at"]
    list_filter = ["status", "shared_by", "is_demo", "framework_nodes", "sdg_targets__goal", "wsis_lines"]
    search_fields = ["title", "summary", "entity__name", "entity__acronym", "country__name_en", "=id"]
    list_select_related = ["entity", "country"]
    filter_horizontal = ["countries", "framework_nodes", "sdg_targets", "wsis_lines", "actions"]
    raw_id_fields = ["pledges"]
    readonly_fields = ["status", "version", "submitted_at", "published_at", "created_by", "assigned_to", "source_report"]
    fieldsets = [
        (gettext_lazy("Who shares it"), {"fields": SHARER_FIELDS}),
        (None, {"fields": ["title", "summary", "problem", "approach", "results", "lessons", "cost", "contact_name",
                           "contact_email", "seen_version"]}),
        (gettext_lazy("Links"), {"fields": ["countries", "framework_nodes", "sdg_targets", "wsis_lines", "pledges",
                                           "actions", "source_report"]}),
        (gettext_lazy("Review"), {"fields": ["status", "version", "submitted_at", "published_at", "created_by",
                                             "assigned_to"]}),
    ]
    inlines = [AttachmentInline, TransitionInline]
    action_form = DecisionActionForm
    actions = [_decision(ReviewAction.PUBLISH), _decision(ReviewAction.REQUEST_CHANGES), _decision(ReviewAction.REJECT),
               _decision(ReviewAction.WITHDRAW)]

    @admin.display(description=gettext_lazy("shared by"))
    def sharer(self, obj):
        return sharer_name(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Who shares a practice is chosen when it is created.
        return fields + SHARER_FIELDS if obj is not None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def has_change_permission(self, request, obj=None):
        # The workflow says who edits in which state; anything else is a record to read.
        if obj is not None and not PRACTICE_WORKFLOW.may_edit(obj, request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a practice is a record: it is withdrawn or rejected, never deleted

    def save_model(self, request, obj, form, change):
        # The practice is written by the service in save_related, links included.
        pass

    def save_related(self, request, form, formsets, change):
        if "title" not in form.fields:
            return
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        data = dict(form.cleaned_data)
        with transaction.atomic():
            if change:
                practice = services.practice_update(actor=request.user, practice=form.instance, data=data,
                                                    seen_version=version_seen(data.get("seen_version")))
            else:
                practice = services.practice_create(actor=request.user, data=data)
        form.instance.pk = form.instance.id = practice.pk
