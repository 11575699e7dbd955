"""The secretariat's admin for entities, their focal points and access requests.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coalition.entities.models import AccessRequest, Entity, FocalPoint


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["name", "email", "phone", "position", "is_primary", "user"]


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "entity_type", "home_country", "itu_membership", "is_demo"]
    list_filter = ["entity_type", "itu_membership", "is_demo", "home_country__country_groups"]
    search_fields = ["name", "acronym", "home_country__name_en", "home_country__iso3"]
    autocomplete_fields = ["home_country"]
    inlines = [FocalPointInline]


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
