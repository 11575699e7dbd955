"""Forms of the library's pages. They only parse input; the rules live in `validation` and the
services, whose errors the views attach back to these fields (same names)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coalition.actionplan.models import Action
from coalition.common.forms import Form
from coalition.common.text import TEXT_LIMIT
from coalition.knowledge.validation import SUMMARY_LIMIT
from coalition.pledges.forms import Picker, SdgTargetChoiceField
from coalition.reference.models import Country, FrameworkNode, SdgTarget, WsisActionLine

MARKDOWN_HELP = _("Plain text, or Markdown: **bold**, *italics*, lists starting with “- ”, "
                  "[a link](https://example.org), ### a heading.")


def _text(label, *, rows: int = 6, help_text=MARKDOWN_HELP, required: bool = False, limit: int = TEXT_LIMIT):
    return forms.CharField(label=label, required=required, max_length=limit, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class NodeChoiceField(forms.ModelMultipleChoiceField):
    """Framework nodes named with their initiative ("P2C FA1 Access")."""

    def label_from_instance(self, obj):
        return f"{obj.initiative.short_name} · {obj.code} {obj.name}"


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.short_name} · {obj.code} {obj.title}"


class PledgeNumbersField(forms.CharField):
    """Pledges by their numbers (as in their public address), separated by commas or spaces."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        numbers = []
        for token in re.split(r"[\s,;]+", text.strip()):
            if not token:
                continue
            token = token.lstrip("#")
            if not token.isdigit() or len(token) > 10:
                raise ValidationError(_("“%(value)s” is not a pledge number: give the numbers only, such as 12, 345."),
                                      params={"value": token[:20]}, code="invalid")
            numbers.append(int(token))
        return numbers

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return ", ".join(str(getattr(item, "pk", item)) for item in value)
        return value


class PracticeForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("What was done, where."))
    summary = _text(_("Summary"), rows=3, limit=SUMMARY_LIMIT,
                    help_text=_("Two or three sentences, shown in the library's list (plain text)."))
    problem = _text(_("The problem"))
    approach = _text(_("What was done"), rows=8)
    results = _text(_("Results"), help_text=_("With figures: people connected, schools online, costs saved. ")
                    + MARKDOWN_HELP)
    lessons = _text(_("Lessons learned"))
    cost = forms.CharField(label=_("Cost"), max_length=300, required=False, help_text=_("What it cost, and who paid."))
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.CharField(
        label=_("Contact e-mail"), max_length=254, required=False, widget=forms.EmailInput,
        help_text=_("Shown on the public page once the practice is published."),
    )
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(), label=_("Countries"), required=False,
        widget=Picker(hint=_("Type a few letters of a country’s name, then choose it; repeat for each country."),
                      placeholder=_("Type a country…")),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    framework_nodes = NodeChoiceField(
        FrameworkNode.objects.select_related("initiative").order_by("initiative__short_name", "order", "code"),
        label=_("Focus areas and pillars"), required=False,
        widget=Picker(hint=_("Type words of a focus area or pillar, then choose it."), placeholder=_("Type a name…")),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )
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
    pledges = PledgeNumbersField(
        label=_("Linked pledges"), required=False, max_length=400,
        help_text=_("The numbers of published pledges this practice comes from, as in their address "
                    "(…/pledges/123/), separated by commas."),
    )
    actions = ActionChoiceField(
        Action.objects.select_related("plan").order_by("plan__start_year", "plan__short_name", "order", "code"),
        label=_("Action-plan actions"), required=False,
        widget=Picker(hint=_("Type an action's code or words of its title, then choose it."),
                      placeholder=_("Type an action…")),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )


class NewPracticeForm(PracticeForm):
    """A new practice: who shares it first, among the ways the person may (`permissions.sharers_for`)."""

    sharer = forms.ChoiceField(label=_("Shared by"), widget=forms.RadioSelect)

    field_order = ["sharer"]

    def __init__(self, *args, sharers, **kwargs):
        super().__init__(*args, **kwargs)
        self.sharers = {sharer.key: sharer for sharer in sharers}
        self.fields["sharer"].choices = [(sharer.key, sharer.label) for sharer in sharers]
        if len(sharers) == 1:
            self.fields["sharer"].initial = sharers[0].key

    def sharer_data(self) -> dict:
        sharer = self.sharers[self.cleaned_data["sharer"]]
        return {"shared_by": sharer.shared_by, "entity": sharer.entity, "country": sharer.country}


class AttachmentForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False,
                            help_text=_("Blank: the file's name."))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, Word, Excel or PowerPoint (DOCX, XLSX, PPTX), OpenDocument (ODT, ODS, ODP), "
                    "plain text or CSV."),
    )


class DecisionForm(Form):
    comment = forms.CharField(
        label=_("Comment to the author"), required=False, max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Required to request changes or reject."),
    )
