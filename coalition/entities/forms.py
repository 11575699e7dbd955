"""Forms of the access pages: they parse and label input; the rules live in services.py.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.common.forms import Form
from coalition.entities.models import Entity
from coalition.reference.models import Country


class EntitySearchForm(Form):
    q = forms.CharField(label=_("Entity name or acronym"), max_length=100, required=False)


class JoinEntityForm(Form):
    entity = forms.ModelChoiceField(queryset=Entity.objects.all(), label=_("Entity"), widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message to the people who decide (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entities is not None:
            self.fields["entity"].choices = [(entity.pk, str(entity)) for entity in entities]


class NewEntityForm(Form):
    name = forms.CharField(label=_("Entity name"), max_length=250)
    entity_type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *Entity.Type.choices])
    home_country = forms.ModelChoiceField(
        queryset=Country.objects.order_by("name_en"),
        label=_("Home country"),
        required=False,
        help_text=_("Leave empty for international organisations."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    message = forms.CharField(
        label=_("Message to the secretariat (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Hidden until the name turns out close to a registered entity's (`ask_different_entity`).
    different_entity = forms.BooleanField(
        label=_("It is a different organisation"), required=False, widget=forms.HiddenInput
    )

    def ask_different_entity(self) -> None:
        """Show the "different organisation" box, for a name close to a registered entity's."""
        self.fields["different_entity"].widget = forms.CheckboxInput()
        self.fields["different_entity"].help_text = _(
            "Tick only if the organisation is not one of the entities named above."
        )


class CountryRequestForm(Form):
    country = forms.ModelChoiceField(queryset=Country.objects.order_by("name_en"), label=_("Country"))
    message = forms.CharField(
        label=_("Your role in the government (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(Form):
    reason = forms.CharField(
        label=_("Reason (required to decline; sent to the requester)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
