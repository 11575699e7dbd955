"""The secretariat's admin for entities, their focal points and access requests.

Every write goes through `services`: reviewers register and correct entities; only administrators
add, change or remove focal points here (everyone else asks to join, and is approved on the access
requests page). Nobody deletes an entity: pledges and reports hang on it.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from coalition.accounts.forms import form_errors_apply
from coalition.accounts.roles import user_is_reviewer
from coalition.entities import services
from coalition.entities.models import AccessRequest, Entity, FocalPoint


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0
    autocomplete_fields = ["user"]
    fields = list(services.FOCAL_POINT_FIELDS)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class EntityAdminForm(forms.ModelForm):
    """Runs the services' validation on the form, so errors land next to their fields."""

    class Meta:
        model = Entity
        fields = list(services.ENTITY_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                services.entity_clean(cleaned, entity=self.instance if self.instance.pk else None)
            except ValidationError as error:
                form_errors_apply(self, error)
        return cleaned


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    form = EntityAdminForm
    list_display = ["name", "acronym", "entity_type", "home_country", "itu_membership", "is_demo"]
    list_filter = ["entity_type", "itu_membership", "is_demo", "home_country__country_groups"]
    search_fields = ["name", "acronym", "home_country__name_en", "home_country__iso3"]
    autocomplete_fields = ["home_country"]
    fields = [*services.ENTITY_FIELDS, "is_demo"]
    readonly_fields = ["is_demo"]
    inlines = [FocalPointInline]

    def has_add_permission(self, request):
        return user_is_reviewer(request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_reviewer(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in services.ENTITY_FIELDS}
        if change:
            saved = services.entity_update(actor=request.user, entity=obj, data=data)
        else:
            saved = services.entity_register(actor=request.user, data=data)
        obj.pk = saved.pk

    def save_formset(self, request, form, formset, change):
        if formset.model is not FocalPoint:
            return super().save_formset(request, form, formset, change)
        entity = form.instance
        for inline in formset.deleted_forms:
            if inline.instance.pk:
                services.focal_point_remove(actor=request.user, focal_point=inline.instance)
        for inline in formset.forms:
            if inline in formset.deleted_forms or not inline.has_changed():
                continue
            data = {name: inline.cleaned_data.get(name) for name in services.FOCAL_POINT_FIELDS}
            services.focal_point_save(actor=request.user, entity=entity, data=data,
                                      focal_point=inline.instance if inline.instance.pk else None)
        # The admin's change message reads these lists; the services wrote the rows.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are decided on the "Access requests" page, which sends the e-mails."""

    list_display = ["requester", "kind", "subject", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["requester", "entity", "country", "decided_by"]
    search_fields = ["requester__email", "new_entity_name", "entity__name", "country__name_en"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
