"""The secretariat's admin for meetings and their documents. Every write goes through
`services.meetings`; reviewers and administrators may use it (`meeting_may_save`)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from coalition.accounts.forms import form_errors_apply
from coalition.actionplan.models import Meeting, MeetingDocument
from coalition.actionplan.services.meetings import meeting_clean, meeting_delete, meeting_may_save, meeting_save


class _ByTheServicesRule:
    """Reviewers hold no model permission on meetings: the services' rule decides, here as elsewhere."""

    def has_view_permission(self, request, obj=None):
        return meeting_may_save(request.user)

    def has_add_permission(self, request, obj=None):
        return meeting_may_save(request.user)

    def has_change_permission(self, request, obj=None):
        return meeting_may_save(request.user)

    def has_delete_permission(self, request, obj=None):
        return meeting_may_save(request.user)


class MeetingDocumentInline(_ByTheServicesRule, admin.TabularInline):
    model = MeetingDocument
    extra = 1
    fields = ["order", "symbol", "title", "url"]


class MeetingAdminForm(forms.ModelForm):
    """Runs the service's checks on the form, so each problem shows next to its field."""

    class Meta:
        model = Meeting
        fields = "__all__"
        widgets = {"agenda": forms.Textarea(attrs={"rows": 6}), "decisions": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                meeting_clean(data=cleaned, meeting=self.instance if self.instance.pk else None)
            except ValidationError as error:
                form_errors_apply(self, error)
        return cleaned

    def validate_unique(self):
        # The service says which address is taken, in its own words (`meeting_clean`).
        pass


@admin.register(Meeting)
class MeetingAdmin(_ByTheServicesRule, SimpleHistoryAdmin):
    form = MeetingAdminForm
    list_display = ["name_en", "kind", "start_date", "end_date", "place", "host_country", "illustrative"]
    list_filter = ["kind", "plan", "illustrative", ("start_date", admin.DateFieldListFilter)]
    search_fields = ["name_en", "name_fr", "slug", "body", "place"]
    list_select_related = ["host_country"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["campaign"]
    filter_horizontal = ["countries"]
    date_hierarchy = "start_date"
    inlines = [MeetingDocumentInline]
    fieldsets = [
        (None, {"fields": ["kind", "name_en", "name_fr", "slug", "body", "plan", "illustrative"]}),
        ("When and where", {"fields": ["start_date", "end_date", "place", "host_country", "online", "url"]}),
        ("What happened", {"fields": ["summary_en", "summary_fr", "agenda", "decisions", "countries", "campaign"]}),
    ]

    def has_module_permission(self, request):
        return meeting_may_save(request.user)

    def has_add_permission(self, request):
        return meeting_may_save(request.user)

    def save_model(self, request, obj, form, change):
        # The meeting is written by the service in save_related, together with its documents.
        pass

    def save_related(self, request, form, formsets, change):
        data = dict(form.cleaned_data)
        for formset in formsets:
            if formset.model is MeetingDocument:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
                rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
                data["documents"] = [
                    {name: row.get(name) or "" for name in ("symbol", "title", "url")}
                    for row in sorted(rows, key=lambda row: row.get("order") or 0)
                ]
        meeting = meeting_save(actor=request.user, data=data, meeting=form.instance if change else None)
        form.instance.pk = form.instance.id = meeting.pk

    def delete_model(self, request, obj):
        meeting_delete(actor=request.user, meeting=obj)

    def delete_queryset(self, request, queryset):
        for meeting in queryset:
            meeting_delete(actor=request.user, meeting=meeting)
