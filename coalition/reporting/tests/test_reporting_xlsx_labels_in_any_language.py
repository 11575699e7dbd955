"""An implementation status is read from its code or its label in any interface language.

A French-speaking focal point types "En bonne voie" or "achevé" whatever language the site is
shown in; case, accents and spacing do not matter. Anything else is refused with the choices.
"""

import pytest
from django.utils import translation

from coalition.reporting.models import ProgressReport
from coalition.reporting.tests.reporting_xlsx_fixtures import (
    filled,
    upload,
    uploads_kept_in_tmp,  # noqa: F401 (fixture)
)
from coalition.reporting.xlsx import report_upload


@pytest.mark.parametrize(("typed", "code"), [
    ("En bonne voie", "on_track"),
    ("Achevé", "completed"),
    ("  ACHEVE ", "completed"),
    ("non  commencé", "not_started"),
    ("abandonne", "discontinued"),
    ("On Track", "on_track"),
    ("on track", "on_track"),
    ("DELAYED", "delayed"),
    ("completed", "completed"),
])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_status_is_read_from_its_code_or_its_label_in_any_language(
        pledger_a, entity_a, published, typed, code, language):
    with translation.override(language):
        run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a, D=typed)))

    assert run.status == "succeeded", run.errors
    assert ProgressReport.objects.get().implementation_status == code


def test_a_status_that_is_no_label_is_refused_with_the_choices(pledger_a, entity_a, published):
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a, D="Publié")))

    assert run.status == "failed" and not ProgressReport.objects.exists()
    assert [(e["sheet"], e["row"], e["column"]) for e in run.errors] == [("Reports", 2, "Implementation status")]
    assert run.errors[0]["message"].startswith("“Publié” is not an implementation status. Use one of: ")
    assert "on_track (On track)" in run.errors[0]["message"]
