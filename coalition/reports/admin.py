"""Admin for report builds: looked at, never edited here (the services build and publish them)."""

from django.contrib import admin

from coalition.reports.models import ReportBuild, ReportOutput


class OutputInline(admin.TabularInline):
    model = ReportOutput
    fields = ["format", "size", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportBuild)
class ReportBuildAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "language", "as_of", "title", "status", "created_at", "published_at", "withdrawn_at"]
    list_filter = ["kind", "language", "status"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    inlines = [OutputInline]
    readonly_fields = [field.name for field in ReportBuild._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
