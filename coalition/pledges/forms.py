"""Forms of the pledge submission steps and the review decisions.

Forms only parse input; the rules live in `validation.py` and `services.py`, whose errors the
views attach back to these fields.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coalition.entities.models import Entity
from coalition.pledges.models import Campaign, Pledge
from coalition.pledges.validation import MAX_PARTNERS, MAX_TARGETS
from coalition.reference.models import (
    BeneficiaryGroup,
    Country,
    CountryGroup,
    Currency,
    FrameworkNode,
    Initiative,
    SdgTarget,
    WsisActionLine,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BasicsForm(forms.Form):
    lead_entity = forms.ModelChoiceField(Entity.objects.none(), label=_("Pledging entity"))
    initiative = forms.ModelChoiceField(Initiative.objects.all(), label=_("Initiative"), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("What will be done, for whom, by when."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    pledge_type = forms.ChoiceField(label=_("Type of pledge"), choices=Pledge.Type.choices, widget=forms.RadioSelect)
    campaign = forms.ModelChoiceField(
        Campaign.objects.select_related("initiative"), label=_("Announced at (campaign or event)"), required=False
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_entity"].queryset = entities


class FocusForm(forms.Form):
    framework_nodes = forms.ModelMultipleChoiceField(
        FrameworkNode.objects.none(), label=_("Focus areas and pillars"), widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_nodes"].queryset = initiative.nodes.order_by("order", "code")


class BeneficiariesForm(forms.Form):
    scope = forms.ChoiceField(label=_("Scope"), choices=Pledge.Scope.choices, widget=forms.RadioSelect)
    beneficiary_countries = forms.ModelMultipleChoiceField(
        Country.objects.all(), label=_("Beneficiary countries"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    beneficiary_regions = forms.ModelMultipleChoiceField(
        CountryGroup.objects.filter(
            kind__in=[CountryGroup.Kind.DEVELOPMENT, CountryGroup.Kind.ITU_REGION, CountryGroup.Kind.UN_REGION,
                      CountryGroup.Kind.ESCAP_SUBREGION]
        ),
        label=_("Regions or country groups (regional pledges)"), required=False, widget=forms.CheckboxSelectMultiple,
    )
    beneficiary_groups = forms.ModelMultipleChoiceField(
        BeneficiaryGroup.objects.all(), label=_("People the pledge is for"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AlignmentForm(forms.Form):
    sdg_targets = forms.ModelMultipleChoiceField(
        SdgTarget.objects.select_related("goal"), label=_("SDG targets"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}), help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    wsis_lines = forms.ModelMultipleChoiceField(
        WsisActionLine.objects.filter(parent=None), label=_("WSIS action lines"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ValueForm(forms.Form):
    value_amount = forms.DecimalField(label=_("Estimated value"), required=False, min_value=0, decimal_places=2)
    value_currency = forms.ModelChoiceField(
        Currency.objects.filter(Q(rates__isnull=False) | Q(code="USD")).distinct(),
        label=_("Currency"), required=False, to_field_name="code",
    )
    value_year = forms.IntegerField(label=_("Year the value is expressed in"), required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)


class TargetForm(forms.Form):
    description = forms.CharField(label=_("Target"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=80, required=False)
    target_value = forms.DecimalField(label=_("Target value"), required=False, decimal_places=4)
    target_date = forms.DateField(label=_("By"), required=False, widget=DATE)

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)


class PartnerForm(forms.Form):
    entity = forms.ModelChoiceField(Entity.objects.order_by("name"), label=_("Partner"), required=False)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)


TargetFormSet = forms.formset_factory(
    TargetForm, extra=2, max_num=MAX_TARGETS, absolute_max=MAX_TARGETS, validate_max=True)
PartnerFormSet = forms.formset_factory(
    PartnerForm, extra=1, max_num=MAX_PARTNERS, absolute_max=MAX_PARTNERS, validate_max=True)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the pledger"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to request changes or reject."),
    )
