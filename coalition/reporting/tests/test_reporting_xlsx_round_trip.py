from decimal import Decimal

from openpyxl.worksheet.datavalidation import DataValidation

from coalition.reference.models import ImportRun
from coalition.reporting.models import ProgressReport
from coalition.reporting.services import report_create
from coalition.reporting.tests import reporting_xlsx_fixtures as fixtures
from coalition.reporting.tests.reporting_xlsx_fixtures import (
    PERIOD_END,
    filled,
    template,
    upload,
    uploads_kept_in_tmp,  # noqa: F401 (fixture)
)
from coalition.reporting.xlsx import ReportTemplateWriter, report_upload

foreign_pledge = fixtures.foreign_pledge


def test_the_template_lists_the_entitys_published_pledges_and_targets(entity_a, published, foreign_pledge):
    book = template(entity_a)
    assert book.sheetnames == ["Reports", "Targets", "Instructions"]
    reports, targets = book["Reports"], book["Targets"]
    assert [c.value for c in reports[1]][:4] == ["Pledge ID", "Pledge title", "Period end", "Implementation status"]
    assert reports.max_row == 2
    assert reports["A2"].value == published.pk and reports["B2"].value == published.title
    assert reports["C2"].value.date() == PERIOD_END
    target = published.targets.get()
    assert [c.value for c in targets[2]][:4] == [published.pk, target.pk, "Schools connected", "schools"]
    assert reports.freeze_panes == "A2"
    assert reports["A2"].fill.fgColor.rgb != reports["D2"].fill.fgColor.rgb
    validations = reports.data_validations.dataValidation
    assert any(isinstance(v, DataValidation) and "on_track" in v.formula1 for v in validations)
    assert "evidence" in " ".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row).lower()


def test_the_writer_knows_its_title_and_description():
    assert str(ReportTemplateWriter.title) and str(ReportTemplateWriter.description)


def test_a_filled_template_creates_a_draft_with_its_values_and_actuals(pledger_a, entity_a, published):
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a)))
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert (run.kind, run.created, run.updated, run.unchanged, run.rows_read) == ("progress_reports_xlsx", 1, 0, 0, 2)
    report = ProgressReport.objects.get(pledge=published)
    assert report.status == "draft" and report.period_end == PERIOD_END and report.created_by == pledger_a
    assert report.implementation_status == "on_track" and report.share_delivered == Decimal("40")
    assert report.disbursed_amount == Decimal("250000") and report.disbursed_currency.code == "EUR"
    assert report.disbursed_usd is not None and report.narrative.startswith("120 schools")
    assert report.target_actuals.get().actual_value == Decimal("120")


def test_uploading_again_updates_and_then_leaves_the_draft_unchanged(pledger_a, entity_a, published):
    report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a)))
    versions = ProgressReport.history.count()
    same = report_upload(actor=pledger_a, entity=entity_a, file=upload(template(entity_a)))
    assert (same.status, same.created, same.updated, same.unchanged) == ("succeeded", 0, 0, 1)
    assert ProgressReport.history.count() == versions

    changed = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a, E=55, actual=200)))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    report = ProgressReport.objects.get(pledge=published)
    assert report.share_delivered == Decimal("55") and report.target_actuals.get().actual_value == Decimal("200")


def test_an_update_keeps_the_reports_evidence(pledger_a, entity_a, published):
    data = {"period_end": PERIOD_END, "targets": [],
            "evidence": [{"kind": "link", "title": "Press", "url": "https://ict.go.ke/news"}]}
    report = report_create(actor=pledger_a, pledge=published, data=data)
    report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a)))
    report.refresh_from_db()
    assert report.narrative.startswith("120 schools") and report.evidence.count() == 1


def test_labels_are_accepted_for_the_implementation_status(pledger_a, entity_a, published):
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a, D="On track")))
    assert run.status == "succeeded", run.errors
    assert ProgressReport.objects.get().implementation_status == "on_track"


def test_rows_left_empty_are_skipped(pledger_a, entity_a, published):
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(template(entity_a)))
    assert (run.status, run.created, run.skipped) == ("succeeded", 0, 1)
    assert not ProgressReport.objects.exists()


def test_a_negative_number_is_a_number_not_a_formula(pledger_a, entity_a, published):
    run = report_upload(actor=pledger_a, entity=entity_a, file=upload(filled(entity_a, E=-5)))
    assert run.status == "failed"
    assert [(e["sheet"], e["row"], e["column"]) for e in run.errors] == [("Reports", 2, "Share delivered (%)")]
    assert "percentage" in run.errors[0]["message"]
