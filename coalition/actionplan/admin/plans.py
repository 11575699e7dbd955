"""The secretariat's admin for the plans' structure: plans, pillars, actions with their
deliverables, and working-group leads. The secretariat's reviewers use it; every save and delete
goes through `services.plans` (which write the dated versions), and the forms run the services'
validation so errors land beside their fields. Loading a whole plan is `coalition actionplan load`.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.actionplan.models import Action, Deliverable, Pillar, Plan, WorkingGroupLead
from coalition.actionplan.services import plans as services
from coalition.actionplan.structure import ACTION_FIELDS, DELIVERABLE_FIELDS, PILLAR_FIELDS, PLAN_FIELDS, references

PLAN_FORM_FIELDS = ["initiative", *PLAN_FIELDS, "previous"]
PILLAR_FORM_FIELDS = ["plan", *PILLAR_FIELDS, "framework_node"]
ACTION_FORM_FIELDS = ["plan", "pillar", *ACTION_FIELDS, "lead", "partners", "countries", "continues"]


class ReviewersOnly:
    """The structure is the secretariat's: its reviewers (and administrators) see and change it."""

    def has_module_permission(self, request):
        return user_is_reviewer(request.user)

    def has_view_permission(self, request, obj=None):
        return user_is_reviewer(request.user)

    def has_add_permission(self, request, *args):
        return user_is_reviewer(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_reviewer(request.user)

    def has_delete_permission(self, request, obj=None):
        return user_is_reviewer(request.user)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page for reviewers, changed elsewhere."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return user_is_reviewer(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReferencesProtect:
    """Deleting a pillar or an action that other records name is refused on the confirmation
    page, naming them, as the services refuse it (`structure.references`)."""

    own: frozenset[str] = frozenset()

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected) + [f"{obj}: {found}" for obj in objs for found in references(obj, own=self.own)]
        return deleted, counts, perms_needed, protected


class ValidatedForm(forms.ModelForm):
    """A model form whose `clean` runs a service's `*_validate` (`validate(form, cleaned)`)."""

    def validate(self, cleaned):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.validate(cleaned)
            except ValidationError as error:
                form_errors_apply(self, error)
        return cleaned

    def _post_clean(self):
        # The model's own validation would repeat the services' (and word it otherwise).
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class PlanForm(ValidatedForm):
    class Meta:
        model = Plan
        fields = PLAN_FORM_FIELDS

    def validate(self, cleaned):
        services.plan_validate(plan=self.instance if self.instance.pk else None, data=cleaned)


class PillarInline(ReadOnlyInline):
    """A plan's pillars, to read; each is edited on its own page."""

    model = Pillar
    fields = ["code", "name_en", "working_group_en", "weight", "order", "framework_node"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ReviewersOnly, SimpleHistoryAdmin):
    form = PlanForm
    list_display = ["short_name", "name_en", "initiative", "start_year", "end_year", "endorsed_on", "previous"]
    list_filter = ["initiative"]
    search_fields = ["slug", "short_name", "name_en", "name_fr"]
    list_select_related = ["initiative", "previous"]
    inlines = [PillarInline]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in PLAN_FORM_FIELDS}
        saved = (services.plan_update(actor=request.user, plan=obj, data=data) if change
                 else services.plan_create(actor=request.user, data=data))
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # a plan is a record: its history is what "as of" reads

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class PillarForm(ValidatedForm):
    class Meta:
        model = Pillar
        fields = PILLAR_FORM_FIELDS

    def validate(self, cleaned):
        if cleaned.get("plan") is not None:
            services.pillar_validate(plan=cleaned["plan"], pillar=self.instance if self.instance.pk else None,
                                     data=cleaned)


class WorkingGroupLeadInline(ReadOnlyInline):
    """Who leads the pillar's working group: appointed and removed on the working-group leads page."""

    model = WorkingGroupLead
    fields = ["user", "appointed_by", "appointed_at"]
    readonly_fields = fields


@admin.register(Pillar)
class PillarAdmin(ReviewersOnly, ReferencesProtect, SimpleHistoryAdmin):
    form = PillarForm
    list_display = ["code", "name_en", "plan", "working_group_en", "weight", "order"]
    list_filter = ["plan"]
    search_fields = ["code", "name_en", "name_fr", "working_group_en"]
    list_select_related = ["plan"]
    inlines = [WorkingGroupLeadInline]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in PILLAR_FORM_FIELDS}
        saved = (services.pillar_update(actor=request.user, pillar=obj, data=data) if change
                 else services.pillar_create(actor=request.user, plan=data["plan"], data=data))
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.pillar_delete(actor=request.user, pillar=obj)

    def delete_queryset(self, request, queryset):
        for pillar in queryset:
            services.pillar_delete(actor=request.user, pillar=pillar)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = DELIVERABLE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("DELETE") and self.has_changed():
            try:
                services.deliverable_validate(action=self.instance.action if self.instance.action_id else Action(),
                                              deliverable=self.instance if self.instance.pk else None, data=cleaned)
            except ValidationError as error:
                form_errors_apply(self, error)
        return cleaned

    _post_clean = ValidatedForm._post_clean


class DeliverableInline(ReviewersOnly, admin.TabularInline):
    model = Deliverable
    form = DeliverableForm
    fields = list(DELIVERABLE_FIELDS)
    extra = 0


class ActionForm(ValidatedForm):
    class Meta:
        model = Action
        fields = ACTION_FORM_FIELDS

    def validate(self, cleaned):
        if cleaned.get("plan") is not None:
            services.action_validate(plan=cleaned["plan"], action=self.instance if self.instance.pk else None,
                                     data=cleaned)


@admin.register(Action)
class ActionAdmin(ReviewersOnly, ReferencesProtect, SimpleHistoryAdmin):
    form = ActionForm
    own = frozenset({"deliverables"})
    list_display = ["code", "title_en", "plan", "pillar", "status", "weight", "illustrative"]
    list_filter = ["plan", "pillar", "status", "illustrative"]
    search_fields = ["code", "title_en", "title_fr"]
    list_select_related = ["plan", "pillar"]
    autocomplete_fields = ["lead", "partners", "countries", "continues"]
    inlines = [DeliverableInline]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in ACTION_FORM_FIELDS}
        saved = (services.action_update(actor=request.user, action=obj, data=data) if change
                 else services.action_create(actor=request.user, plan=data["plan"], data=data))
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The action's links were written by its service in save_model; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Deliverable:
            return super().save_formset(request, form, formset, change)
        action = form.instance
        for inline in formset.deleted_forms:
            if inline.instance.pk:
                services.deliverable_delete(actor=request.user, deliverable=inline.instance)
        for inline in formset.forms:
            if inline in formset.deleted_forms or not inline.has_changed():
                continue
            data = {name: inline.cleaned_data.get(name) for name in DELIVERABLE_FIELDS}
            if inline.instance.pk:
                services.deliverable_update(actor=request.user, deliverable=inline.instance, data=data)
            else:
                services.deliverable_create(actor=request.user, action=action, data=data)
        # The admin's change message reads these lists; the services wrote the rows.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        services.action_delete(actor=request.user, action=obj)

    def delete_queryset(self, request, queryset):
        for action in queryset:
            services.action_delete(actor=request.user, action=action)


class WorkingGroupLeadForm(forms.ModelForm):
    class Meta:
        model = WorkingGroupLead
        fields = ["pillar", "user"]

    def clean(self):
        cleaned = super().clean()
        user, pillar = cleaned.get("user"), cleaned.get("pillar")
        if user is not None and not user.is_active:
            self.add_error("user", _("Choose an active account."))
        elif user is not None and WorkingGroupLead.objects.filter(pillar=pillar, user=user).exists():
            self.add_error("user", _("%(user)s already leads this working group.") % {"user": user})
        return cleaned

    _post_clean = ValidatedForm._post_clean


@admin.register(WorkingGroupLead)
class WorkingGroupLeadAdmin(ReviewersOnly, admin.ModelAdmin):
    """Appoint a working-group lead (add) or end the appointment (delete); nothing else changes."""

    form = WorkingGroupLeadForm
    list_display = ["user", "pillar", "appointed_by", "appointed_at"]
    list_filter = ["pillar__plan", "pillar"]
    search_fields = ["user__email", "user__full_name", "pillar__code", "pillar__name_en"]
    list_select_related = ["user", "pillar__plan", "appointed_by"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return obj is None and user_is_reviewer(request.user)

    def save_model(self, request, obj, form, change):
        saved = services.working_group_lead_appoint(actor=request.user, pillar=form.cleaned_data["pillar"],
                                                    user=form.cleaned_data["user"])
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.working_group_lead_remove(actor=request.user, lead=obj)

    def delete_queryset(self, request, queryset):
        for lead in queryset:
            services.working_group_lead_remove(actor=request.user, lead=lead)
