"""The secretariat's form asking for a report build: it only parses; the service checks."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.common.forms import Form
from coalition.reference.models import Country
from coalition.reports.builders import KINDS


def _bodies() -> list[tuple[str, str]]:
    from coalition.reports.builders.governing_body import bodies

    return [("", "—")] + [(slug, f"{body.text('body')} — {body.text('session')}") for slug, body in sorted(bodies().items())]


class ReportRequestForm(Form):
    kind = forms.ChoiceField(label=_("Report"), choices=())
    language = forms.ChoiceField(label=_("Language"), choices=())
    as_of = forms.DateField(label=_("Figures as of"), widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("The registry and the indicators as they stood at the end of this day."))
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("name_en"), to_field_name="iso3", required=False,
        help_text=_("For a country profile."), empty_label="—")
    body = forms.ChoiceField(label=_("Governing body and session"), required=False, choices=(),
                             help_text=_("For a progress report to a governing body."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(slug, kind.label) for slug, kind in KINDS.items()]
        self.fields["language"].choices = [(code, _(name)) for code, name in settings.LANGUAGES]
        self.fields["body"].choices = _bodies()
        self.fields["as_of"].initial = timezone.localdate()

    def params(self) -> dict:
        """The parameters the chosen kind reads."""
        kind = self.cleaned_data["kind"]
        if kind == "country-profile":
            country = self.cleaned_data.get("country")
            return {"country": country.iso3 if country else ""}
        if kind == "governing-body":
            return {"body": self.cleaned_data.get("body") or ""}
        return {}
