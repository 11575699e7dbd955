"""Forms of the progress-report page and the reviewer's decision on a report.

Forms only parse input; `validation.report_clean` and `services` hold the
rules, and the views attach their errors (`targets[2].actual_value`, `evidence[0].file`) back
to these fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.common.forms import Form
from coalition.common.text import TEXT_LIMIT
from coalition.pledges.forms import DATE
from coalition.reference.models import Currency
from coalition.reporting.models import ImplementationStatus, VerificationLevel
from coalition.reporting.validation import MAX_NEW_EVIDENCE


class ReportForm(Form):
    period_end = forms.DateField(
        label=_("Period end"), widget=DATE,
        help_text=_("The last day the report covers. Reports are cumulative: give totals since the pledge began."),
    )
    implementation_status = forms.ChoiceField(
        label=_("Implementation status"), required=False,
        choices=[("", _("— choose —")), *ImplementationStatus.choices],
    )
    share_delivered = forms.DecimalField(
        label=_("Share delivered (%)"), required=False, decimal_places=2,
        help_text=_("Your estimate of how much of the whole pledge is done, from 0 to 100."),
    )
    disbursed_amount = forms.DecimalField(label=_("Amount"), required=False, decimal_places=2)
    # Every currency: one without a rate for the year is kept, its US dollars pending a rate.
    disbursed_currency = forms.ModelChoiceField(
        Currency.objects.order_by("code"), label=_("Currency"), required=False, to_field_name="code", empty_label="—",
    )
    disbursed_year = forms.IntegerField(label=_("Year"), required=False)
    narrative = forms.CharField(
        label=_("What was done"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was delivered, where and for whom. Required to submit."),
    )
    challenges = forms.CharField(
        label=_("Challenges"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What slowed you down, and what you are doing about it."),
    )


class TargetActualForm(forms.Form):
    """The value reached on one of the pledge's targets; the target itself is fixed by the view."""

    actual_value = forms.DecimalField(label=_("Value reached"), required=False, decimal_places=4)

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target


class EvidenceLinkForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    url = forms.CharField(label=_("Web address"), max_length=1000, required=False,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("title") or self.cleaned_data.get("url"))


class EvidenceFileForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("PDF, image, office document, CSV or text."))

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("title") or self.cleaned_data.get("file"))


EvidenceLinkFormSet = forms.formset_factory(
    EvidenceLinkForm, extra=2, max_num=MAX_NEW_EVIDENCE, absolute_max=MAX_NEW_EVIDENCE, validate_max=True)


EvidenceFileFormSet = forms.formset_factory(
    EvidenceFileForm, extra=2, max_num=MAX_NEW_EVIDENCE, absolute_max=MAX_NEW_EVIDENCE, validate_max=True)


class ReportDecisionForm(Form):
    verification_level = forms.ChoiceField(
        label=_("Verification level (to accept)"), choices=VerificationLevel.choices, required=False,
        widget=forms.RadioSelect,
        help_text=_("Self-reported: the pledger's word. Documented: backed by the evidence given. "
                    "Verified: checked independently by the secretariat."),
    )
    comment = forms.CharField(
        label=_("Comment to the pledger"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional when accepting; required when returning the report for changes."),
    )
