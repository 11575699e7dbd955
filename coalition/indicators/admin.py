"""Admin for indicators: the catalogue is edited here, values only come in through imports."""


from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from coalition.indicators import models
from coalition.indicators.forms import ImportForm
from coalition.indicators.importing import IMPORT_PERMISSION, indicator_import_upload
from coalition.indicators.readers import READERS
from coalition.reference.models import ImportRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by imports: looked at, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "licence"]
    search_fields = ["name", "code"]


class SeriesInline(admin.TabularInline):
    model = models.Series
    fields = ["source", "code", "note"]
    extra = 0


class TargetInline(admin.TabularInline):
    model = models.Target
    fields = ["year", "value", "source", "source_url"]
    extra = 0


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "unit", "direction", "preferred_source", "order"]
    list_filter = ["unit", "preferred_source"]
    search_fields = ["code", "name_en", "name_fr", "series__code"]
    inlines = [SeriesInline, TargetInline]


@admin.register(models.Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "value", "source"]
    list_select_related = ["indicator"]


@admin.register(models.Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["source", "label", "released", "first_imported_at"]
    list_filter = ["source"]
    readonly_fields = ["source", "label", "first_imported_at"]

    def has_add_permission(self, request):
        return False  # editions are created by the imports that bring them


@admin.register(models.Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "country", "year", "value", "is_estimate", "source", "edition"]
    list_filter = ["indicator", "source", "year"]
    search_fields = ["country__name_en", "country__name_fr", "country__iso3"]
    list_select_related = ["indicator", "country", "source", "edition"]
    show_full_result_count = False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="indicators_observation_import"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": request.user.has_perm(IMPORT_PERMISSION), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def import_view(self, request):
        """Upload a file and import it through the runner, as a background task."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            run = self.start_import(request, form.cleaned_data)
            return redirect(reverse("admin:reference_importrun_change", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": "Import a file of indicator values", "form": form,
            # Plain values: a template would call a reader class instead of reading its attributes.
            "formats": [{"format": r.format, "title": r.title, "columns": r.columns} for r in READERS.values()],
        }
        return TemplateResponse(request, "admin/indicators/observation/import.html", context)

    def start_import(self, request, data: dict) -> ImportRun:
        upload = data["file"]
        run = indicator_import_upload(
            actor=request.user, upload=upload, format=data["format"], source=data["source"],
            edition_label=data["edition"], indicator=data["indicator"],
        )
        if run.status == ImportRun.Status.SUCCEEDED:
            self.message_user(request, f"Imported {upload.name}: {run.created} created, {run.updated} updated, "
                                       f"{run.unchanged} unchanged, {run.skipped} skipped.", messages.SUCCESS)
        elif run.status == ImportRun.Status.FAILED:
            self.message_user(request, f"Refused {upload.name}, nothing was imported: "
                                       f"{len(run.errors)} error(s), listed below.", messages.ERROR)
        else:
            self.message_user(request, f"Queued {upload.name}; this page shows the result once a worker has run it.",
                              messages.INFO)
        return run


@admin.register(models.ObservationRevision)
class ObservationRevisionAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "country", "year", "value", "source", "edition", "replaced_by", "replaced_at"]
    list_filter = ["indicator", "source", "year"]
    search_fields = ["country__name_en", "country__name_fr", "country__iso3"]
    list_select_related = ["indicator", "country", "source", "edition", "replaced_by"]
    show_full_result_count = False
