"""Forms of the indicators app: the administration's "Import a file"."""

from django import forms

from coalition.indicators.models import DataSource, Indicator
from coalition.indicators.readers import READERS


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or XLSX, in one of the formats below.")
    format = forms.ChoiceField(choices=[(key, reader.title) for key, reader in READERS.items()])
    source = forms.ModelChoiceField(queryset=DataSource.objects.all(), to_field_name="code",
                                    help_text="Who published these values.")
    edition = forms.CharField(max_length=60, label="Edition label",
                              help_text="The source's edition (vintage), e.g. 2024-11. Re-importing an edition changes nothing; "
                                        "a later edition that revises a value keeps the previous one as a revision.")
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.all(), to_field_name="code", required=False,
                                       help_text="Only for tidy or XLSX files without an indicator column.")

    def clean(self):
        data = super().clean()
        reader = READERS.get(data.get("format", ""))
        if reader is not None and data.get("indicator") and not reader.takes_indicator:
            self.add_error("indicator", f"{reader.title} files name their own series; leave this empty.")
        return data
