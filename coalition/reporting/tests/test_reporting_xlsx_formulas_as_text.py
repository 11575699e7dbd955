"""User text in the XLSX template stays text: a pledge or target named like a formula is not a
live formula in the focal point's spreadsheet, and the untouched template still uploads."""

import io

from openpyxl import load_workbook

from coalition.pledges.models import Pledge, PledgeTarget
from coalition.reference.models import ImportRun
from coalition.reporting.models import ProgressReport
from coalition.reporting.tests.reporting_xlsx_fixtures import (
    PERIOD_END,
    filled,
    upload,
    uploads_kept_in_tmp,  # noqa: F401 (fixture)
)
from coalition.reporting.xlsx import report_template_write, report_upload

FORMULA = '=HYPERLINK("http://evil.example","Click to update")'


def _template_as_stored(entity):
    stream = io.BytesIO()
    report_template_write(entity=entity, stream=stream, period_end=PERIOD_END)
    return load_workbook(io.BytesIO(stream.getvalue()))


def test_titles_and_targets_that_look_like_formulas_are_written_as_text(entity_a, published):
    Pledge.objects.filter(pk=published.pk).update(title=FORMULA)
    PledgeTarget.objects.filter(pledge=published).update(description="+SUM(1,2)", unit="@cmd")

    book = _template_as_stored(entity_a)

    title, description, unit = book["Reports"]["B2"], book["Targets"]["C2"], book["Targets"]["D2"]
    assert [(c.data_type, c.value) for c in (title, description, unit)] == [
        ("s", FORMULA), ("s", "+SUM(1,2)"), ("s", "@cmd")]


def test_the_template_of_a_pledge_named_like_a_formula_uploads_filled(pledger_a, entity_a, published):
    Pledge.objects.filter(pk=published.pk).update(title=FORMULA)

    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a)))

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert ProgressReport.objects.filter(pledge=published).count() == 1
