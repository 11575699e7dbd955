"""Forms of the pledge submission steps and the review decisions.

Forms only parse input; the rules live in `validation.py` and `services.py`, whose errors the
views attach back to these fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.common.forms import Form
from coalition.common.text import TEXT_LIMIT
from coalition.entities.models import Entity
from coalition.pledges.models import Campaign, Pledge
from coalition.pledges.validation import MAX_PARTNERS, MAX_TARGETS
from coalition.reference.groups import KIND_PLURAL, group_label
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
from coalition.reference.selectors import groups_by_kind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Picker(forms.SelectMultiple):
    """A long multiple choice: a plain <select multiple> that pickers.js turns into a searchable
    picker (Tom Select) when JavaScript runs; `hint` replaces the Ctrl-click help text then."""

    def __init__(self, *, hint, placeholder):
        super().__init__(attrs={"size": 10, "data-picker": "", "data-picker-hint": hint,
                                "data-picker-placeholder": placeholder})


class GroupMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Country groups named with their classification ("Africa — ITU region", "Africa — M49")."""

    def label_from_instance(self, obj):
        return group_label(obj)


class SdgTargetChoiceField(forms.ModelMultipleChoiceField):
    """SDG targets by code and short title ("9.c Universal, affordable Internet access in LDCs")."""

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.short}"


def _group_choices():
    """Every country group, by kind, for "Add every country of a group"."""
    return [("", _("— choose a group —")), *(
        (str(KIND_PLURAL[kind]), [(group.code, group_label(group)) for group in groups])
        for kind, groups in groups_by_kind().items() if groups
    )]


class BasicsForm(Form):
    lead_entity = forms.ModelChoiceField(Entity.objects.none(), label=_("Pledging entity"))
    initiative = forms.ModelChoiceField(Initiative.objects.all(), label=_("Initiative"), empty_label=_("— choose —"))
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("What will be done, for whom, by when."))
    description = forms.CharField(label=_("Description"), required=False, max_length=TEXT_LIMIT,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    pledge_type = forms.ChoiceField(label=_("Type of pledge"), choices=Pledge.Type.choices, widget=forms.RadioSelect)
    campaign = forms.ModelChoiceField(
        Campaign.objects.select_related("initiative"), label=_("Announced at (campaign or event)"), required=False
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_entity"].queryset = entities


class FocusForm(Form):
    framework_nodes = forms.ModelMultipleChoiceField(
        FrameworkNode.objects.none(), label=_("Focus areas and pillars"), widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_nodes"].queryset = initiative.nodes.order_by("order", "code")


class BeneficiariesForm(Form):
    scope = forms.ChoiceField(label=_("Scope"), choices=Pledge.Scope.choices, widget=forms.RadioSelect)
    beneficiary_countries = forms.ModelMultipleChoiceField(
        Country.objects.all(), label=_("Beneficiary countries"), required=False,
        widget=Picker(hint=_("Type a few letters of a country’s name, then choose it; repeat for each country."),
                      placeholder=_("Type a country…")),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    # Not stored: the "Add these countries" button adds today's members of the chosen group to
    # the countries above (in the browser with JavaScript, by the server without).
    add_group = forms.ChoiceField(
        label=_("Add every country of a group"), required=False, choices=_group_choices,
        help_text=_("Its members today, such as all least developed countries or the countries of an ITU region."),
    )
    beneficiary_regions = GroupMultipleChoiceField(
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


class AlignmentForm(Form):
    sdg_targets = SdgTargetChoiceField(
        SdgTarget.objects.select_related("goal"), label=_("SDG targets"), required=False,
        widget=Picker(hint=_("Type a target’s number (9.c) or words of its text, then choose it."),
                      placeholder=_("Type a target…")),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    wsis_lines = forms.ModelMultipleChoiceField(
        WsisActionLine.objects.filter(parent=None), label=_("WSIS action lines"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ValueForm(Form):
    value_amount = forms.DecimalField(label=_("Estimated value"), required=False, min_value=0, decimal_places=2)
    # Every currency: one without a rate for the year is kept, its US dollars pending a rate.
    value_currency = forms.ModelChoiceField(
        Currency.objects.order_by("code"), label=_("Currency"), required=False, to_field_name="code",
    )
    value_year = forms.IntegerField(label=_("Year the value is expressed in"), required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)


class TargetForm(Form):
    description = forms.CharField(label=_("Target"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=80, required=False)
    target_value = forms.DecimalField(label=_("Target value"), required=False, decimal_places=4)
    target_date = forms.DateField(label=_("By"), required=False, widget=DATE)

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)


class PartnerForm(Form):
    entity = forms.ModelChoiceField(Entity.objects.order_by("name"), label=_("Partner"), required=False)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)


TargetFormSet = forms.formset_factory(
    TargetForm, extra=2, max_num=MAX_TARGETS, absolute_max=MAX_TARGETS, validate_max=True)
PartnerFormSet = forms.formset_factory(
    PartnerForm, extra=1, max_num=MAX_PARTNERS, absolute_max=MAX_PARTNERS, validate_max=True)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by the pledge's focal points, the secretariat and the focal points of the countries it benefits."),
    )


class DecisionForm(Form):
    comment = forms.CharField(
        label=_("Comment to the pledger"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to request changes or reject."),
    )


class CampaignForm(Form):
    """A campaign as the secretariat writes it (`services.campaigns`, which checks every rule)."""

    initiative = forms.ModelChoiceField(Initiative.objects.all(), label=_("Initiative"), empty_label=_("— choose —"))
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    slug = forms.CharField(
        label=_("Short address"), max_length=50, required=False,
        help_text=_("Letters, digits and hyphens, used in the page's address; left empty, it is made from the name."),
    )
    host = forms.CharField(
        label=_("Host event or organiser"), max_length=250, required=False,
        help_text=_("Where the pledges were announced, e.g. “Fifth UN Conference on the LDCs, Doha”."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    country = forms.ModelChoiceField(Country.objects.all(), label=_("Host country"), required=False)
    url = forms.URLField(label=_("Web page"), max_length=200, required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description (English)"), required=False, max_length=TEXT_LIMIT,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    description_fr = forms.CharField(label=_("Description (French)"), required=False, max_length=TEXT_LIMIT,
                                     widget=forms.Textarea(attrs={"rows": 5}))
    goal_pledges = forms.IntegerField(
        label=_("Goal: number of pledges"), required=False,
        help_text=_("Leave empty when the campaign has no goal in pledges."),
    )
    goal_usd = forms.DecimalField(
        label=_("Goal: estimated value (US$)"), required=False, max_digits=20, decimal_places=2,
        help_text=_("Leave empty when the campaign has no goal in money."),
    )
