"""Admin for reference data. Imports are the way to change it; the admin is for looking and fixing."""

import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from coalition.reference import models, services


class MembershipInline(admin.TabularInline):
    model = models.CountryGroupMembership
    fields = ["country", "valid_from", "valid_to", "source", "note"]
    autocomplete_fields = ["country"]
    extra = 0


class CountryMembershipInline(MembershipInline):
    fields = ["group", "valid_from", "valid_to", "source", "note"]
    autocomplete_fields = ["group"]


@admin.register(models.Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "iso3", "iso2", "numeric"]
    search_fields = ["name_en", "name_fr", "official_name_en", "iso3", "iso2", "numeric"]
    list_filter = ["country_groups__kind"]
    inlines = [CountryMembershipInline]


@admin.register(models.CountryGroup)
class CountryGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "kind", "parent", "order"]
    list_filter = ["kind"]
    search_fields = ["code", "name_en", "name_fr"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(models.CountryGroupMembership)
class CountryGroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["country", "group", "valid_from", "valid_to", "source"]
    list_filter = ["group__kind", "group", "valid_to"]
    search_fields = ["country__name_en", "country__iso3", "group__code", "group__name_en"]
    list_select_related = ["country", "group"]
    autocomplete_fields = ["country", "group"]
    date_hierarchy = "valid_from"


class SdgTargetInline(admin.TabularInline):
    model = models.SdgTarget
    fields = ["code", "short_en", "short_fr", "order"]
    extra = 0


@admin.register(models.SdgGoal)
class SdgGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "short_en", "short_fr"]
    search_fields = ["short_en", "short_fr", "title_en", "title_fr"]
    inlines = [SdgTargetInline]


@admin.register(models.SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "short_en"]
    list_filter = ["goal"]
    search_fields = ["code", "short_en", "short_fr", "title_en", "title_fr"]
    list_select_related = ["goal"]


@admin.register(models.WsisActionLine)
class WsisActionLineAdmin(admin.ModelAdmin):
    list_display = ["code", "title_en", "title_fr", "parent"]
    list_filter = ["parent"]
    search_fields = ["code", "title_en", "title_fr"]


@admin.register(models.BeneficiaryGroup)
class BeneficiaryGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "order"]
    search_fields = ["code", "name_en", "name_fr"]


@admin.register(models.Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr"]
    search_fields = ["code", "name_en", "name_fr"]


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Saves and deletions go through `services`, so values waiting for a rate are converted."""

    list_display = ["currency", "year", "usd_per_unit", "provisional", "observations", "source", "imported_at"]
    list_filter = ["provisional", "year", "source"]
    search_fields = ["currency__code", "currency__name_en"]
    list_select_related = ["currency"]
    autocomplete_fields = ["currency"]

    def save_model(self, request, obj, form, change):
        services.exchange_rate_save(actor=request.user, rate=obj)

    def delete_model(self, request, obj):
        services.exchange_rates_delete(actor=request.user, rates=[obj])

    def delete_queryset(self, request, queryset):
        services.exchange_rates_delete(actor=request.user, rates=list(queryset))


class FrameworkNodeInline(admin.TabularInline):
    model = models.FrameworkNode
    fields = ["code", "level", "parent", "name_en", "name_fr", "order"]
    extra = 0


@admin.register(models.Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name_en", "kind", "host", "start_year", "end_year"]
    list_filter = ["kind"]
    search_fields = ["slug", "short_name", "name_en", "name_fr"]
    inlines = [FrameworkNodeInline]


@admin.register(models.FrameworkNode)
class FrameworkNodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "level", "initiative", "parent"]
    list_filter = ["initiative", "level"]
    search_fields = ["code", "name_en", "name_fr"]
    list_select_related = ["initiative", "parent"]


@admin.register(models.ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: an import run is a record of what happened, not something to edit."""

    list_display = ["kind", "edition", "status", "started_at", "started_by", "created", "updated", "unchanged",
                    "error_count"]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "source"]
    date_hierarchy = "started_at"
    readonly_fields = [
        "kind", "source", "edition", "status", "started_by", "started_at", "finished_at", "rows_read",
        "created", "updated", "unchanged", "deleted", "skipped", "error_table", "warning_table",
    ]
    exclude = ["errors", "warnings"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="errors")
    def error_count(self, run):
        return len(run.errors)

    @admin.display(description="errors")
    def error_table(self, run):
        return _problems_table(run.errors)

    @admin.display(description="warnings (skipped records)")
    def warning_table(self, run):
        return _problems_table(run.warnings)


def _problems_table(problems: list[dict]):
    if not problems:
        return "—"
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((p.get("row") or "", p.get("column") or "", p.get("message") or json.dumps(p)) for p in problems),
    )
    return format_html(
        "<table><thead><tr><th scope='col'>Row</th><th scope='col'>Column</th>"
        "<th scope='col'>Message</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )
