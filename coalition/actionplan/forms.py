"""Forms of the action plan's pages: activities, their documents, participations, national
measures and the review decisions.

Forms only parse input; the rules live in `services`, whose errors the views attach back to
these fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.actionplan.models import Action, ActivityKind, MeasureKind
from coalition.common.forms import Form
from coalition.common.text import TEXT_LIMIT
from coalition.entities.models import Entity
from coalition.pledges.forms import DATE, Picker
from coalition.reference.models import Country, FrameworkNode

CHOOSE_SEVERAL = _("Hold Ctrl (Cmd on a Mac) to choose several.")


class ActionChoiceField(forms.ModelMultipleChoiceField):
    """Actions named with their plan and code ("AP-IS 2022–2026 · 1.3 Broadband mapping")."""

    def label_from_instance(self, obj):
        label = f"{obj.plan.short_name} · {obj.code} {obj.title}"
        return f"{label} ({_('illustrative')})" if obj.illustrative else label


class NodeChoiceField(forms.ModelMultipleChoiceField):
    """Framework nodes named with their initiative ("AP-IS · P1 Connectivity for all")."""

    def label_from_instance(self, obj):
        return f"{obj.initiative.short_name} · {obj.code} {obj.name}"


def _actions():
    return ActionChoiceField(
        Action.objects.select_related("plan").order_by("plan__start_year", "plan__pk", "pillar__order", "order", "code"),
        label=_("Actions of the plan"), required=False,
        widget=Picker(hint=_("Type an action’s code or words of its title, then choose it."),
                      placeholder=_("Type an action…")),
        help_text=CHOOSE_SEVERAL,
    )


def _framework_nodes():
    return NodeChoiceField(
        FrameworkNode.objects.select_related("initiative").order_by("initiative__short_name", "order", "code"),
        label=_("Focus areas and pillars"), required=False,
        widget=Picker(hint=_("Type words of a focus area or pillar, then choose it."), placeholder=_("Type a pillar…")),
        help_text=CHOOSE_SEVERAL,
    )


def _entities(label, help_text):
    return forms.ModelMultipleChoiceField(
        Entity.objects.order_by("name"), label=label, required=False,
        widget=Picker(hint=_("Type a few letters of the organisation’s name, then choose it."),
                      placeholder=_("Type an organisation…")),
        help_text=help_text,
    )


class ActivityForm(Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, max_length=TEXT_LIMIT,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE,
                               help_text=_("Leave blank for a one-day activity."))
    online = forms.BooleanField(label=_("Held online (or also online)"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("City and venue; blank when held online only."))
    host_country = forms.ModelChoiceField(Country.objects.all(), label=_("Host country"), required=False)
    organisers = _entities(_("Organisers"), _("The organisations that ran it."))
    partners = _entities(_("Partners"), _("Organisations that supported it."))
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(), label=_("Countries the activity was for"), required=False,
        widget=Picker(hint=_("Type a few letters of a country’s name, then choose it; repeat for each country."),
                      placeholder=_("Type a country…")),
        help_text=CHOOSE_SEVERAL,
    )
    actions = _actions()
    framework_nodes = _framework_nodes()
    outputs = forms.CharField(label=_("Outputs"), required=False, max_length=TEXT_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What it produced: reports, toolkits, recommendations."))


class DocumentForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("For example: Workshop report, slides, recording."))
    url = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https")
    file = forms.FileField(label=_("Or a file"), required=False,
                           help_text=_("PDF, office document, image or text."))


class ParticipationForm(Form):
    country = forms.ModelChoiceField(Country.objects.none(), label=_("Country"), empty_label=None)
    women = forms.IntegerField(label=_("Women"), min_value=0, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, initial=0)
    other = forms.IntegerField(label=_("Other or not stated"), min_value=0, initial=0,
                               help_text=_("Participants who did not state their sex or stated another."))
    note = forms.CharField(label=_("Note"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Who took part, for example the ministries or agencies they came from."))

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if countries is None:
            del self.fields["country"]  # an existing participation keeps its country
        else:
            self.fields["country"].queryset = countries


class MeasureForm(Form):
    country = forms.ModelChoiceField(Country.objects.none(), label=_("Country"), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind of measure"), choices=MeasureKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("For example: National Broadband Plan 2024–2028 adopted."))
    description = forms.CharField(label=_("Description"), required=False, max_length=TEXT_LIMIT,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("What the measure does and for whom; required before review."))
    adopted_on = forms.DateField(label=_("Adopted or launched on"), required=False, widget=DATE)
    url = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https",
                         help_text=_("The official text or page."))
    actions = _actions()
    framework_nodes = _framework_nodes()

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries


class DecisionForm(Form):
    comment = forms.CharField(
        label=_("Comment to the author"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to request changes or reject."),
    )
