"""The secretariat's admin for the registry. Every write goes through `services.py`."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from coalition.accounts.forms import form_errors_apply
from coalition.common.versions import EditConflict, version_check, version_seen
from coalition.entities.models import Entity
from coalition.pledges import content, selectors, services, validation
from coalition.pledges.models import Campaign, Pledge, PledgePartner, PledgeTarget, PledgeTransition
from coalition.pledges.services import campaigns as campaign_services
from coalition.pledges.workflow import EDITABLE_STATES, PLEDGE_WORKFLOW, REVIEWER
from coalition.reference.models import CountryGroup


class CampaignAdminForm(forms.ModelForm):
    """Runs the services' validation on the form, so errors land next to their fields."""

    class Meta:
        model = Campaign
        fields = list(campaign_services.CAMPAIGN_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                campaign_services.campaign_clean(cleaned, campaign=self.instance if self.instance.pk else None)
            except ValidationError as error:
                form_errors_apply(self, error)
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    form = CampaignAdminForm
    list_display = ["name_en", "initiative", "start_date", "end_date", "host", "goal_pledges", "goal_usd"]
    list_filter = ["initiative"]
    search_fields = ["name_en", "name_fr", "host", "location"]
    prepopulated_fields = {"slug": ["name_en"]}
    date_hierarchy = "start_date"
    autocomplete_fields = ["country"]

    def has_delete_permission(self, request, obj=None):
        # Pledges and meetings point at campaigns: a campaign stays on record.
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in campaign_services.CAMPAIGN_FIELDS}
        if change:
            saved = campaign_services.campaign_update(actor=request.user, campaign=obj, data=data)
        else:
            saved = campaign_services.campaign_create(actor=request.user, data=data)
        obj.pk = saved.pk


class PledgeTargetForm(forms.ModelForm):
    class Meta:
        model = PledgeTarget
        fields = ["description", "unit", "target_value", "baseline_value", "target_date"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("DELETE"):
            errors = validation.pledge_validate_target(cleaned)
            for field, message in errors.items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned


class PledgeTargetInline(admin.TabularInline):
    model = PledgeTarget
    form = PledgeTargetForm
    extra = 0


class PledgePartnerInline(admin.TabularInline):
    model = PledgePartner
    extra = 0
    autocomplete_fields = ["entity"]
    fields = ["entity", "role"]


class PledgeTransitionInline(admin.TabularInline):
    model = PledgeTransition
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    verbose_name_plural = "Workflow decisions"

    def has_add_permission(self, request, obj=None):
        return False


class PledgeAdminForm(forms.ModelForm):
    """Runs the services' validation on the form, so errors land next to their fields."""

    # The version the page was opened at: saving over someone else's later change is refused.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Pledge
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.errors or "title" not in self.fields:
            return cleaned
        if self.instance.pk is not None:
            try:
                version_check(Pledge.objects.get(pk=self.instance.pk), seen=version_seen(cleaned.get("seen_version")))
            except EditConflict as conflict:
                form_errors_apply(self, conflict)
                self.data = self.data.copy()
                self.data[self.add_prefix("seen_version")] = conflict.version
                return cleaned
        try:
            draft = self.instance.pk is None or self.instance.status in EDITABLE_STATES
            validation.pledge_clean(data=cleaned, complete=not draft)
        except ValidationError as error:
            form_errors_apply(self, error)
        return cleaned


class BenefitsCountryGroupFilter(admin.SimpleListFilter):
    title = "beneficiary country group (today)"
    parameter_name = "benefits_group"

    def lookups(self, request, model_admin):
        groups = CountryGroup.objects.filter(
            kind__in=[CountryGroup.Kind.DEVELOPMENT, CountryGroup.Kind.ITU_REGION, CountryGroup.Kind.INCOME_GROUP]
        )
        return [(group.code, f"{group.code} – {group.name_en}") for group in groups]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        group = CountryGroup.objects.filter(code=self.value()).first()
        if group is None:
            raise IncorrectLookupParameters(f"No country group has the code {self.value()!r}.")
        members = group.memberships.as_of(timezone.localdate()).values("country_id")
        return queryset.filter(Q(beneficiary_countries__in=members)).distinct()


def usd_state_filter(prefix: str) -> type[admin.SimpleListFilter]:
    """A list filter on the US dollars of the money fields `prefix` (validation.MoneyFields):
    awaiting a rate, or converted at a provisional one."""

    class UsdStateFilter(admin.SimpleListFilter):
        title = "US dollars"
        parameter_name = f"{prefix}_usd_state"

        def lookups(self, request, model_admin):
            return [("pending", "awaiting an exchange rate"), ("provisional", "at a provisional rate")]

        def queryset(self, request, queryset):
            if self.value() == "pending":
                return queryset.filter(**{f"{prefix}_usd__isnull": True, f"{prefix}_amount__isnull": False})
            if self.value() == "provisional":
                return queryset.filter(**{f"{prefix}_usd_provisional": True})
            return queryset

    return UsdStateFilter


def usd_display(usd, provisional: bool, amount) -> str:
    """US dollars as the admin lists show them."""
    if usd is None:
        return "pending a rate" if amount is not None else "—"
    return f"{usd:,.0f}" + (" (provisional rate)" if provisional else "")


class StakeholderTypeFilter(admin.SimpleListFilter):
    title = "stakeholder type (lead entity)"
    parameter_name = "stakeholder"

    def lookups(self, request, model_admin):
        return Entity.Type.choices

    def queryset(self, request, queryset):
        return queryset.filter(lead_entity__entity_type=self.value()) if self.value() else queryset


class WorkflowCommentForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), required=False)


def _workflow_action(action: str):
    from django.utils.text import format_lazy
    from django.utils.translation import gettext, gettext_lazy

    label = PLEDGE_WORKFLOW.label(action)
    needs_comment = PLEDGE_WORKFLOW.transition(action).comment_required

    def run(modeladmin, request, queryset):
        form = WorkflowCommentForm(request.POST if "apply" in request.POST else None)
        if needs_comment and not (form.is_bound and form.is_valid() and form.cleaned_data["comment"].strip()):
            if form.is_bound:
                form.add_error("comment", gettext("Explain the decision so the pledger knows what to do."))
            return TemplateResponse(
                request,
                "admin/pledges/pledge/workflow_comment.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "title": gettext("%(action)s: %(count)d pledge(s)") % {"action": label, "count": queryset.count()},
                    "pledges": queryset,
                    "form": form,
                    "action": request.POST.get("action"),
                    "opts": modeladmin.model._meta,
                    "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                },
            )
        comment = form.cleaned_data["comment"] if form.is_bound and form.is_valid() else ""
        done = 0
        for pledge in queryset:
            try:
                services.pledge_transition(actor=request.user, pledge=pledge, action=action, comment=comment)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, f"“{pledge}”: {text}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request, gettext("%(action)s: done for %(count)d pledge(s).") % {"action": label, "count": done},
                messages.SUCCESS,
            )
        return None

    run.__name__ = f"workflow_{action}"
    run.short_description = format_lazy("{} ({})", label, gettext_lazy("selected pledges"))
    return run


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    form = PledgeAdminForm
    list_display = ["title", "lead_entity", "initiative_name", "pledge_type", "status", "value_usd_display", "published_at"]
    list_filter = [
        "status",
        "initiative",
        "pledge_type",
        "scope",
        StakeholderTypeFilter,
        BenefitsCountryGroupFilter,
        "framework_nodes",
        "beneficiary_groups",
        "sdg_targets__goal",
        "wsis_lines",
        "beneficiary_regions",
        "campaign",
        "value_currency",
        usd_state_filter("value"),
        "is_demo",
        ("published_at", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "description", "lead_entity__name", "lead_entity__acronym", "=id"]
    list_select_related = ["lead_entity", "initiative"]
    autocomplete_fields = ["lead_entity", "campaign", "beneficiary_countries", "sdg_targets"]
    filter_horizontal = ["framework_nodes", "beneficiary_regions", "beneficiary_groups", "wsis_lines"]
    readonly_fields = ["status", "is_demo", "value_usd", "value_usd_provisional", "submitted_at", "published_at", "created_by", "created_at", "updated_at"]
    inlines = [PledgeTargetInline, PledgePartnerInline, PledgeTransitionInline]
    date_hierarchy = "published_at"
    # The secretariat's decisions; submitting and withdrawing are the pledgers' own.
    actions = [_workflow_action(t.action) for t in PLEDGE_WORKFLOW.transitions.values() if t.role == REVIEWER]
    fieldsets = [
        (None, {"fields": ["initiative", "lead_entity", "title", "description", "pledge_type", "framework_nodes", "campaign"]}),
        ("Beneficiaries", {"fields": ["scope", "beneficiary_countries", "beneficiary_regions", "beneficiary_groups"]}),
        ("Alignment", {"fields": ["sdg_targets", "wsis_lines"]}),
        ("Value and dates", {"fields": ["value_amount", "value_currency", "value_year", "value_usd", "value_usd_provisional",
                                         "start_date", "end_date"]}),
        ("Workflow", {"fields": ["status", "submitted_at", "published_at", "created_by", "created_at", "updated_at", "is_demo",
                                 "seen_version"]}),
    ]

    @admin.display(description="initiative", ordering="initiative__short_name")
    def initiative_name(self, obj):
        return obj.initiative.short_name

    @admin.display(description="value (USD)", ordering="value_usd")
    def value_usd_display(self, obj):
        return usd_display(obj.value_usd, obj.value_usd_provisional, obj.value_amount)

    object_history_template = "admin/pledges/pledge/object_history.html"

    def has_change_permission(self, request, obj=None):
        # The workflow says who edits in which state; published, rejected and withdrawn pledges
        # are a record: they are viewed, and move only through the workflow actions.
        if obj is not None and not PLEDGE_WORKFLOW.may_edit(obj, request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Only drafts, which nobody has reviewed, may be deleted (by the service); everything else
        # is withdrawn.
        if obj is not None and not services.pledge_may_delete(obj, request.user):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.pledge_delete(actor=request.user, pledge=obj)

    def delete_queryset(self, request, queryset):
        for pledge in queryset:
            services.pledge_delete(actor=request.user, pledge=pledge)

    def history_view(self, request, object_id, extra_context=None):
        pledge = self.get_object(request, object_id)
        entries = selectors.pledge_history(pledge) if pledge is not None else []
        return super().history_view(request, object_id, extra_context={**(extra_context or {}), "entries": entries})

    def save_model(self, request, obj, form, change):
        # The pledge is written by the service in save_related, together with its inlines.
        pass

    def save_related(self, request, form, formsets, change):
        if "title" not in form.fields:
            return  # a read-only record: nothing to save
        data = dict(form.cleaned_data)
        for formset in formsets:
            # The service writes the rows; the admin's change message only needs these to exist.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            if formset.model is PledgeTarget:
                data["targets"] = rows
            elif formset.model is PledgePartner:
                data["partners"] = rows
        if change:
            data.setdefault("targets", content.pledge_data(form.instance)["targets"])
            data.setdefault("partners", content.pledge_data(form.instance)["partners"])
        with transaction.atomic():
            if change:
                pledge = services.pledge_update(actor=request.user, pledge=form.instance, data=data,
                                                seen_version=version_seen(form.cleaned_data.get("seen_version")))
            else:
                pledge = services.pledge_create(actor=request.user, data=data)
        form.instance.pk = form.instance.id = pledge.pk
